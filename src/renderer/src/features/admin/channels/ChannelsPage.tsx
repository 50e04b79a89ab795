import { Text } from '@mantine/core';
import type { Me } from '../../../data/types';

/** Channels and the rate card (being built). */
export function ChannelsPage({ me }: { me: Me }) {
  return <Text c="dimmed">{me.name}</Text>;
}

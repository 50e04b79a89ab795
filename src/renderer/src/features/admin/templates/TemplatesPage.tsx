import { Text } from '@mantine/core';
import type { Me } from '../../../data/types';

/** The template editor (being built). */
export function TemplatesPage({ me }: { me: Me }) {
  return <Text c="dimmed">{me.name}</Text>;
}

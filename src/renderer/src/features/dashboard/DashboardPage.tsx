import { Text } from '@mantine/core';
import type { Me } from '../../data/types';

/** The live SLA dashboard (being built). */
export function DashboardPage({ me }: { me: Me }) {
  return <Text c="dimmed">{me.name}</Text>;
}

import { Text } from '@mantine/core';
import type { Me } from '../../../data/types';

/** SLA policies and business hours (being built). */
export function SlaPoliciesPage({ me }: { me: Me }) {
  return <Text c="dimmed">{me.name}</Text>;
}

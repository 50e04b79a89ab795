import { Text } from '@mantine/core';
import type { Me } from '../../../data/types';

/** Users, teams and assignment rules (being built). */
export function UsersPage({ me }: { me: Me }) {
  return <Text c="dimmed">{me.name}</Text>;
}

import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import type { PresencePerson } from '../../../../shared/protocol/realtime';
import { usePresence } from '../../data/hooks';

/**
 * Who else is in this conversation (issue 12, item 13: two agents answered the same customer
 * without knowing): "Ana is typing…", "Ana is viewing", with avatars. Nothing when nobody is.
 * Reads presence itself, so the header needs one line to show it.
 */

const firstName = (person: PresencePerson): string => person.name.trim().split(/\s+/)[0] || '?';

function list(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

/** "Ana is typing…", "Ana and Ben are viewing", "Ana is typing… · Ben is viewing". */
export function presenceText(people: readonly PresencePerson[]): string {
  const typing = people.filter((p) => p.activity === 'typing').map(firstName);
  const viewing = people.filter((p) => p.activity === 'viewing').map(firstName);
  const parts: string[] = [];
  if (typing.length > 0)
    parts.push(`${list(typing)} ${typing.length === 1 ? 'is' : 'are'} typing…`);
  if (viewing.length > 0)
    parts.push(`${list(viewing)} ${viewing.length === 1 ? 'is' : 'are'} viewing`);
  return parts.join(' · ');
}

const MAX_AVATARS = 3;

export function PresenceIndicator({ people }: { people: readonly PresencePerson[] }) {
  if (people.length === 0) return null;
  const typing = people.some((p) => p.activity === 'typing');
  const shown = [...people].sort(
    (a, b) => Number(b.activity === 'typing') - Number(a.activity === 'typing'),
  );
  return (
    <Group
      gap={8}
      wrap="nowrap"
      px="md"
      py={4}
      style={{
        borderTop: '1px solid var(--mantine-color-default-border)',
        background: 'var(--mantine-color-blue-light)',
      }}
      data-testid="presence"
      data-activity={typing ? 'typing' : 'viewing'}
    >
      <Avatar.Group spacing={6}>
        {shown.slice(0, MAX_AVATARS).map((person) => (
          <Tooltip key={person.userId} label={person.name} withArrow>
            <Avatar size={20} radius="xl" color="initials" name={person.name} />
          </Tooltip>
        ))}
        {shown.length > MAX_AVATARS ? (
          <Avatar size={20} radius="xl">
            +{shown.length - MAX_AVATARS}
          </Avatar>
        ) : null}
      </Avatar.Group>
      <Text
        size="xs"
        c={typing ? 'blue' : 'dimmed'}
        fw={typing ? 600 : 400}
        truncate="end"
        data-testid="presence-text"
      >
        {presenceText(shown)}
      </Text>
    </Group>
  );
}

/** The others viewing or typing in `conversationId`, live from the hub. */
export function ConversationPresence({ conversationId }: { conversationId: string }) {
  return <PresenceIndicator people={usePresence(conversationId)} />;
}

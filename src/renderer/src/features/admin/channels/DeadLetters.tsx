import { useState } from 'react';
import { z } from 'zod';
import { Alert, Badge, Button, Code, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { deadLetterSchema, type ChannelConnection } from '../../../../../shared/protocol/admin';
import { formatDateTime } from '../../../format/dates';
import { useHubResource } from '../use-hub-resource';

const answerSchema = z.object({ deadLetters: z.array(deadLetterSchema) });

/** A whole JSON payload indented for reading; a cut or non-JSON one as it is. */
function readable(preview: string): string {
  try {
    return JSON.stringify(JSON.parse(preview), null, 2);
  } catch {
    return preview;
  }
}

function DeadLetterList({ channel }: { channel: string }) {
  const letters = useHubResource('/api/admin/dead-letters', answerSchema);
  if (letters.error) return <Alert color="red">{letters.error}</Alert>;
  if (!letters.data) return <Loader size="sm" />;
  const mine = letters.data.deadLetters.filter((letter) => letter.channel === channel);
  return (
    <Stack gap="md" data-testid="dead-letters">
      <Text size="sm" c="dimmed">
        These deliveries were signed by the channel but held something the hub could not store. They
        were answered as received, so the channel does not send them again: read them here, and
        answer the customer another way if a message is among them.
      </Text>
      {mine.map((letter) => (
        <Stack key={letter.id} gap={4} data-testid="dead-letter">
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {formatDateTime(letter.receivedAt)}
            </Text>
            <Text size="xs" c="dimmed">
              {letter.size.toLocaleString()} bytes
            </Text>
          </Group>
          {letter.reasons.map((reason) => (
            <Text key={reason} size="sm" c="orange">
              {reason}
            </Text>
          ))}
          <Code
            block
            style={{
              maxHeight: 200,
              overflow: 'auto',
              whiteSpace: 'pre-wrap',
              overflowWrap: 'anywhere',
            }}
          >
            {readable(letter.preview)}
          </Code>
        </Stack>
      ))}
    </Stack>
  );
}

/** How many signed deliveries of a channel could not be stored, with the list on demand. */
export function DeadLetters({ channel }: { channel: ChannelConnection }) {
  const [open, setOpen] = useState(false);
  const { count } = channel.deadLetters;
  if (count === 0) return null;
  return (
    <>
      <Group gap="xs" wrap="nowrap">
        <Badge color="orange" variant="light" size="sm" leftSection={<IconInbox size={12} />}>
          {count === 1
            ? '1 delivery not stored'
            : `${count.toLocaleString()} deliveries not stored`}
        </Badge>
        <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)}>
          Show
        </Button>
      </Group>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={`${channel.name}: deliveries not stored`}
        size="lg"
      >
        {open && <DeadLetterList channel={channel.channel} />}
      </Modal>
    </>
  );
}

import { ActionIcon, Text, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconX } from '@tabler/icons-react';

/**
 * The customer's message the reply will quote, above the text: its words (or a file's name) on
 * one line, and × to send without it (Escape in the box does the same).
 */
export function QuoteChip({
  text,
  onClear,
}: {
  readonly text: string;
  readonly onClear: () => void;
}) {
  return (
    <div className="rd-composer-quote" data-testid="composer-quote">
      <IconArrowBackUp size={16} stroke={1.75} className="rd-composer-quote-icon" aria-hidden />
      <div className="rd-composer-quote-text">
        <Text size="xs" fw={600} lh={1.3}>
          Replying to
        </Text>
        <Text size="xs" c="dimmed" lh={1.3} truncate="end" data-testid="composer-quote-text">
          {text}
        </Text>
      </div>
      <Tooltip label="Send without the quote (Esc)" withArrow openDelay={400}>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-label="Remove the quote"
          data-testid="composer-quote-remove"
          onClick={onClear}
        >
          <IconX size={14} />
        </ActionIcon>
      </Tooltip>
    </div>
  );
}

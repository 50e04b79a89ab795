import { ActionIcon, Button, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import type { ReplyButtonsView } from './reply-buttons';

/**
 * The reply buttons under the text (Messenger / Instagram): one short input per option with its
 * character counter and ×, "Add option" until the channel's maximum, and why Send waits.
 */
export function ReplyButtonsEditor({
  view,
  onTitle,
  onRemove,
  onAdd,
  onClear,
  disabled,
}: {
  readonly view: ReplyButtonsView;
  readonly onTitle: (index: number, title: string) => void;
  readonly onRemove: (index: number) => void;
  readonly onAdd: () => void;
  readonly onClear: () => void;
  readonly disabled: boolean;
}) {
  return (
    <div className="rd-composer-buttons" data-testid="reply-buttons">
      <div className="rd-composer-buttons-head">
        <Text size="xs" fw={500}>
          Reply buttons
        </Text>
        <Text size="xs" c="dimmed" data-testid="reply-buttons-count">
          {view.count}
        </Text>
        <span className="rd-composer-toolbar-spacer" />
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          onMouseDown={(event) => event.preventDefault()}
          onClick={onClear}
          disabled={disabled}
        >
          Remove all
        </Button>
      </div>
      <div className="rd-composer-buttons-list">
        {view.rows.map((row, index) => (
          <div key={row.id} className="rd-composer-button-option" data-testid="reply-button-option">
            <TextInput
              size="xs"
              value={row.title}
              placeholder={`Option ${index + 1}`}
              aria-label={`Button ${index + 1} title`}
              disabled={disabled}
              autoFocus={index === view.rows.length - 1 && row.title === ''}
              onChange={(event) => onTitle(index, event.currentTarget.value)}
              rightSectionWidth={44}
              rightSection={
                <Text
                  size="10px"
                  c={row.full ? 'orange' : 'dimmed'}
                  data-testid="reply-button-counter"
                >
                  {row.counter}
                </Text>
              }
              data-testid="reply-button-title"
            />
            <Tooltip label="Remove this option" withArrow openDelay={400}>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                aria-label={`Remove button ${index + 1}`}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => onRemove(index)}
                disabled={disabled}
              >
                <IconX size={12} />
              </ActionIcon>
            </Tooltip>
          </div>
        ))}
        {view.canAdd && (
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconPlus size={12} />}
            onMouseDown={(event) => event.preventDefault()}
            onClick={onAdd}
            disabled={disabled}
            data-testid="reply-button-add"
          >
            Add option
          </Button>
        )}
      </div>
      {view.problem && (
        <Text size="xs" c="orange.8" data-testid="reply-buttons-problem">
          {view.problem}
        </Text>
      )}
    </div>
  );
}

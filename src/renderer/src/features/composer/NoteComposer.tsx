import {
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type Ref,
} from 'react';
import { Button, Group, Text } from '@mantine/core';
import { IconLock, IconNote } from '@tabler/icons-react';
import {
  insertMention,
  mentionMatches,
  mentionQueryAt,
  mentionsInText,
  type MentionCandidate,
} from '../../../../shared/notes/mentions';
import { sendKeyAction, type SendKey } from './send-key';
import { errorMessage, type ComposerHandle, type NoteHandler } from './types';

export interface NoteComposerProps {
  /** Teammates who may be mentioned (active users but the author). */
  readonly teammates: readonly MentionCandidate[];
  readonly sendKey: SendKey;
  /** Queues the note; rejects with an Error shown under the box (the text is kept). */
  readonly onAddNote: NoteHandler;
  readonly ref?: Ref<Pick<ComposerHandle, 'focus'>>;
}

/**
 * The composer in Note mode (issue #20 item 1): a yellow box whose text only teammates see; `@`
 * offers teammates (↑ ↓ to choose, Enter or Tab to insert, Escape to close) and the note names
 * the ones still written in it. No window, tag or price applies: nothing reaches the customer.
 */
export function NoteComposer({ teammates, sendKey, onAddNote, ref }: NoteComposerProps) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [chosen, setChosen] = useState<readonly MentionCandidate[]>([]);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement | null>(null);
  useImperativeHandle(ref, () => ({ focus: () => area.current?.focus() }));

  const query = mentionQueryAt(text, caret);
  const queryText = query?.query ?? null;
  const matches = useMemo(
    () => (queryText === null ? [] : mentionMatches(teammates, queryText)),
    [teammates, queryText],
  );
  const open = query !== null && matches.length > 0 && dismissedAt !== query.start;
  const highlighted = Math.min(active, matches.length - 1);

  const pick = (candidate: MentionCandidate): void => {
    if (query === null) return;
    const next = insertMention(text, query.start, caret, candidate);
    setText(next.text);
    setChosen((list) => (list.some((c) => c.id === candidate.id) ? list : [...list, candidate]));
    setActive(0);
    requestAnimationFrame(() => {
      area.current?.setSelectionRange(next.caret, next.caret);
      setCaret(next.caret);
    });
  };

  const submit = async (): Promise<void> => {
    const body = text.trim();
    if (body === '' || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onAddNote(body, mentionsInText(body, chosen));
      setText('');
      setChosen([]);
      setCaret(0);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((highlighted + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const candidate = matches[highlighted];
        if (candidate) pick(candidate);
        return;
      }
      if (event.key === 'Escape') {
        // Closes the list only; a second Escape leaves the field.
        event.preventDefault();
        event.stopPropagation();
        setDismissedAt(query.start);
        return;
      }
    }
    if (
      sendKeyAction({ ...event, isComposing: event.nativeEvent.isComposing }, sendKey) === 'send'
    ) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <div className="rd-composer-note" data-testid="note-composer">
      <div className="rd-composer-box rd-composer-box-note">
        <textarea
          ref={area}
          className="rd-composer-textarea"
          data-testid="note-input"
          aria-label="Internal note"
          rows={2}
          value={text}
          placeholder="Write a note for your team… Type @ to mention a teammate"
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart);
            setActive(0);
          }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          role="combobox"
          aria-expanded={open}
          aria-controls="rd-mention-list"
          aria-autocomplete="list"
        />
        {open ? (
          <div
            className="rd-mention-list"
            id="rd-mention-list"
            role="listbox"
            aria-label="Mention a teammate"
            data-testid="mention-picker"
          >
            {matches.map((candidate, index) => (
              <div
                key={candidate.id}
                role="option"
                aria-selected={index === highlighted}
                className="rd-mention-option"
                data-testid="mention-option"
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(candidate);
                }}
                onMouseEnter={() => setActive(index)}
              >
                @{candidate.name}
              </div>
            ))}
          </div>
        ) : null}
        <Group justify="space-between" px={8} pb={6} wrap="nowrap">
          <Text
            size="xs"
            className="rd-note-hint"
            display="flex"
            style={{ alignItems: 'center', gap: 4 }}
          >
            <IconLock size={12} stroke={1.75} />
            Only your team sees notes: customers never receive them.
          </Text>
          <Button
            size="compact-sm"
            color="yellow"
            c="dark"
            leftSection={<IconNote size={14} />}
            onClick={() => void submit()}
            disabled={text.trim() === '' || busy}
            data-testid="note-add"
          >
            Add note
          </Button>
        </Group>
      </div>
      {error ? (
        <Text size="xs" c="red" data-testid="note-error">
          {error}
        </Text>
      ) : null}
    </div>
  );
}

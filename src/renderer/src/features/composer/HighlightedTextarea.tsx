import {
  useLayoutEffect,
  useRef,
  type AriaAttributes,
  type KeyboardEvent,
  type Ref,
  type SyntheticEvent,
} from 'react';
import { useMergedRef } from '@mantine/hooks';
import { splitRuns, type Placeholder } from './placeholders';

/** Must match `line-height` and the vertical padding in composer.css (.rd-composer-textarea). */
const LINE_HEIGHT = 20;
const PADDING_Y = 16;

export interface HighlightedTextareaProps extends AriaAttributes {
  readonly value: string;
  readonly placeholders: readonly Placeholder[];
  readonly onChange: (value: string, selectionStart: number, selectionEnd: number) => void;
  /** Caret moves and selections (clicks, arrows), not only edits. */
  readonly onSelectionChange: (selectionStart: number, selectionEnd: number) => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
  readonly onFocus?: () => void;
  readonly onBlur?: () => void;
  readonly textareaRef: Ref<HTMLTextAreaElement>;
  readonly placeholder: string;
  readonly disabled: boolean;
  readonly minRows?: number;
  readonly maxRows?: number;
  readonly id?: string;
  readonly role?: string;
}

/**
 * A plain textarea with a layer behind it that marks unfilled `{{variables}}`. The layer repeats
 * the text in transparent ink with identical layout (composer.css), so only the marks show and
 * the caret, selection, spell-check and IME stay the browser's own. Grows with its content.
 */
export function HighlightedTextarea({
  value,
  placeholders,
  onChange,
  onSelectionChange,
  onKeyDown,
  onFocus,
  onBlur,
  textareaRef,
  placeholder,
  disabled,
  minRows = 2,
  maxRows = 12,
  ...aria
}: HighlightedTextareaProps) {
  const ownRef = useRef<HTMLTextAreaElement | null>(null);
  const backdropRef = useRef<HTMLDivElement | null>(null);

  const setRefs = useMergedRef(ownRef, textareaRef);

  // Autosize before paint, so typing never shows a scrollbar flicker.
  useLayoutEffect(() => {
    const element = ownRef.current;
    if (!element) return;
    element.style.height = 'auto';
    const min = minRows * LINE_HEIGHT + PADDING_Y;
    const max = maxRows * LINE_HEIGHT + PADDING_Y;
    element.style.height = `${Math.min(max, Math.max(min, element.scrollHeight))}px`;
  }, [value, minRows, maxRows]);

  const syncScroll = () => {
    if (backdropRef.current && ownRef.current) {
      backdropRef.current.scrollTop = ownRef.current.scrollTop;
    }
  };
  // After every render too: the marks change when the context fills a value, not only on scroll.
  useLayoutEffect(syncScroll);

  const reportSelection = (event: SyntheticEvent<HTMLTextAreaElement>) => {
    const target = event.currentTarget;
    onSelectionChange(target.selectionStart, target.selectionEnd);
  };

  return (
    <div className="rd-composer-field">
      <div ref={backdropRef} className="rd-composer-backdrop" aria-hidden>
        {placeholders.length > 0 &&
          splitRuns(value, placeholders).map((run, i) =>
            run.kind === 'text' ? (
              <span key={i}>{run.text}</span>
            ) : (
              <mark
                key={i}
                className="rd-composer-mark"
                data-placeholder={run.placeholder.name}
                data-reason={run.placeholder.reason}
              >
                {run.text}
              </mark>
            ),
          )}
        {/* A trailing newline needs a character after it to take up its line. */}
        {placeholders.length > 0 && value.endsWith('\n') ? ' ' : null}
      </div>
      <textarea
        {...aria}
        ref={setRefs}
        className="rd-composer-textarea"
        data-testid="composer-input"
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        rows={minRows}
        spellCheck
        onChange={(event) => {
          const target = event.currentTarget;
          onChange(target.value, target.selectionStart, target.selectionEnd);
        }}
        onSelect={reportSelection}
        onKeyDown={onKeyDown}
        onScroll={syncScroll}
        onFocus={onFocus}
        onBlur={onBlur}
      />
    </div>
  );
}

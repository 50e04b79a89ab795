import { useEffect, useRef, type ReactNode } from 'react';
import { Badge, Kbd } from '@mantine/core';
import { IconPaperclip, IconPhoto } from '@tabler/icons-react';
import { FileThumb } from '../../components/media/FileThumb';
import type { Template } from '../../../../shared/domain/model';
import { renderTemplate, type TemplateContext } from '../../../../shared/templates';
import type { FuzzyResult } from './fuzzy';
import { inLanguage, QUICK_REPLY_FIELD } from './quick-replies';
import type { SmsCostView } from './sms-cost';
import { SmsCostLine } from './SmsCostLine';

export interface QuickReplyMenuProps {
  readonly listId: string;
  readonly query: string;
  readonly results: readonly FuzzyResult<Template>[];
  readonly activeIndex: number;
  /** How many quick replies this conversation has before searching (for the empty state). */
  readonly available: number;
  /**
   * The customer's language (primary subtag) when the list mixes languages: its replies come
   * first and carry a badge. `null` shows no marks.
   */
  readonly language: string | null;
  readonly context: TemplateContext;
  readonly onActivate: (index: number) => void;
  readonly onPick: (template: Template) => void;
  /** SMS: the composer's line for the text as it would be with this reply inserted. */
  readonly smsPreview?: ((template: Template) => SmsCostView) | null;
}

export const optionId = (listId: string, index: number): string => `${listId}-option-${index}`;

/** `nl` → `Dutch`; the code itself where the runtime has no name for it. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** `text` with the characters at `positions` marked, for showing why an option matched. */
function highlight(text: string, positions: readonly number[] | undefined): ReactNode {
  if (!positions || positions.length === 0) return text;
  const hits = new Set(positions);
  const parts: ReactNode[] = [];
  let run = '';
  let inHit = false;
  const flush = () => {
    if (run === '') return;
    parts.push(
      inHit ? (
        <mark key={parts.length} className="rd-qr-hit">
          {run}
        </mark>
      ) : (
        run
      ),
    );
    run = '';
  };
  let index = 0;
  for (const char of text) {
    const hit = hits.has(index);
    if (hit !== inHit) {
      flush();
      inHit = hit;
    }
    run += char;
    index += char.length;
  }
  flush();
  return parts;
}

/**
 * The quick-reply list shown above the composer while the agent types `/query`. Focus stays in
 * the text box (the box owns ↑ ↓ Enter Tab Esc and points `aria-activedescendant` here); the
 * mouse picks without taking focus away.
 */
export function QuickReplyMenu({
  listId,
  query,
  results,
  activeIndex,
  available,
  language,
  context,
  onActivate,
  onPick,
  smsPreview = null,
}: QuickReplyMenuProps) {
  const listRef = useRef<HTMLUListElement | null>(null);

  useEffect(() => {
    const active = listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]');
    active?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex, results]);

  return (
    <div className="rd-qr" data-testid="quick-replies">
      <div className="rd-qr-header">
        <span>Quick replies</span>
        <span data-testid="quick-replies-count">
          {query ? `${results.length} of ${available} match “${query}”` : `${available} available`}
          {language &&
            results.some((r) => inLanguage(r.item, language)) &&
            ` · ${languageName(language)} first`}
        </span>
      </div>
      {results.length === 0 ? (
        <div className="rd-qr-empty">
          {available === 0
            ? 'No quick replies for this channel yet. Admins add them under Templates.'
            : `No quick reply matches “${query}”.`}
        </div>
      ) : (
        <ul
          ref={listRef}
          id={listId}
          role="listbox"
          aria-label="Quick replies"
          className="rd-qr-list"
        >
          {results.map((result, index) => {
            const t = result.item;
            return (
              <li
                key={t.id}
                id={optionId(listId, index)}
                role="option"
                aria-selected={index === activeIndex}
                className="rd-qr-option"
                data-testid="quick-reply-option"
                data-template-id={t.id}
                data-shortcut={t.shortcut ?? ''}
                // Keep the caret in the text box: the choice is inserted where it is.
                onMouseDown={(event) => event.preventDefault()}
                onMouseMove={() => {
                  if (index !== activeIndex) onActivate(index);
                }}
                onClick={() => onPick(t)}
              >
                <span className="rd-qr-shortcut">
                  {t.shortcut ? (
                    <>/{highlight(t.shortcut, result.matches.get(QUICK_REPLY_FIELD.shortcut))}</>
                  ) : (
                    '—'
                  )}
                </span>
                <span className="rd-qr-title">
                  <span className="rd-qr-name">
                    {highlight(t.name, result.matches.get(QUICK_REPLY_FIELD.name))}
                  </span>
                  {language && inLanguage(t, language) && (
                    <Badge
                      size="xs"
                      variant="light"
                      radius="sm"
                      className="rd-qr-language"
                      title={`In the customer’s language (${languageName(language)})`}
                      data-testid="quick-reply-language"
                    >
                      {language.toUpperCase()}
                    </Badge>
                  )}
                  {t.attachment && (
                    <span
                      className="rd-qr-file"
                      title={`With ${t.attachment.filename}`}
                      data-testid="quick-reply-option-file"
                    >
                      <FileThumb
                        sha256={t.attachment.sha256}
                        mimeType={t.attachment.mimeType}
                        size={20}
                        icon={
                          t.attachment.mimeType.startsWith('image/') ? IconPhoto : IconPaperclip
                        }
                        testId="quick-reply-option-thumb"
                      />
                    </span>
                  )}
                </span>
                <span className="rd-qr-body">{renderTemplate(t.body, context).text}</span>
              </li>
            );
          })}
        </ul>
      )}
      {smsPreview && results[activeIndex] && (
        <div className="rd-qr-sms" data-testid="quick-reply-sms">
          <span>With “{results[activeIndex].item.name}”:</span>
          <SmsCostLine
            view={smsPreview(results[activeIndex].item)}
            testId="quick-reply-sms-line"
            showExample={false}
          />
        </div>
      )}
      <div className="rd-qr-footer" aria-hidden>
        <span>
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> choose
        </span>
        <span>
          <Kbd size="xs">Enter</Kbd> or <Kbd size="xs">Tab</Kbd> insert
        </span>
        <span>
          <Kbd size="xs">Esc</Kbd> close
        </span>
      </div>
    </div>
  );
}

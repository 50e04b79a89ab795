import { Fragment, type ReactNode } from 'react';
import { IconMessage2 } from '@tabler/icons-react';
import { visible, type SmsCostView } from './sms-cost';

export interface SmsCostLineProps {
  readonly view: SmsCostView;
  /** Select the character that forced UCS-2 in the text; absent: it is only named. */
  readonly onPointAt?: () => void;
  /** Replace the look-alikes with their GSM-7 equivalents; absent: not offered. */
  readonly onReplaceLookalikes?: () => void;
  readonly testId?: string;
  /** Say "(example)" after the price of an example card (the composer's own line does). */
  readonly showExample?: boolean;
}

/**
 * `GSM-7 · 1 segment · 37 left · €0.07`, or `UCS-2 (because of “😀”) · 2 segments · 12 left ·
 * €0.14` with the culprit a button that selects it in the text. Only shows `view`.
 */
export function SmsCostLine({
  view,
  onPointAt,
  onReplaceLookalikes,
  testId = 'composer-sms',
  showExample = true,
}: SmsCostLineProps) {
  const parts: { key: string; node: ReactNode }[] = [];
  parts.push({
    key: 'encoding',
    node: (
      <span className="rd-sms-encoding" data-encoding={view.encoding}>
        {view.encoding}
        {view.forcedBy !== null && view.segments > 0 && (
          <>
            {' (because of '}
            {onPointAt ? (
              <button
                type="button"
                className="rd-sms-culprit"
                title="Show it in the text"
                data-testid={`${testId}-culprit`}
                onMouseDown={(event) => event.preventDefault()}
                onClick={onPointAt}
              >
                “{visible(view.forcedBy)}”
              </button>
            ) : (
              <span className="rd-sms-culprit">“{visible(view.forcedBy)}”</span>
            )}
            {')'}
          </>
        )}
      </span>
    ),
  });
  if (view.segments > 0) {
    parts.push({ key: 'segments', node: <span>{view.segmentsLabel}</span> });
    parts.push({ key: 'left', node: <span className="rd-sms-left">{view.leftLabel}</span> });
  }
  parts.push({
    key: 'price',
    node: (
      <span className="rd-sms-price" data-priced={view.priced || undefined}>
        {view.price}
        {view.example && showExample && <span className="rd-sms-example"> (example)</span>}
      </span>
    ),
  });
  return (
    <span
      className="rd-sms-cost"
      title={view.detail}
      data-testid={testId}
      data-encoding={view.encoding === 'GSM-7' ? 'gsm7' : 'ucs2'}
      data-segments={view.segments}
      aria-live="polite"
    >
      <IconMessage2 size={13} stroke={1.75} aria-hidden />
      {parts.map((part, i) => (
        <Fragment key={part.key}>
          {i > 0 && <span className="rd-sms-dot"> · </span>}
          {part.node}
        </Fragment>
      ))}
      {view.lookalikes && onReplaceLookalikes && (
        <button
          type="button"
          className="rd-sms-fix"
          data-testid={`${testId}-fix`}
          title={`Replace ${view.lookalikes.count} typographic character${view.lookalikes.count === 1 ? '' : 's'} (’ “ ” – …) with plain ones`}
          onMouseDown={(event) => event.preventDefault()}
          onClick={onReplaceLookalikes}
        >
          {view.lookalikes.after.encoding === 'gsm7'
            ? 'Use plain quotes → GSM-7'
            : 'Use plain quotes'}
        </button>
      )}
    </span>
  );
}

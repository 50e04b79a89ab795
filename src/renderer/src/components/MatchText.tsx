import './match-text.css';
import type { TextPart } from './text-match';

/**
 * Text with what the agent searched for marked (`<mark>`): parts from `highlightParts`,
 * `highlightDigits` or `snippetParts`. Every part is rendered as text, never as HTML.
 */
export function MatchText({ parts }: { readonly parts: readonly TextPart[] }) {
  return (
    <>
      {parts.map((part, index) =>
        part.match ? (
          <mark key={index} className="rd-mark" data-testid="search-mark">
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

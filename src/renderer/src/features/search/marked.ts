import type { MarkedText } from '../../../../shared/protocol/search';
import type { TextPart } from '../../components/text-match';

/**
 * The hub's marked text as parts for `MatchText`: `ranges` (`[start, end)`, ascending) are
 * marked, the rest is plain. Ranges outside the text or overlapping are clamped, never trusted.
 */
export function markedParts({ text, ranges }: MarkedText): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const [rawStart, rawEnd] of ranges) {
    const start = Math.max(at, Math.min(rawStart, text.length));
    const end = Math.max(start, Math.min(rawEnd, text.length));
    if (end === start) continue;
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

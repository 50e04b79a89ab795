import { messageContentSchema, type MessageContent } from '../../shared/domain/model';
import { joinPath } from './meta/paths';

/** What a connector stores for content it cannot show: its type, kept for the agent. */
export const unsupported = (originalType: string): MessageContent => ({
  type: 'unsupported',
  originalType: originalType.slice(0, 100),
});

/**
 * The model's own bounds: content outside them is kept as unsupported, with why in `problems`
 * (under `path`), named by the channel's own type (`originalType`, the content's by default).
 */
export function checkedContent(
  content: MessageContent,
  path: string,
  problems: string[],
  originalType: string = content.type,
): MessageContent {
  const parsed = messageContentSchema.safeParse(content);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${joinPath('', issue.path)}: ${issue.message}`)
    .join('; ');
  problems.push(`${path}: ${originalType} is outside our model (${issues}); kept as unsupported`);
  return unsupported(originalType);
}

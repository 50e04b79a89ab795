import { z } from 'zod';
import { normaliseHubUrl } from '../ipc/hub-url';

/**
 * Links into the desktop app (issue #21 item 2): `replydesk://conversation/<id>` opens a
 * conversation, `replydesk://hub?url=<hub>` offers to sign in to a team hub. Anything a web page,
 * a chat message or another program hands the app arrives here first: each link is parsed
 * exactly, and whatever is not one of these two shapes is refused and does nothing.
 */

export const DEEP_LINK_SCHEME = 'replydesk';

/** Conversation ids as the hub makes them (`cnv_…`): letters, digits, `_` and `-`, no more. */
export const conversationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, {
  error: 'must be a conversation id (letters, digits, _ or -)',
});

const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/** A hub a link may name: https, or plain http on this computer only (a link is not typed). */
export const linkedHubUrlSchema = z
  .string()
  .max(2048)
  .refine(
    (value) => {
      const check = normaliseHubUrl(value);
      return (
        check.ok &&
        check.url === value &&
        (value.startsWith('https://') || LOOPBACK_ORIGIN.test(value))
      );
    },
    { error: 'must be an https hub origin (http only on this computer)' },
  );

export const deepLinkSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('conversation'), conversationId: conversationIdSchema }),
  z.strictObject({ kind: z.literal('hub'), hubUrl: linkedHubUrlSchema }),
]);
export type DeepLink = z.infer<typeof deepLinkSchema>;

export type DeepLinkCheck =
  { readonly ok: true; readonly link: DeepLink } | { readonly ok: false; readonly reason: string };

const MAX_LINK_LENGTH = 2048;
const CONVERSATION_LINK = /^replydesk:\/\/conversation\/([^/?#]*)\/?$/i;
const HUB_LINK = /^replydesk:\/\/hub\/?\?url=([^&#]*)$/i;

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * The link `raw` names, or why it is refused. Only the two shapes above pass, with nothing
 * after them (no second query parameter, no fragment): a link with more in it was not made by
 * Replydesk. A hub address is reduced to its origin as the sign-in does (`normaliseHubUrl`).
 */
export function parseDeepLink(raw: string): DeepLinkCheck {
  const text = raw.trim();
  if (text.length > MAX_LINK_LENGTH) return { ok: false, reason: 'The link is too long.' };
  if (!text.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}://`)) {
    return { ok: false, reason: 'Not a replydesk:// link.' };
  }
  let candidate: unknown;
  const conversation = CONVERSATION_LINK.exec(text);
  const hub = HUB_LINK.exec(text);
  if (conversation) {
    candidate = { kind: 'conversation', conversationId: decode(conversation[1] ?? '') };
  } else if (hub) {
    const address = decode(hub[1] ?? '');
    const check = address === null ? null : normaliseHubUrl(address);
    if (check === null || !check.ok) {
      return { ok: false, reason: `The hub address in the link is not valid.` };
    }
    candidate = { kind: 'hub', hubUrl: check.url };
  } else {
    return {
      ok: false,
      reason:
        'Replydesk opens only replydesk://conversation/<id> and replydesk://hub?url=<address>.',
    };
  }
  const parsed = deepLinkSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      reason: `The link is not valid: ${parsed.error.issues.map((issue) => issue.message).join('; ')}.`,
    };
  }
  return { ok: true, link: parsed.data };
}

/** The link "Copy link" puts on the clipboard for a conversation. */
export function conversationLink(conversationId: string): string {
  return `${DEEP_LINK_SCHEME}://conversation/${encodeURIComponent(conversationId)}`;
}

/** The first argument that is a replydesk:// link (Windows passes links on the command line). */
export function deepLinkInArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) ?? null;
}

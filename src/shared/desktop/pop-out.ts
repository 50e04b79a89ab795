/**
 * A conversation in a window of its own (issue #21 item 4): the same page at
 * `#/popout/<conversation id>`, which shows that conversation and its composer only.
 */
export const POP_OUT_HASH_PREFIX = '#/popout/';

export const popOutHash = (conversationId: string): string =>
  `${POP_OUT_HASH_PREFIX}${encodeURIComponent(conversationId)}`;

/** The conversation a pop-out window's hash names, or null. */
export function conversationOfPopOutHash(hash: string): string | null {
  if (!hash.startsWith(POP_OUT_HASH_PREFIX)) return null;
  try {
    const id = decodeURIComponent(hash.slice(POP_OUT_HASH_PREFIX.length));
    return /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

import type { Placeholder } from './placeholders';

/** The hub refuses longer text messages (`outgoingContentSchema`). */
export const MAX_TEXT_LENGTH = 4096;

export type TextCheck =
  | { readonly ok: true; readonly body: string }
  | { readonly ok: false; readonly reason: 'empty' | 'placeholders' | 'too_long' };

/** Whether the composer's text may be sent, and the body to send (trimmed, as the hub stores it). */
export function checkText(text: string, placeholders: readonly Placeholder[]): TextCheck {
  const body = text.trim();
  if (body === '') return { ok: false, reason: 'empty' };
  if (placeholders.length > 0) return { ok: false, reason: 'placeholders' };
  if (body.length > MAX_TEXT_LENGTH) return { ok: false, reason: 'too_long' };
  return { ok: true, body };
}

/**
 * The text to put back after a send failed. The box is cleared as soon as the agent sends (so
 * they can go on typing); if the send fails, the unsent text comes back, ahead of anything typed
 * since, so nothing is lost.
 */
export function restoreAfterFailedSend(sent: string, current: string): string {
  if (current.trim() === '') return sent;
  if (current.startsWith(sent)) return current;
  return `${sent.replace(/\s+$/, '')}\n${current}`;
}

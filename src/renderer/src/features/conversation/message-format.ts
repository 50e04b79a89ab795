import type { DeliveryStatus, MessageContent } from '../../../../shared/domain/model';

/** Pure helpers that turn message content into what the bubbles show. */

export type TextSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly href: string };

// Candidates only: each is checked with the URL parser before it becomes a link.
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'"*_~]$/;

/** The URL as a link target if it is a well-formed http(s) URL, else null (STYLE.md: safeOpenURL). */
export function safeHttpUrl(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** Drops punctuation that ends the sentence rather than the URL, and unbalanced closing brackets. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    if (TRAILING_PUNCTUATION.test(url)) {
      url = url.slice(0, -1);
      continue;
    }
    const last = url.at(-1);
    const open = last === ')' ? '(' : last === ']' ? '[' : null;
    if (open !== null && count(url, open) < count(url, last as string)) {
      url = url.slice(0, -1);
      continue;
    }
    return url;
  }
}

const count = (text: string, char: string): number => text.split(char).length - 1;

/**
 * Text split into plain runs and http(s) links. Only URLs written with their scheme become
 * links, and only after the URL parser accepts them; credentials in a URL (a phishing trick)
 * keep it plain text. Line breaks stay in the text runs (the bubble preserves them).
 */
export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const raw = trimUrl(match[0]);
    const href = safeHttpUrl(raw);
    if (href === null) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

export type OrderContent = Extract<MessageContent, { type: 'order' }>;

/** A cart's totals, one per currency (a catalog may mix them); float noise rounded away. */
export function orderTotals(
  items: OrderContent['items'],
): { readonly currency: string; readonly amount: number; readonly quantity: number }[] {
  const totals = new Map<string, { amount: number; quantity: number }>();
  for (const item of items) {
    const total = totals.get(item.currency) ?? { amount: 0, quantity: 0 };
    total.amount += item.quantity * item.itemPrice;
    total.quantity += item.quantity;
    totals.set(item.currency, total);
  }
  return [...totals].map(([currency, { amount, quantity }]) => ({
    currency,
    amount: Math.round(amount * 10_000) / 10_000,
    quantity,
  }));
}

/** An OpenStreetMap page centred on the point, with a marker. */
export function openStreetMapUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

/** "52.520008° N, 13.404954° E". */
export function formatCoordinates(latitude: number, longitude: number): string {
  const lat = `${Math.abs(latitude).toFixed(6)}° ${latitude < 0 ? 'S' : 'N'}`;
  const lon = `${Math.abs(longitude).toFixed(6)}° ${longitude < 0 ? 'W' : 'E'}`;
  return `${lat}, ${lon}`;
}

export type MediaContent = Extract<
  MessageContent,
  { type: 'image' | 'video' | 'audio' | 'document' | 'sticker' }
>;

/** What a media message is, in words: "Photo", "Voice message", "Animated sticker", … */
export function mediaKindLabel(content: MediaContent): string {
  switch (content.type) {
    case 'image':
      return 'Photo';
    case 'video':
      return 'Video';
    case 'audio':
      return content.media.voice ? 'Voice message' : 'Audio';
    case 'document':
      return 'Document';
    case 'sticker':
      return content.media.animated ? 'Animated sticker' : 'Sticker';
  }
}

export type TickTone = 'dimmed' | 'read' | 'failed';

export interface DeliveryView {
  /** Spoken and shown on hover: "Delivered", "Read", … */
  readonly label: string;
  readonly tone: TickTone;
}

/** How an outbound message's delivery status is drawn; null for inbound (`received`). */
export function deliveryView(status: DeliveryStatus): DeliveryView | null {
  switch (status) {
    case 'received':
      return null;
    case 'queued':
      return { label: 'Queued', tone: 'dimmed' };
    case 'sending':
      return { label: 'Sending', tone: 'dimmed' };
    case 'sent':
      return { label: 'Sent', tone: 'dimmed' };
    case 'delivered':
      return { label: 'Delivered', tone: 'dimmed' };
    case 'read':
      return { label: 'Read', tone: 'read' };
    case 'failed':
      return { label: 'Failed', tone: 'failed' };
  }
}

/** Human words for a template category. */
export const TEMPLATE_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  marketing: 'Marketing',
  utility: 'Utility',
  authentication: 'Authentication',
};

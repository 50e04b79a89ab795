import type { Conversation, Template } from '../../../src/shared/domain/model';
import type { ReplyWindow } from '../../../src/shared/reply-window/types';

export const HOUR = 3_600_000;
export const NOW = Date.parse('2025-11-10T12:00:00Z');

export function template(overrides: Partial<Template> & Pick<Template, 'id'>): Template {
  return {
    kind: 'quick_reply',
    name: overrides.id,
    shortcut: null,
    body: 'Hello',
    language: 'en',
    category: null,
    channels: ['whatsapp', 'messenger'],
    status: 'approved',
    version: 1,
    updatedAt: 0,
    updatedBy: null,
    folder: null,
    tags: [],
    header: null,
    footer: null,
    buttons: [],
    examples: [],
    rejectionReason: null,
    ...overrides,
  };
}

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv_1',
    channel: 'whatsapp',
    channelAccountId: 'acct_1',
    customer: {
      id: 'cus_1',
      name: 'Ana Lima',
      phone: '+447700900123',
      email: 'ana@example.com',
      country: 'GB',
      language: 'en',
    },
    status: 'open',
    assigneeId: null,
    priority: 'normal',
    labels: [],
    snoozedUntil: null,
    lastInboundAt: NOW - HOUR,
    entryPoint: 'organic',
    entryPointAt: null,
    firstReplyAfterEntryAt: null,
    sentSinceInbound: 0,
    sentSinceEntryPoint: 0,
    lastPaymentAt: null,
    awaitingReplySince: null,
    firstReplyAt: null,
    openedAt: null,
    resolvedAt: null,
    lastMessageAt: NOW - HOUR,
    lastMessagePreview: 'Where is my order?',
    unreadCount: 1,
    createdAt: NOW - 2 * HOUR,
    updatedAt: NOW - HOUR,
    ...overrides,
  };
}

export function whatsappWindow(
  state: 'open' | 'closed',
  overrides: Partial<ReplyWindow> = {},
): ReplyWindow {
  const open = state === 'open';
  return {
    channel: 'whatsapp',
    state,
    closesAt: open ? NOW + 5 * HOUR : NOW - 2 * HOUR,
    remainingMs: open ? 5 * HOUR : 0,
    allowed: open ? { kind: 'free_form', billable: false } : { kind: 'template_only' },
    messagesRemaining: null,
    freeEntryPoint: false,
    basis: open ? 'whatsapp.customer_service_24h' : 'whatsapp.templates_only_after_24h',
    entryPointOffer: null,
    ...overrides,
  };
}

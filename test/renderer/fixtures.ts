import type { ChannelKind } from '../../src/shared/domain/channels';
import type { Conversation } from '../../src/shared/domain/model';
import type { HubEvent, SequencedEvent } from '../../src/shared/protocol/events';

export const T0 = Date.parse('2026-11-21T12:00:00Z');
export const HOUR = 3_600_000;

/** A conversation as the hub streams it; `overrides` set what a test is about. */
export function conversation(
  id: string,
  overrides: Partial<Conversation> & { channel?: ChannelKind } = {},
): Conversation {
  return {
    id,
    channel: 'whatsapp',
    channelAccountId: 'acc-1',
    customer: {
      id: `cus-${id}`,
      name: `Customer ${id}`,
      phone: null,
      email: null,
      country: null,
      language: null,
    },
    status: 'open',
    assigneeId: null,
    priority: 'normal',
    labels: [],
    snoozedUntil: null,
    lastInboundAt: T0,
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
    lastMessageAt: T0,
    lastMessagePreview: 'Hello',
    unreadCount: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function updated(seq: number, value: Conversation): SequencedEvent {
  return { seq, at: T0, event: { type: 'conversation.updated', conversation: value } };
}

export function other(seq: number): SequencedEvent {
  const event: HubEvent = { type: 'template.deleted', templateId: `tpl-${seq}` };
  return { seq, at: T0, event };
}

import type { Message, MessageContent } from '../../../src/shared/domain/model';

/** Epoch ms of a Berlin wall-clock time written as an ISO string with its offset. */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${iso}`);
  return ms;
};

let serial = 0;

/** A message as the hub stores it; `overrides` set what a test is about. */
export function message(overrides: Partial<Message> & { sentAt: number }): Message {
  serial += 1;
  const id = overrides.id ?? `msg-${serial}`;
  return {
    id,
    conversationId: 'conv-1',
    direction: 'inbound',
    content: { type: 'text', body: `Message ${serial}` },
    externalId: `wamid.${id}`,
    clientId: null,
    authorId: null,
    status: 'received',
    failureCode: null,
    failureReason: null,
    cost: null,
    tag: null,
    updatedAt: overrides.sentAt,
    ...overrides,
  };
}

export function reaction(
  emoji: string,
  targetExternalId: string,
  overrides: Partial<Message> & { sentAt: number },
): Message {
  const content: MessageContent = { type: 'reaction', emoji, targetExternalId };
  return message({ content, ...overrides });
}

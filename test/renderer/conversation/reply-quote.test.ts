import { describe, expect, it } from 'vitest';
import { quotePreviewOf } from '../../../src/shared/domain/model';
import { mergeWithOutbox } from '../../../src/renderer/src/data/data-layer';
import { sendMessageCommand } from '../../../src/renderer/src/data/outbox';
import type { OutboxEntry } from '../../../src/renderer/src/data/types';
import {
  canReplyTo,
  quoteOf,
  quoteTargetOf,
} from '../../../src/renderer/src/features/conversation/reply-quote';
import {
  withQuote,
  type QuoteState,
} from '../../../src/renderer/src/features/workspace/reply-quotes';
import { at, message } from './fixtures';

/**
 * Replying to one message of several (issue #15): which messages offer "Reply", what the
 * composer's quote chip holds per conversation, what a reply's quote shows in the timeline, and
 * what the outbox sends and shows before the hub answers.
 */

const T = at('2026-12-06T10:00:00+01:00');

describe('which messages offer Reply', () => {
  it('a customer’s message on a channel that sends quoted replies, with its channel id', () => {
    const inbound = message({ sentAt: T, externalId: '81:41' });
    expect([
      canReplyTo('telegram', inbound),
      canReplyTo('whatsapp', inbound),
      canReplyTo('sms', inbound),
      canReplyTo('line', inbound),
      canReplyTo('telegram', { ...inbound, direction: 'outbound', status: 'sent' }),
      canReplyTo('telegram', { ...inbound, externalId: null }),
      canReplyTo('telegram', {
        ...inbound,
        content: { type: 'reaction', emoji: '👍', targetExternalId: '81:40' },
      }),
      canReplyTo('telegram', { ...inbound, content: { type: 'removed', originalType: 'text' } }),
    ]).toEqual([true, true, false, false, false, false, false, false]);
  });
});

describe('what a quote shows', () => {
  it('the text, a file’s caption or name, else the kind; on one line, 200 characters at most', () => {
    const media = { mediaId: 'f1', mimeType: 'application/pdf' };
    expect([
      quotePreviewOf({ type: 'text', body: '  Is the blue\n one   in stock?  ' }),
      quotePreviewOf({ type: 'document', media: { ...media, filename: 'receipt.pdf' } }),
      quotePreviewOf({
        type: 'image',
        media: { ...media, caption: 'This one', filename: 'IMG_1.jpg' },
      }),
      quotePreviewOf({ type: 'image', media }),
      quotePreviewOf({ type: 'location', latitude: 52.5, longitude: 13.4, name: 'Depot' }),
    ]).toEqual(['Is the blue one in stock?', 'receipt.pdf', 'This one', '📷 Photo', '📍 Depot']);
    const long = quotePreviewOf({ type: 'text', body: 'x'.repeat(500) });
    expect([long.length, long.endsWith('…')]).toEqual([200, true]);
  });

  it('the chip’s target is the message’s id and that text', () => {
    const file = message({
      id: 'msg-doc',
      sentAt: T,
      content: { type: 'document', media: { mediaId: 'f2', filename: 'invoice-1043.pdf' } },
    });
    expect(quoteTargetOf(file)).toEqual({ messageId: 'msg-doc', text: 'invoice-1043.pdf' });
  });

  it('in the timeline: the quoted message as it reads now when loaded, else the text kept', () => {
    const asked = message({
      id: 'msg-q',
      sentAt: T,
      content: { type: 'text', body: 'Blue one, size M (edited)' },
    });
    const reply = message({
      id: 'msg-r',
      sentAt: T + 60_000,
      direction: 'outbound',
      status: 'sent',
      replyTo: { messageId: 'msg-q', preview: 'Blue one, size M' },
    });
    const plain = message({ id: 'msg-p', sentAt: T + 120_000 });
    const loaded = new Map([[asked.id, asked]]);
    expect([
      quoteOf(reply, loaded),
      quoteOf(reply, new Map()),
      quoteOf({ ...reply, replyTo: { messageId: 'msg-gone', preview: '' } }, loaded),
      quoteOf(plain, loaded),
      quoteOf({ ...plain, replyTo: null }, loaded),
    ]).toEqual([
      { text: 'Blue one, size M (edited)', loaded: true },
      { text: 'Blue one, size M', loaded: false },
      { text: 'an earlier message', loaded: false },
      null,
      null,
    ]);
  });
});

describe('the composer’s quote chip, per conversation', () => {
  it('Reply sets it (replacing an earlier one), × or a send drops it, other conversations keep theirs', () => {
    const a1 = { messageId: 'm-a1', text: 'First question' };
    const a2 = { messageId: 'm-a2', text: 'Second question' };
    const b1 = { messageId: 'm-b1', text: 'Other customer' };
    let state: QuoteState = new Map();
    state = withQuote(state, 'conv-a', a1);
    state = withQuote(state, 'conv-b', b1);
    state = withQuote(state, 'conv-a', a2);
    expect([...state]).toEqual([
      ['conv-a', a2],
      ['conv-b', b1],
    ]);
    state = withQuote(state, 'conv-a', null);
    expect([...state]).toEqual([['conv-b', b1]]);
    // Dropping what is not there changes nothing (no re-render).
    expect(withQuote(state, 'conv-a', null)).toBe(state);
  });
});

describe('a quoting reply in the outbox', () => {
  it('carries replyTo in its command, and shows the quote before the hub has it', () => {
    const command = sendMessageCommand(
      'conv-1',
      { type: 'text', body: 'This one? Yes.' },
      { replyTo: 'msg-q' },
    );
    expect(command).toEqual({
      type: 'send_message',
      conversationId: 'conv-1',
      content: { type: 'text', body: 'This one? Yes.' },
      replyTo: 'msg-q',
    });
    expect(sendMessageCommand('conv-1', { type: 'text', body: 'Plain' })).toEqual({
      type: 'send_message',
      conversationId: 'conv-1',
      content: { type: 'text', body: 'Plain' },
    });
    const asked = message({
      id: 'msg-q',
      sentAt: T,
      content: { type: 'text', body: 'Is the blue one in stock?' },
    });
    const entry: OutboxEntry = {
      clientId: 'client-quote-1',
      order: 1,
      conversationId: 'conv-1',
      command,
      createdAt: T + 1000,
      state: 'queued',
      error: null,
      attempts: 0,
    };
    const [, local] = mergeWithOutbox([asked], [entry], new Map(), 'me');
    expect([local?.id, local?.replyTo]).toEqual([
      'local:client-quote-1',
      { messageId: 'msg-q', preview: 'Is the blue one in stock?' },
    ]);
  });
});

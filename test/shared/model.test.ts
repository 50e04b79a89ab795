import { describe, expect, it } from 'vitest';
import {
  messageContentSchema,
  previewOf,
  type MessageContent,
} from '../../src/shared/domain/model';

describe('previewOf', () => {
  it.each<[MessageContent, string]>([
    [{ type: 'text', body: 'Where is my order?' }, 'Where is my order?'],
    [{ type: 'image', media: { mediaId: '1', caption: 'Broken box' } }, '📷 Broken box'],
    [{ type: 'image', media: { mediaId: '1' } }, '📷 Photo'],
    [{ type: 'audio', media: { mediaId: '1', voice: true } }, '🎤 Voice message'],
    [{ type: 'document', media: { mediaId: '1', filename: 'invoice.pdf' } }, '📄 invoice.pdf'],
    [
      { type: 'location', latitude: 52.37, longitude: 4.89, name: 'Amsterdam Centraal' },
      '📍 Amsterdam Centraal',
    ],
    [{ type: 'contacts', contacts: [{ name: 'Anna', phones: [], emails: [] }] }, '👤 Anna'],
    [{ type: 'interactive_reply', replyId: 'r1', title: 'Track my order' }, 'Track my order'],
    [{ type: 'reaction', emoji: '👍', targetExternalId: 'w1' }, 'Reacted 👍'],
    [{ type: 'reaction', emoji: '', targetExternalId: 'w1' }, 'Removed a reaction'],
    [
      {
        type: 'order',
        catalogId: 'c',
        items: [{ productRetailerId: 'p', quantity: 1, itemPrice: 10, currency: 'EUR' }],
      },
      '🛒 Order: 1 item',
    ],
    [
      {
        type: 'order',
        catalogId: 'c',
        items: [{ productRetailerId: 'p', quantity: 3, itemPrice: 10, currency: 'EUR' }],
      },
      '🛒 Order: 3 items',
    ],
    [{ type: 'unsupported', originalType: 'poll_creation' }, 'Unsupported message (poll_creation)'],
  ])('previews %j as %s', (content, preview) => {
    expect(messageContentSchema.parse(content)).toBeTruthy();
    expect(previewOf(content)).toBe(preview);
  });

  it('cuts long texts to 200 characters', () => {
    expect(previewOf({ type: 'text', body: 'x'.repeat(500) })).toHaveLength(200);
  });
});

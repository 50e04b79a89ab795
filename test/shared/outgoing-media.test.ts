import { describe, expect, it } from 'vitest';
import { commandSchema, outgoingContentSchema } from '../../src/shared/protocol/commands';

const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** The send command's media variant, as docs/api.md "Media" writes it. */
const documented = {
  type: 'image',
  media: {
    mediaId: SHA,
    sha256: SHA,
    mimeType: 'image/jpeg',
    filename: 'parcel.jpg',
    caption: 'Here it is',
  },
};

describe('the send command media variant', () => {
  it('takes the documented shape, for images, video, audio and documents', () => {
    expect(outgoingContentSchema.parse(documented)).toEqual(documented);
    for (const type of ['video', 'audio', 'document']) {
      const { caption: _caption, ...media } = documented.media;
      expect(outgoingContentSchema.parse({ type, media })).toEqual({ type, media });
    }
    const command = commandSchema.parse({
      type: 'send_message',
      conversationId: 'conv_1',
      content: documented,
    });
    expect(command).toEqual({
      type: 'send_message',
      conversationId: 'conv_1',
      content: documented,
    });
  });

  it('refuses a file that is not addressed by its sha256, stickers, extra fields, long captions', () => {
    const refusal = (content: unknown): string[] => {
      const parsed = outgoingContentSchema.safeParse(content);
      return parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => i.path.join('.')))];
    };
    const media = documented.media;
    expect(refusal({ type: 'image', media: { ...media, mediaId: 'wamid.123' } })).toEqual([
      'media.mediaId',
    ]);
    expect(
      refusal({ type: 'image', media: { ...media, mediaId: SHA.slice(1) + 'b', sha256: SHA } }),
    ).toEqual(['media.mediaId']);
    expect(
      refusal({
        type: 'image',
        media: { ...media, mediaId: SHA.toUpperCase(), sha256: SHA.toUpperCase() },
      }),
    ).toEqual(['media.mediaId', 'media.sha256']);
    expect(refusal({ type: 'sticker', media })).toEqual(['type']);
    expect(
      refusal({ type: 'image', media: { ...media, url: 'https://example.com/a.jpg' } }),
    ).toEqual(['media']);
    expect(refusal({ type: 'image', media: { ...media, caption: 'x'.repeat(1025) } })).toEqual([
      'media.caption',
    ]);
    expect(refusal({ type: 'document', media: { ...media, filename: '  ' } })).toEqual([
      'media.filename',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkUpload, formatBytes, sendableKindFor } from '../../src/shared/media/limits';

const MiB = 1024 * 1024;

describe('channel media limits', () => {
  it('accepts a WhatsApp image at exactly 5 MB and names the limit one byte over', () => {
    expect(checkUpload('whatsapp', 'image/jpeg', 5 * MiB).ok).toBe(true);
    const over = checkUpload('whatsapp', 'image/jpeg', 5 * MiB + 1);
    expect(over).toMatchObject({ ok: false, status: 413, code: 'too_large' });
    expect(over.ok ? '' : over.reason).toBe(
      'WhatsApp accepts images up to 5 MB; this file is 5.0 MB.',
    );
  });

  it('refuses a type the channel does not take with 415 and what it accepts', () => {
    const result = checkUpload('instagram', 'application/msword', 10);
    expect(result).toMatchObject({ ok: false, status: 415, code: 'unsupported_media_type' });
    expect(checkUpload('sms', 'image/png', 10)).toMatchObject({
      ok: false,
      status: 415,
      reason: 'SMS does not accept attachments from Replydesk.',
    });
  });

  it('matches the MIME type without its parameters; stickers are not sendable', () => {
    expect(sendableKindFor('whatsapp', 'audio/ogg; codecs=opus')?.kind).toBe('audio');
    expect(sendableKindFor('whatsapp', 'image/webp')).toBeNull();
    expect(checkUpload('whatsapp', 'application/pdf', 100 * MiB).ok).toBe(true);
    expect(formatBytes(500 * 1024)).toBe('500 KB');
  });
});

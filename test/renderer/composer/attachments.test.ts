import { describe, expect, it } from 'vitest';
import {
  checkAttachment,
  defaultFilename,
  fileMimeType,
  MAX_CAPTION_LENGTH,
  planSend,
  shortenFilename,
  stageQuickReplyFile,
} from '../../../src/renderer/src/features/composer/attachments';

const MiB = 1024 * 1024;

describe('composer attachments: the channel limits before any upload', () => {
  it('stages a WhatsApp photo with its caption allowed', () => {
    expect(
      checkAttachment('whatsapp', { name: 'parcel.jpg', type: 'image/jpeg', size: 2 * MiB }),
    ).toEqual({
      ok: true,
      kind: 'image',
      mimeType: 'image/jpeg',
      filename: 'parcel.jpg',
      caption: true,
    });
  });

  it('refuses a WhatsApp image over 5 MB, naming the limit and the size', () => {
    expect(
      checkAttachment('whatsapp', { name: 'big.png', type: 'image/png', size: 6.2 * MiB }),
    ).toEqual({
      ok: false,
      reason: 'WhatsApp accepts images up to 5 MB; this file is 6.2 MB.',
    });
  });

  it('refuses a type the channel does not take, listing what it takes', () => {
    const check = checkAttachment('instagram', {
      name: 'notes.docx',
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size: 10_000,
    });
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(
      /^Instagram does not accept application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document files\. It accepts image \(image\/jpeg, image\/png, image\/gif\); .*document \(application\/pdf\)\.$/,
    );
  });

  it('refuses attachments on a channel the hub sends no files on', () => {
    expect(checkAttachment('sms', { name: 'a.jpg', type: 'image/jpeg', size: 100 })).toEqual({
      ok: false,
      reason: 'SMS does not accept attachments from Replydesk.',
    });
  });

  it('refuses an empty file', () => {
    expect(
      checkAttachment('whatsapp', { name: 'x.pdf', type: 'application/pdf', size: 0 }),
    ).toEqual({ ok: false, reason: 'x.pdf is empty.' });
  });

  it('Messenger takes no caption; WhatsApp audio neither', () => {
    const messenger = checkAttachment('messenger', {
      name: 'label.pdf',
      type: 'application/pdf',
      size: 40_000,
    });
    expect(messenger).toMatchObject({ ok: true, kind: 'document', caption: false });
    const voice = checkAttachment('whatsapp', { name: 'v.ogg', type: 'audio/ogg', size: 9000 });
    expect(voice).toMatchObject({ ok: true, kind: 'audio', caption: false });
  });

  it('reads the type from the extension when the system gave none', () => {
    expect(fileMimeType({ name: 'Label.PDF', type: '', size: 1 })).toBe('application/pdf');
    expect(fileMimeType({ name: 'v.ogg', type: 'application/octet-stream', size: 1 })).toBe(
      'audio/ogg',
    );
    expect(fileMimeType({ name: 'x.jpg', type: 'image/png', size: 1 })).toBe('image/png');
    expect(fileMimeType({ name: 'noext', type: '', size: 1 })).toBe('');
    expect(fileMimeType({ name: 'v.ogg', type: 'audio/ogg; codecs=opus', size: 1 })).toBe(
      'audio/ogg',
    );
  });

  it('names pasted images by the time they were pasted; long names keep their extension', () => {
    expect(defaultFilename('image/png', Date.UTC(2026, 11, 3, 10, 45, 12))).toBe(
      'pasted-image-20261203-104512.png',
    );
    const long = `${'a'.repeat(300)}.pdf`;
    const short = shortenFilename(long);
    expect(short.length).toBe(255);
    expect(short.endsWith('….pdf')).toBe(true);
    expect(shortenFilename('label.pdf')).toBe('label.pdf');
  });
});

describe('composer attachments: what Send sends', () => {
  it('the file alone when the box is empty', () => {
    expect(planSend('  \n', true)).toEqual([{ type: 'file', caption: null }]);
  });

  it('the text as the caption where the channel takes one', () => {
    expect(planSend(' Here it is ', true)).toEqual([{ type: 'file', caption: 'Here it is' }]);
  });

  it('the file, then the text, where it takes none or the text is longer than a caption', () => {
    expect(planSend('Your label', false)).toEqual([
      { type: 'file', caption: null },
      { type: 'text', body: 'Your label' },
    ]);
    const long = 'x'.repeat(MAX_CAPTION_LENGTH + 1);
    expect(planSend(long, true)).toEqual([
      { type: 'file', caption: null },
      { type: 'text', body: long },
    ]);
  });
});

describe("composer attachments: a quick reply's file when the agent uses it", () => {
  const label = {
    sha256: 'a'.repeat(64),
    mimeType: 'application/pdf',
    filename: 'returns-label.pdf',
    size: 48_213,
  };

  it('is staged as the hub holds it: no bytes here, sent by its sha256', () => {
    expect(stageQuickReplyFile('messenger', 'Returns label', label)).toEqual({
      ok: true,
      staged: {
        blob: null,
        sha256: 'a'.repeat(64),
        size: 48_213,
        filename: 'returns-label.pdf',
        mimeType: 'application/pdf',
        kind: 'document',
        caption: false,
      },
    });
  });

  it('says so, naming the reply and the limit, where this channel would refuse it', () => {
    expect(
      stageQuickReplyFile('whatsapp', 'Returns label', {
        ...label,
        mimeType: 'image/png',
        filename: 'label.png',
        size: 6.2 * MiB,
      }),
    ).toEqual({
      ok: false,
      reason:
        "The file of “Returns label” (label.png) cannot be sent here: WhatsApp accepts images up to 5 MB; this file is 6.2 MB. The reply's text was inserted without it.",
    });
  });
});

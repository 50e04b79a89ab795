import { deflateSync } from 'node:zlib';

/**
 * The demo shop's files (issue #14 item 7), made here rather than downloaded: small PNG photos
 * (a parcel, a damaged box, a wrong item, a tracking page, a payment screen, a product), a short
 * voice note (WAV: 8 kHz mono, a voice-like hum in syllables) and a one-page PDF per document.
 * Deterministic: the same bytes every run, so the hub stores each once. `npm run demo:media`
 * writes them to `resources/demo/` too (scripts/demo-media.ts).
 */

export type DemoImage = 'damaged' | 'wrongItem' | 'tracking' | 'payment' | 'product' | 'parcel';
export type DemoDocument = 'receipt' | 'bankStatement' | 'returnForm' | 'booking';

export interface DemoFile {
  readonly name: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

// --- PNG ---------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

type Rgb = readonly [number, number, number];

/** An RGB PNG of `width` × `height` whose pixels `paint(x, y)` gives. */
export function encodePng(
  width: number,
  height: number,
  paint: (x: number, y: number) => Rgb,
): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // no filter
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inBox = (x: number, y: number, x0: number, y0: number, x1: number, y1: number): boolean =>
  x >= x0 && x < x1 && y >= y0 && y < y1;

/** A cardboard box on a table, with what the subject adds. */
function scene(subject: DemoImage): (x: number, y: number) => Rgb {
  const H = 360;
  return (x, y) => {
    const shade = Math.round((y / H) * 30);
    const background: Rgb =
      y > 250 ? [150 - shade, 110 - shade, 80 - shade] : [225 - shade, 228 - shade, 232 - shade];
    switch (subject) {
      case 'tracking':
      case 'payment': {
        // A phone screen: a header bar, lines of text, a status badge.
        if (!inBox(x, y, 140, 20, 340, 340)) return [60, 64, 72];
        if (y < 60) return subject === 'tracking' ? [20, 110, 200] : [30, 150, 90];
        if (inBox(x, y, 160, 80, 320, 110)) return [200, 205, 212];
        if (subject === 'tracking' && inBox(x, y, 160, 130, 320, 200))
          return Math.floor(x / 6) % 2 === 0 ? [20, 20, 20] : [250, 250, 250];
        if (inBox(x, y, 160, 220 + (y % 30 < 12 ? 0 : 100), 300, 320) && y % 30 < 12)
          return [170, 175, 182];
        if (subject === 'payment' && inBox(x, y, 200, 140, 280, 200)) return [30, 150, 90];
        return [250, 250, 250];
      }
      default: {
        const box = inBox(x, y, 130, 110, 350, 290);
        if (!box) return background;
        if (subject === 'product' || subject === 'wrongItem') {
          // An item beside its opened box: a coloured shape in the middle.
          const dx = x - 240;
          const dy = y - 200;
          if (dx * dx + dy * dy < 60 * 60)
            return subject === 'product' ? [200, 60, 70] : [60, 90, 200];
        }
        if (Math.abs(y - 150) < 6) return [200, 170, 110]; // tape
        if (subject === 'damaged') {
          // A crushed corner and a tear across the lid.
          if (x > 300 && y < 170 && x - 300 > (170 - y) * 0.9) return background;
          if (Math.abs(y - 110 - (x - 130) * 0.55) < 3 && x < 300) return [90, 60, 35];
        }
        return [190 - Math.round((x - 130) / 8), 145 - Math.round((x - 130) / 10), 95];
      }
    }
  };
}

export function demoImage(subject: DemoImage): DemoFile {
  return {
    name: `${subject === 'wrongItem' ? 'wrong-item' : subject}.png`,
    mimeType: 'image/png',
    bytes: encodePng(480, 360, scene(subject)),
  };
}

// --- WAV -----------------------------------------------------------------------------------------

/** A 2.4 s voice note: a low hum with harmonics, in syllables, the way a waveform draws speech. */
export function demoVoiceNote(): DemoFile {
  const rate = 8_000;
  const samples = Math.round(rate * 2.4);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const syllable = Math.max(0, Math.sin(Math.PI * ((t * 3.2) % 1))) ** 2;
    const pitch = 140 + 25 * Math.sin(2 * Math.PI * 0.7 * t);
    const phase = 2 * Math.PI * pitch * t;
    const voice = 0.6 * Math.sin(phase) + 0.25 * Math.sin(2 * phase) + 0.12 * Math.sin(3 * phase);
    const fade = Math.min(1, t / 0.05, (2.4 - t) / 0.05);
    data.writeInt16LE(Math.round(voice * syllable * fade * 12_000), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return { name: 'voice-note.wav', mimeType: 'audio/wav', bytes: Buffer.concat([header, data]) };
}

// --- PDF -----------------------------------------------------------------------------------------

const DOCUMENT_LINES: Readonly<Record<DemoDocument, readonly string[]>> = {
  receipt: ['Receipt', 'Demo Shop', 'Order total paid by card', 'Thank you for your order.'],
  bankStatement: ['Bank statement (demo)', 'Card payment to Demo Shop', 'Status: booked'],
  returnForm: [
    'Return form',
    'Demo Shop returns',
    'Reason: damaged on arrival',
    'Signed: customer',
  ],
  booking: ['Booking confirmation', 'Demo Shop workshop', 'Please bring this page.'],
};

const pdfText = (text: string): string => text.replace(/[\\()]/g, (c) => `\\${c}`);

/** A one-page PDF (A5) with the document's lines in Helvetica, with a correct xref table. */
export function demoPdf(document: DemoDocument): DemoFile {
  const lines = DOCUMENT_LINES[document];
  const stream = [
    'BT',
    '/F1 20 Tf',
    '50 540 Td',
    `(${pdfText(lines[0] ?? '')}) Tj`,
    '/F1 12 Tf',
    ...lines.slice(1).flatMap((line) => ['0 -28 Td', `(${pdfText(line)}) Tj`]),
    'ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const names: Readonly<Record<DemoDocument, string>> = {
    receipt: 'receipt.pdf',
    bankStatement: 'bank-statement.pdf',
    returnForm: 'return-form.pdf',
    booking: 'booking.pdf',
  };
  return { name: names[document], mimeType: 'application/pdf', bytes: Buffer.from(body, 'latin1') };
}

/** Every demo file, as `resources/demo/` holds them. */
export function allDemoFiles(): DemoFile[] {
  const images: DemoImage[] = ['parcel', 'damaged', 'wrongItem', 'tracking', 'payment', 'product'];
  const documents: DemoDocument[] = ['receipt', 'bankStatement', 'returnForm', 'booking'];
  return [...images.map(demoImage), demoVoiceNote(), ...documents.map(demoPdf)];
}

import { deflateSync } from 'node:zlib';

/**
 * The tray icon and the taskbar overlay, drawn here as PNG bytes: the repository holds no image
 * files for them, and a filled circle needs no design tool. Electron turns the bytes into a
 * `nativeImage` (src/main/tray.ts).
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

type Rgb = readonly [number, number, number];

/** A `size`×`size` RGBA PNG of a disc of `fill`, with an inner disc of `inner` when given. */
export function discPng(size: number, fill: Rgb, inner?: { colour: Rgb; ratio: number }): Buffer {
  const rows: Buffer[] = [];
  const centre = (size - 1) / 2;
  const radius = size / 2;
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x += 1) {
      const distance = Math.hypot(x - centre, y - centre);
      // One pixel of soft edge, so the disc is not jagged at 16 px.
      const alpha = Math.max(0, Math.min(1, radius - distance));
      const colour = inner && distance < radius * inner.ratio ? inner.colour : fill;
      row.set([colour[0], colour[1], colour[2], Math.round(alpha * 255)], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const TEAL: Rgb = [18, 184, 134];
const ORANGE: Rgb = [253, 126, 20];
const WHITE: Rgb = [255, 255, 255];
const RED: Rgb = [224, 49, 49];

/** The tray icon: teal ring, orange when a window of mine closes within the hour. */
export const trayIconPng = (closingSoon: boolean): Buffer =>
  discPng(32, closingSoon ? ORANGE : TEAL, { colour: WHITE, ratio: 0.45 });

/** The Windows taskbar overlay: a red dot while conversations wait for me. */
export const overlayIconPng = (): Buffer => discPng(16, RED);

/**
 * The length of an MP4 / M4A file from its movie header (`moov` → `mvhd`: timescale and
 * duration, ISO/IEC 14496-12 §8.2.2), for LINE's audio messages, which must state it. Null when
 * the bytes are not MP4 or carry no usable header; nothing is decoded.
 */
export function mp4DurationMs(bytes: Buffer): number | null {
  const box = (from: number, to: number, type: string): { start: number; end: number } | null => {
    let at = from;
    while (at + 8 <= to) {
      let size = bytes.readUInt32BE(at);
      let header = 8;
      if (size === 1) {
        if (at + 16 > to) return null;
        const large = bytes.readBigUInt64BE(at + 8);
        if (large > BigInt(to - at)) return null;
        size = Number(large);
        header = 16;
      } else if (size === 0) size = to - at;
      if (size < header || at + size > to) return null;
      if (bytes.toString('latin1', at + 4, at + 8) === type)
        return { start: at + header, end: at + size };
      at += size;
    }
    return null;
  };
  const moov = box(0, bytes.length, 'moov');
  const mvhd = moov ? box(moov.start, moov.end, 'mvhd') : null;
  if (!mvhd) return null;
  const version = bytes[mvhd.start];
  const body = mvhd.start + 4;
  let timescale: number;
  let duration: number;
  if (version === 1) {
    if (body + 28 > mvhd.end) return null;
    timescale = bytes.readUInt32BE(body + 16);
    duration = Number(bytes.readBigUInt64BE(body + 20));
  } else {
    if (body + 16 > mvhd.end) return null;
    timescale = bytes.readUInt32BE(body + 8);
    duration = bytes.readUInt32BE(body + 12);
  }
  if (timescale === 0 || !Number.isFinite(duration)) return null;
  const ms = Math.round((duration * 1000) / timescale);
  return ms > 0 ? ms : null;
}

import { baseMimeType } from '../../shared/media/limits';

/**
 * Whether a file's first bytes match the type it claims, for the types whose signature is known
 * (docs/api.md, "Media"): a "photo" that is an executable, or a PDF called a JPEG, is refused.
 * Other types (Office documents, plain text…) are taken as declared.
 */
type Signature = (bytes: Buffer) => boolean;

const startsWith =
  (...prefix: number[]): Signature =>
  (bytes) =>
    prefix.every((byte, i) => bytes[i] === byte);
const ascii = (bytes: Buffer, at: number, text: string): boolean =>
  bytes.subarray(at, at + text.length).toString('latin1') === text;

/** ISO base media (MP4, 3GP, M4A, QuickTime): a box whose type is `ftyp` at offset 4. */
const isoBaseMedia: Signature = (bytes) => ascii(bytes, 4, 'ftyp');
const ogg: Signature = (bytes) => ascii(bytes, 0, 'OggS');
const webm = startsWith(0x1a, 0x45, 0xdf, 0xa3);
const riff =
  (form: string): Signature =>
  (bytes) =>
    ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, form);
/** MP3: an ID3 tag, or an MPEG audio frame sync. */
const mp3: Signature = (bytes) =>
  ascii(bytes, 0, 'ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0);
/** AAC in ADTS frames. */
const adts: Signature = (bytes) => bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xf6) === 0xf0;

const SIGNATURES: Readonly<Record<string, Signature>> = {
  'image/jpeg': startsWith(0xff, 0xd8, 0xff),
  'image/png': startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  'image/gif': (bytes) => ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a'),
  'image/webp': riff('WEBP'),
  'application/pdf': (bytes) => ascii(bytes, 0, '%PDF-'),
  'video/mp4': isoBaseMedia,
  'video/3gpp': isoBaseMedia,
  'video/quicktime': isoBaseMedia,
  'audio/mp4': isoBaseMedia,
  'audio/ogg': ogg,
  'video/ogg': ogg,
  'audio/mpeg': mp3,
  'audio/aac': (bytes) => adts(bytes) || isoBaseMedia(bytes),
  'audio/amr': (bytes) => ascii(bytes, 0, '#!AMR'),
  'audio/wav': riff('WAVE'),
  'audio/x-wav': riff('WAVE'),
  'audio/webm': webm,
  'video/webm': webm,
};

/** True when the bytes fit the type, or the type has no known signature. */
export function matchesDeclaredType(bytes: Buffer, mimeType: string): boolean {
  const signature = SIGNATURES[baseMimeType(mimeType)];
  return signature ? signature(bytes) : true;
}

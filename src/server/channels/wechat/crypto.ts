import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Safe mode's message encryption (消息加解密, CHANNEL-API.md §7.6), as the official WXBizMsgCrypt
 * samples do it:
 *
 * - key = Base64_Decode(EncodingAESKey + "="): 32 bytes; AES-256-CBC with IV = the key's first 16.
 * - plaintext = 16 random bytes + the message's length (4 bytes, network order) + the message +
 *   the AppId, PKCS#7-padded to a multiple of **32** bytes (not AES's 16), so Node's own padding
 *   is off and ours is checked strictly on the way in.
 * - `Encrypt` = Base64(ciphertext).
 */

/** WeChat pads to 32-byte blocks (the samples' `block_size = 32`). */
const PAD_BLOCK = 32;

export class WechatCryptoError extends Error {
  override readonly name = 'WechatCryptoError';
}

/** The 32-byte key of a 43-character EncodingAESKey; throws for anything else. */
export function aesKeyOf(encodingAESKey: string): Buffer {
  if (!/^[0-9A-Za-z]{43}$/.test(encodingAESKey))
    throw new WechatCryptoError('The EncodingAESKey is not 43 letters or digits.');
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (key.length !== 32)
    throw new WechatCryptoError('The EncodingAESKey does not decode to 32 bytes.');
  return key;
}

function pad(bytes: Buffer): Buffer {
  const n = PAD_BLOCK - (bytes.length % PAD_BLOCK);
  return Buffer.concat([bytes, Buffer.alloc(n, n)]);
}

function unpad(bytes: Buffer): Buffer {
  const n = bytes.at(-1) ?? 0;
  if (n < 1 || n > PAD_BLOCK || n > bytes.length)
    throw new WechatCryptoError('The decrypted message has no valid padding.');
  for (let i = bytes.length - n; i < bytes.length; i += 1)
    if (bytes[i] !== n) throw new WechatCryptoError('The decrypted message has no valid padding.');
  return bytes.subarray(0, bytes.length - n);
}

/** `Encrypt` for `message` (tests, the demo); `random` is for fixed test vectors. */
export function encryptMessage(
  message: string,
  encodingAESKey: string,
  appId: string,
  random: Buffer = randomBytes(16),
): string {
  const key = aesKeyOf(encodingAESKey);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = pad(
    Buffer.concat([random.subarray(0, 16), length, body, Buffer.from(appId, 'utf8')]),
  );
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/**
 * The message inside `Encrypt`, once its padding, length and trailing AppId check out.
 * @throws WechatCryptoError naming what did not (never the key or the plaintext).
 */
export function decryptMessage(encrypted: string, encodingAESKey: string, appId: string): string {
  const key = aesKeyOf(encodingAESKey);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted))
    throw new WechatCryptoError('Encrypt is not Base64.');
  const cipherText = Buffer.from(encrypted, 'base64');
  if (cipherText.length === 0 || cipherText.length % PAD_BLOCK !== 0)
    throw new WechatCryptoError(`Encrypt is not a whole number of ${PAD_BLOCK}-byte blocks.`);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = unpad(Buffer.concat([decipher.update(cipherText), decipher.final()]));
  if (plain.length < 20) throw new WechatCryptoError('The decrypted message is too short.');
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length)
    throw new WechatCryptoError('The decrypted message is shorter than its stated length.');
  const from = plain.subarray(20 + length).toString('utf8');
  if (from !== appId)
    throw new WechatCryptoError(
      'The decrypted message is for another AppID (or the EncodingAESKey is wrong).',
    );
  return plain.subarray(20, 20 + length).toString('utf8');
}

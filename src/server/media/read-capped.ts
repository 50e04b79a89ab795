/**
 * Reads at most `maxBytes` of a response body (a channel's CDN, a shop's product pictures): a
 * declared or actual size over it is refused (`tooLarge`) before more is buffered.
 */
export async function readCapped(
  response: Response,
  maxBytes: number,
  tooLarge: (size: number, maxBytes: number, atLeast?: boolean) => Error,
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(declared, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      throw tooLarge(size, maxBytes, true);
    }
    // A view of the chunk, not a copy (copying a Uint8Array into a Buffer is a slow element
    // loop: ~5 ms per MB on the event loop); the one copy is the concat below.
    chunks.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
  }
  return Buffer.concat(chunks, size);
}

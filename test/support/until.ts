/**
 * Read `read()` until `done` holds or `timeoutMs` passes, every 25 ms; returns the last value
 * read, so the caller's assertion shows what was there instead of a bare timeout.
 */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

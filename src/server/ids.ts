import { randomBytes } from 'node:crypto';

/**
 * Ids that sort by creation time (48-bit ms timestamp, then randomness), with a readable
 * prefix: `msg_0m3x…`. Sorting by id then matches sorting by creation, which cursors rely on.
 */
let lastTime = 0;
let counter = 0;

export function newId(prefix: string, now: number = Date.now()): string {
  if (now === lastTime) counter += 1;
  else {
    lastTime = now;
    counter = 0;
  }
  const time = now.toString(36).padStart(9, '0');
  const seq = counter.toString(36).padStart(3, '0');
  return `${prefix}_${time}${seq}${randomBytes(6).toString('hex')}`;
}

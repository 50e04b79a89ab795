import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';

/**
 * The 50 app sockets of the hub benchmark, in a worker thread so receiving never delays the
 * load generator's sending. Socket 0 timestamps every message body it receives (the sender
 * embeds `bench:<hrtime ns>`); the others only count frames, as parsing 50× would load the
 * harness, not the hub.
 */
/** @type {{ url: string; token: string | null; sockets: number }} */
const { url, token, sockets: count } = workerData;
/** @type {number[]} */
const latencies = [];
let received = 0;
/** @type {WebSocket[]} */
const sockets = [];

for (let i = 0; i < count; i++) {
  const socket = new WebSocket(
    `${url.replace('http', 'ws')}/ws`,
    token ? ['replydesk.v1', `auth.${token}`] : [],
  );
  await new Promise((resolve, reject) => {
    socket.once('open', () => resolve(undefined));
    socket.once('error', reject);
  });
  if (i === 0) {
    socket.on('message', (/** @type {Buffer} */ data) => {
      const now = process.hrtime.bigint();
      // Count message bodies only: conversation previews repeat the text.
      for (const match of data.toString().matchAll(/"body":"[^"]*bench:(\d+)"/g)) {
        latencies.push(Number(now - BigInt(match[1] ?? '0')) / 1e6);
        received += 1;
      }
    });
  }
  sockets.push(socket);
}

parentPort?.on('message', (/** @type {string} */ request) => {
  if (request === 'take') {
    parentPort?.postMessage({ received, latencies: latencies.splice(0) });
  } else if (request === 'close') {
    for (const socket of sockets) socket.terminate();
    parentPort?.postMessage({ closed: true });
  }
});
parentPort?.postMessage({ ready: true });

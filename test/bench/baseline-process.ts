import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The baseline: a bare `ws` server that broadcasts each webhook body it receives to every
 * socket, with no signature check, parsing, storage or sequencing. What the hub adds on top is
 * the difference between the two.
 */
const sockets = new Set<WebSocket>();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const frame = JSON.stringify({
      type: 'events',
      events: [
        { seq: 0, at: Date.now(), event: JSON.parse(Buffer.concat(chunks).toString()) as unknown },
      ],
    });
    for (const socket of sockets) socket.send(frame);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"received":1}');
  });
});
const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (socket) => {
  sockets.add(socket);
  socket.send(JSON.stringify({ type: 'hello' }));
  socket.on('close', () => sockets.delete(socket));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
  );
});
process.on('SIGTERM', () => process.exit(0));

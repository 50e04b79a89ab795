import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

/**
 * The media benchmark's Graph API fake (test/support/fake-graph-api.ts) in a thread of its own,
 * so serving 50 MB of files never stalls the load generator's sending. Answers `{url, ids}` once
 * it listens; `count` asks how many files were fetched; `close` stops it.
 */
/** @type {{ token: string; files: { bytes: Uint8Array; mimeType: string }[] }} */
const { token, files } = workerData;
const { startFakeGraphApi } = await tsImport('../support/fake-graph-api.ts', import.meta.url);
const graph = await startFakeGraphApi({ accessToken: token });
const ids = files.map((/** @type {{ bytes: Uint8Array; mimeType: string }} */ file) =>
  graph.addMedia({ bytes: Buffer.from(file.bytes), mimeType: file.mimeType }),
);
parentPort?.on('message', (/** @type {string} */ request) => {
  if (request === 'count') {
    parentPort?.postMessage(
      graph.requests.filter((/** @type {{ path: string }} */ r) => r.path.startsWith('/cdn/'))
        .length,
    );
  } else if (request === 'close') {
    void graph.close().then(() => parentPort?.postMessage('closed'));
  }
});
parentPort?.postMessage({ url: graph.url, ids });

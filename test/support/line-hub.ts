import type { RunningHub } from '../../src/server/hub';
import { startFakeLineApi, type FakeLineApi } from './fake-line-api';
import { startTestHub } from './hub';
import { LINE, lineSettings } from './line-webhooks';

/** The fake Messaging API for the test account (`LINE`), on the test's clock. */
export const startLineFake = (now: () => number): Promise<FakeLineApi> =>
  startFakeLineApi({
    channelAccessToken: LINE.channelAccessToken,
    channelSecret: LINE.channelSecret,
    botUserId: LINE.botUserId,
    now,
  });

/**
 * A hub with LINE connected to a fresh fake, both on the test's clock; LINE fetches the files
 * agents send from the hub's public address (only the path is served here).
 */
export async function startLineHub(
  now: () => number,
): Promise<{ line: FakeLineApi; hub: RunningHub }> {
  const line = await startLineFake(now);
  const hub = await startTestHub({
    now,
    sendTimeoutMs: 1000,
    publicUrl: 'https://hub.shop.example',
    channels: { line: lineSettings(line.url) },
  });
  return { line, hub };
}

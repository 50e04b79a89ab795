import { describe, expect, it } from 'vitest';
import { startHubInUtilityProcess } from '../../src/main/hub-process';
import type { HubOptions } from '../../src/server/hub';
import { FakeUtilityProcess } from './fake-electron';

/** The embedded hub in a utility process, not via ELECTRON_RUN_AS_NODE (issue #13, item 9). */
const options = { dataDir: '/u/Replydesk/hub', port: 0 } as unknown as HubOptions;
const listening = async () => ({ url: 'http://127.0.0.1:4477', port: 4477, close: async () => {} });

describe('the embedded hub in a utility process', () => {
  it('creates the data folder in one process, then runs the hub in another', async () => {
    const initialised: string[] = [];
    const utility = new FakeUtilityProcess({
      startHub: listening,
      initialise: async (dir) => void initialised.push(dir),
    });
    const hub = await startHubInUtilityProcess(utility, '/app/out/main/hub-process.js')(options);
    expect(hub.url).toBe('http://127.0.0.1:4477');
    expect(initialised).toEqual(['/u/Replydesk/hub']);
    expect(utility.messages.map((m) => m.to)).toEqual([
      [{ type: 'initialise', dataDir: '/u/Replydesk/hub' }],
      [{ type: 'start', options }],
    ]);
    await hub.close();
    await hub.close();
    expect(utility.messages[1]?.to.at(-1)).toEqual({ type: 'close' });
    expect(
      utility.messages[1]?.to.filter((m) => (m as { type: string }).type === 'close'),
    ).toHaveLength(1);
  });

  it('says why when the data folder cannot be used, and starts no hub', async () => {
    const utility = new FakeUtilityProcess({
      startHub: listening,
      initialise: async () => {
        throw new Error(
          'Cannot use the data folder /u/Replydesk/hub: a part of the path is a file.',
        );
      },
    });
    await expect(
      startHubInUtilityProcess(utility, '/app/out/main/hub-process.js')(options),
    ).rejects.toThrow('Cannot use the data folder /u/Replydesk/hub: a part of the path is a file.');
    expect(utility.forks).toHaveLength(1);
  });

  it('says why when the hub cannot start', async () => {
    const utility = new FakeUtilityProcess({
      startHub: async () => {
        throw new Error('listen EADDRINUSE: address already in use 127.0.0.1:4477');
      },
      initialise: async () => undefined,
    });
    await expect(
      startHubInUtilityProcess(utility, '/x/hub-process.js')({ ...options, dataDir: null }),
    ).rejects.toThrow('listen EADDRINUSE: address already in use 127.0.0.1:4477');
    expect(utility.forks).toHaveLength(1);
  });
});

import { expect, it } from 'vitest';
import { startTestHub } from '../support/hub';

// A closing hub stops what it led (the demo simulator and SLA breach recording) before its
// database closes — on PGlite too, where the leader lock is never lost (a demo step used to run
// on into the closed database: "demo: step failed").
it('a closing hub gives up leading before its database closes', async () => {
  const changes: boolean[] = [];
  const hub = await startTestHub({ demo: true, demoSeed: 7, onLeadership: (l) => changes.push(l) });
  expect(changes).toEqual([true]);
  expect(hub.leading()).toBe(true);
  await hub.close();
  expect(changes).toEqual([true, false]);
  expect(hub.leading()).toBe(false);
}, 120_000);

import { describe } from 'vitest';
import { itFansOutToEverySocket, itSurvivesKill9, useFailoverWorld } from './failover-suite';

/**
 * Issue #18, "must show": the failover of `hub-failover.test.ts` driven through nginx in front of
 * both hub processes (round robin, WebSocket upgrade, the next hub tried when one is gone).
 */
const world = useFailoverWorld({ nginx: true });

describe('two hub processes behind nginx on one PostgreSQL server', () => {
  itFansOutToEverySocket(world, 'nginx');
  // Last: it kills hub A.
  itSurvivesKill9(world, 'nginx');
});

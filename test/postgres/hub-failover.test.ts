import { describe } from 'vitest';
import { itSurvivesKill9, useFailoverWorld } from './failover-suite';

/**
 * Issue #18, "must show": two hub processes on one PostgreSQL server, webhooks alternately to
 * both, sockets on both; one is killed with `kill -9` mid-stream and the other carries on with
 * nothing lost or doubled. (The same through nginx: `hub-failover-nginx.test.ts`.)
 */
const world = useFailoverWorld({ nginx: false });

describe('two hub processes on one PostgreSQL server', () => {
  itSurvivesKill9(world, 'direct');
});

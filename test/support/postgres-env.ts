import { inject } from 'vitest';

// setupFiles of the `postgres` project: startTestHub reads the cluster from here.
process.env['REPLYDESK_TEST_POSTGRES'] = inject('postgresUrl');

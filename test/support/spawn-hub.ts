import type { ChildProcess } from 'node:child_process';
import { ADMIN, whatsappEnv } from './hub';
import { startHubProcess as startHubWith } from './hub-processes';

/**
 * A hub in a process of its own (`hub-process.ts`) on `dataDir`, with WhatsApp pointed at a fake
 * Graph API: for tests that kill it with `SIGKILL` and start another on the same folder. The
 * child is added to `children`, for the suite to kill whatever is left at the end.
 */
export async function startHubProcess(
  dataDir: string,
  graphUrl: string,
  children: Set<ChildProcess>,
): Promise<{ url: string; child: ChildProcess }> {
  const hub = await startHubWith({
    REPLYDESK_DATA_DIR: dataDir,
    REPLYDESK_ADMIN_EMAIL: ADMIN.email,
    REPLYDESK_ADMIN_PASSWORD: ADMIN.password,
    ...whatsappEnv(graphUrl),
  });
  children.add(hub.child);
  return { url: hub.url, child: hub.child };
}

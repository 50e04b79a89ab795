import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ADMIN, WHATSAPP } from './hub';

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
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/hub-process.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      REPLYDESK_DATA_DIR: dataDir,
      REPLYDESK_ADMIN_EMAIL: ADMIN.email,
      REPLYDESK_ADMIN_PASSWORD: ADMIN.password,
      WHATSAPP_APP_SECRET: WHATSAPP.appSecret,
      WHATSAPP_VERIFY_TOKEN: WHATSAPP.verifyToken,
      WHATSAPP_ACCESS_TOKEN: WHATSAPP.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: WHATSAPP.phoneNumberId,
      WHATSAPP_GRAPH_URL: graphUrl,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^\{"url":"(http:\/\/[\d.:]+)"\}$/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the hub exited (${code}) before listening`)));
  });
  return { url, child };
}

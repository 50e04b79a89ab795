import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface HubProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Whether it said it leads (records SLA breaches, runs the demo), as of its last word. */
  leading(): boolean;
  /** `kill -9`, resolved once the process is gone. */
  kill(): Promise<void>;
}

/**
 * A hub in a child process (`hub-process.ts`), configured by `env` on top of this process's
 * environment, for tests that kill it. Resolves once it listens.
 */
export async function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/hub-process.ts'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let leading = false;
  lines.on('line', (line) => {
    const match = /^\{"leading":(true|false)\}$/.exec(line);
    if (match) leading = match[1] === 'true';
  });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^\{"url":"(http:\/\/[\d.:]+)"\}$/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the hub exited (${code}) before listening`)));
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    leading: () => leading,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

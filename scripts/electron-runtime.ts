import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Finding (and if need be fetching) the Electron runtime for `npm start`. The `electron` npm
 * package downloads its binary lazily; on machines without internet that fails, and `npm start`
 * must then say so in one line and serve the app to a browser instead.
 */

export type RuntimeLookup = { found: true; executable: string } | { found: false; reason: string };

/** Where the installed runtime lives, without downloading anything. */
export function locateElectronRuntime(
  packageDir: string,
  env: Record<string, string | undefined>,
): RuntimeLookup {
  if (!existsSync(path.join(packageDir, 'package.json'))) {
    return { found: false, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const executable = path.join(override, relative || 'electron');
    return existsSync(executable)
      ? { found: true, executable }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${executable}` };
  }
  if (relative === '')
    return { found: false, reason: 'the Electron binary has not been downloaded' };
  const executable = path.join(packageDir, 'dist', relative);
  return existsSync(executable)
    ? { found: true, executable }
    : { found: false, reason: `the Electron binary is missing at ${executable}` };
}

export interface InstallResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Run electron's own installer (its download step), capturing output instead of printing it. */
export function runElectronInstaller(
  packageDir: string,
  timeoutMs: number,
): Promise<InstallResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(packageDir, 'install.js')], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, output: `timed out after ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, output: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output });
    });
  });
}

/** The most telling line of an installer's output, for the one-line explanation. */
export function summariseInstallFailure(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '));
  const telling = lines.find((line) =>
    /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|timed out/i.test(line),
  );
  const line = telling ?? lines.at(-1) ?? 'no output';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** Locate the runtime, downloading it once when it is missing. */
export async function obtainElectronRuntime(
  packageDir: string,
  env: Record<string, string | undefined>,
  install: () => Promise<InstallResult>,
): Promise<RuntimeLookup> {
  const first = locateElectronRuntime(packageDir, env);
  if (first.found || env['ELECTRON_OVERRIDE_DIST_PATH']) return first;
  const result = await install();
  const second = locateElectronRuntime(packageDir, env);
  if (second.found) return second;
  return {
    found: false,
    reason: result.ok
      ? second.reason
      : `the download failed: ${summariseInstallFailure(result.output)}`,
  };
}

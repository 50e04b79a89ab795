import { spawnSync } from 'node:child_process';
import {
  electronBuilderArgs,
  parseDistArgs,
  signingRefusal,
  type DistRequest,
} from './signing-env';

/**
 * `npm run dist [-- --win|--mac|--linux] [--unsigned]`: checks the signing variables first
 * (scripts/signing-env.ts), then builds the app and runs electron-builder, which reads the same
 * variables to sign and notarise.
 */

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env,
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

let request: DistRequest;
try {
  request = parseDistArgs(process.argv.slice(2), process.platform);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const refusal = signingRefusal(request, process.env);
if (refusal !== null) {
  console.error(refusal);
  process.exit(1);
}
// An unsigned build must not pick up a certificate that happens to be in the keychain.
const env = request.unsigned
  ? { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' }
  : process.env;
run('npx', ['electron-vite', 'build'], env);
run('npx', ['electron-builder', ...electronBuilderArgs(request)], env);

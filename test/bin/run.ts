// Runs a command as `npm run <command> -- <args>` does: a fresh node on bin/<command>.ts, without
// npm's own variables (tests that want them pass them).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '../..');

export function runBin(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_config_')));
  return spawnSync(
    process.execPath,
    ['--require', require.resolve('@swc-node/register'), path.join(ROOT, 'bin', `${command}.ts`), ...args],
    {
      cwd: options.cwd ?? ROOT,
      encoding: 'utf8',
      env: { ...env, ...options.env },
    },
  );
}

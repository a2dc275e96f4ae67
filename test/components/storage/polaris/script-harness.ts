// Running the generated POSIX sh scripts for real, with the real curl.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SH = '/bin/sh';
export const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((f) => fs.existsSync(f));

/**
 * Userlands to run the scripts in: this machine's sh (dash here) and, when busybox is installed,
 * busybox sh, sed, mktemp and friends in front of the real curl, as in the Alpine-based curl image.
 */
export interface Userland {
  name: string;
  shell: string;
  /** Prepended to PATH. */
  binDir?: string;
}
export const USERLANDS: Userland[] = [{ name: 'sh', shell: SH }];
if (BUSYBOX) USERLANDS.push({ name: 'busybox', shell: BUSYBOX });
else console.warn('busybox is not installed: the generated scripts are run with /bin/sh only');

export function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const PATH = [env.PATH, process.env.PATH ?? '/usr/bin:/bin'].filter(Boolean).join(':');
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...env, PATH }, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The shell command for a userland: busybox runs its sh applet. */
export const shell = (u: Userland, args: string[]): [string, string[]] =>
  u.shell === BUSYBOX ? [u.shell, ['sh', ...args]] : [u.shell, args];

/** A directory of busybox applet links, so the script's sed, mktemp, cat, rm and sleep are busybox's too. */
export function busyboxBin(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'busybox-bin-'));
  for (const applet of ['sh', 'sed', 'mktemp', 'cat', 'rm', 'sleep']) fs.symlinkSync(BUSYBOX!, path.join(dir, applet));
  return dir;
}

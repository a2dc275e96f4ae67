// Resolving image digests into a lock file, where a registry is reachable. Uses crane or skopeo,
// whichever the machine has, so nothing here talks to a registry itself.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { ImageLock } from './images';

export type DigestTool = 'crane' | 'skopeo';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

function commandFor(tool: DigestTool, ref: string): [string, string[]] {
  return tool === 'crane' ? ['crane', ['digest', ref]] : ['skopeo', ['inspect', '--format', '{{.Digest}}', `docker://${ref}`]];
}

export function toolAvailable(tool: DigestTool): boolean {
  try {
    execFileSync(tool, ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The digest of one reference, or an error naming the reference and what the tool said. */
export function resolveDigest(tool: DigestTool, ref: string): string {
  const [command, args] = commandFor(tool, ref);
  let output: string;
  try {
    output = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.toString().trim();
    throw new Error(`${tool} could not resolve ${ref}: ${stderr || (error as Error).message}`, { cause: error });
  }
  if (!DIGEST.test(output)) throw new Error(`${tool} returned "${output}" for ${ref}; expected a sha256 digest`);
  return output;
}

/** Resolves every reference; a partial lock is never written. */
export function resolveLock(tool: DigestTool, refs: string[]): ImageLock {
  const images: Record<string, string> = {};
  for (const ref of [...new Set(refs)].sort()) images[ref] = resolveDigest(tool, ref);
  return { images };
}

export function writeLock(path: string, lock: ImageLock): void {
  fs.writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
}

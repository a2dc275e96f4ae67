// Suites that run generated scripts with real tools of this machine (sh, bash, python3, wget,
// shellcheck): in CI (.ci/run installs them) a missing tool fails the suite; locally it is skipped
// with the reason.
import { execFileSync } from 'node:child_process';

const installed = (tool: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** A `describe` that needs these tools; `install` says how to get them when apt-get does not. */
export function describeWithTools(tools: string[], name: string, fn: () => void, install?: string): void {
  const missing = tools.filter((tool) => !installed(tool));
  if (!missing.length) return describe(name, fn);
  const how = install ?? `apt-get install ${missing.join(' ')}`;
  if (process.env.CI) return describe(name, () => it(`needs ${missing.join(', ')} (${how})`, () => expect(missing).toEqual([])));
  console.warn(`skipping "${name}": ${missing.join(', ')} not installed (${how})`);
  describe.skip(name, fn);
}

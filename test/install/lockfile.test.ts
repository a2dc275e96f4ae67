// The README's first command must work on any machine and leave the tree clean: `npm ci` needs a
// lock that lists every platform's optional packages, and `engines` must not promise a Node
// version some dependency refuses.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const entries = Object.entries(lock.packages as Record<string, any>).filter(([key]) => key !== '');

/** The lowest Node major a range admits: ">=22", "^20.19.0 || ^22.13.0 || >=24", ">= 16.20.0". */
export function lowestMajor(range: string): number {
  const majors = range.split('||').map((alternative) => Number(/(\d+)/.exec(alternative)?.[1] ?? 0));
  return Math.min(...majors);
}

describe('package-lock.json', () => {
  it('lists every optional platform package a locked package names, so npm ci works on every OS', () => {
    const present = new Set(entries.map(([key]) => key.replace(/^.*node_modules\//, '')));
    const missing = entries.flatMap(([key, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((name) => !present.has(name))
        .map((name) => `${key.replace(/^.*node_modules\//, '')} -> ${name}`),
    );
    expect(entries.some(([, e]) => Object.keys(e.optionalDependencies ?? {}).length > 3)).toBe(true);
    expect(missing).toEqual([]);
  });

  it('is the lock of this package.json: the same dependencies at the same versions', () => {
    const root = lock.packages[''];
    expect(root.dependencies).toEqual(pkg.dependencies);
    expect(root.devDependencies).toEqual(pkg.devDependencies);
    expect(root.engines).toEqual(pkg.engines);
  });
});

describe('supported Node versions', () => {
  it('reads the lowest major of a range', () => {
    expect(lowestMajor('>=22')).toBe(22);
    expect(lowestMajor('^20.19.0 || ^22.13.0 || >=24')).toBe(20);
    expect(lowestMajor('>= 16.20.0')).toBe(16);
  });

  it('asks for at least the Node every runtime dependency needs', () => {
    const runtime = entries.filter(([, e]) => !e.dev && e.engines?.node);
    const needed = Math.max(...runtime.map(([, e]) => lowestMajor(e.engines.node)));
    expect(needed).toBeGreaterThanOrEqual(22);
    expect(lowestMajor(pkg.engines.node)).toBeGreaterThanOrEqual(needed);
  });

  it('is stated in the README, tested by the workflow, and CI installs exactly the lock', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/Node 22 or 24/);
    const workflow = fs.readFileSync(path.join(ROOT, '.github/workflows/platform.yml'), 'utf8');
    expect(workflow).toMatch(/node: \[22, 24\]/);
    expect(workflow).not.toMatch(/npm install/);
    expect(fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm ci\b/m);
  });
});

// The laptop budget: a k3d platform over 10 GiB of memory requests or 16 GiB of limits stops render
// and the Pulumi program (preview, up) before anything is written or registered, unless the stack
// sets k3d.allowOverBudget. The totals are the summary's.
import * as fs from 'node:fs';
import { tempDir } from '../helpers/temp-dirs';
import * as path from 'node:path';
import { assertLaptopBudget, BudgetError, LAPTOP_BUDGET, overLaptopBudget } from '../../render/budget';
import { resourceTotals, summarize } from '../../render/summary';
import { buildFor } from '../helpers/build';
import { runBin } from '../bin/run';
import { installMocks, Registration } from '../stacks/pulumi-mocks';

const GiB = 2 ** 30;
const medium = { sizing: 'medium' };
const allowed = { sizing: 'medium', k3d: { allowOverBudget: true } };

describe('the laptop budget', () => {
  it('is 10 GiB of memory requests and 16 GiB of limits', () => {
    expect(LAPTOP_BUDGET).toEqual({ requests: 10 * GiB, limits: 16 * GiB });
  });

  it('holds the default k3d platform, with the totals of the summary', () => {
    const build = buildFor('k3d');
    const totals = resourceTotals(build);
    const summary = summarize(build, 0);
    expect(totals.requests).toEqual({ cpu: summary.totals.cpu, memory: summary.totals.memory });
    expect(totals.limits).toEqual(summary.totals.limits);
    expect(totals.requests.memory).toBeLessThanOrEqual(LAPTOP_BUDGET.requests);
    expect(totals.limits.memory).toBeLessThanOrEqual(LAPTOP_BUDGET.limits);
    expect(() => assertLaptopBudget(build)).not.toThrow();
  });

  it('stops sizing medium on k3d, naming the totals, the budget, the largest services and the override', () => {
    const build = buildFor('k3d', medium);
    expect(overLaptopBudget(build).length).toBeGreaterThan(0);
    expect(() => assertLaptopBudget(build)).toThrow(BudgetError);
    expect(() => assertLaptopBudget(build)).toThrow(
      /^the k3d platform does not fit the laptop budget: memory requests [0-9.]+ GiB \(budget 10\.00 GiB\).* with sizing "medium" \(largest requests: [-a-z]+ [0-9.]+ GiB, .*\)\. .*set k3d\.allowOverBudget: true/,
    );
  });

  it('lets k3d.allowOverBudget through, and does not apply outside k3d', () => {
    expect(() => assertLaptopBudget(buildFor('k3d', allowed))).not.toThrow();
    expect(() => assertLaptopBudget(buildFor('eks', { sizing: 'large' }))).not.toThrow();
  });
});

describe('npm run render over the budget', () => {
  const stack = (text: string) => {
    const cwd = tempDir('budget-');
    fs.writeFileSync(path.join(cwd, 'Pulumi.k3d.yaml'), `config:\n  analytics-platform:sizing: medium\n${text}`);
    return cwd;
  };

  it('stops with the message and writes nothing', () => {
    const cwd = stack('');
    const result = runBin('render', ['--out', 'out'], { cwd });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: the k3d platform does not fit the laptop budget: memory requests/);
    expect(result.stderr).toContain('analytics-platform:k3d: { allowOverBudget: true }');
    expect(fs.existsSync(path.join(cwd, 'out'))).toBe(false);
  });

  it('renders with k3d.allowOverBudget, saying so', () => {
    const cwd = stack('  analytics-platform:k3d:\n    allowOverBudget: true\n');
    const result = runBin('render', ['--out', 'out'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'budget:        over the laptop budget (10 GiB requests, 16 GiB limits), allowed by k3d.allowOverBudget',
    );
  });
});

describe('pulumi preview over the budget', () => {
  async function runStack(overrides: Record<string, unknown>) {
    let registrations: Registration[] = [];
    let error: unknown;
    await new Promise<void>((resolve, reject) =>
      jest.isolateModules(() => {
        (async () => {
          registrations = await installMocks(
            'k3d',
            Object.fromEntries(
              Object.entries(overrides).map(([k, v]) => [`analytics-platform:${k}`, typeof v === 'string' ? v : JSON.stringify(v)]),
            ),
          );
          const { deployPlatform } = await import('../../stacks/platform');
          try {
            deployPlatform();
            await new Promise((r) => setTimeout(r, 50));
          } catch (e) {
            error = e;
          }
        })().then(resolve, reject);
      }),
    );
    return { registrations, error };
  }

  it('stops before any resource is registered', async () => {
    const run = await runStack({ environment: 'k3d', ...medium });
    expect(String(run.error)).toMatch(/the k3d platform does not fit the laptop budget: .*k3d\.allowOverBudget/);
    expect(run.registrations).toEqual([]);
  });

  it('registers the platform with k3d.allowOverBudget', async () => {
    const run = await runStack({ environment: 'k3d', ...allowed });
    expect(run.error).toBeUndefined();
    expect(run.registrations.length).toBeGreaterThan(0);
  });
});

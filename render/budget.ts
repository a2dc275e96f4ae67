// The laptop budget: the k3d platform must fit a laptop, so render and `pulumi preview`/`up` stop
// when its memory requests or limits exceed it, unless the stack says the machine has more
// (`k3d.allowOverBudget`). Totals are the summary's (render/summary.ts).
import type { PlatformBuild } from '../components/platform/build';
import { LAPTOP_BUDGET_GIB, type PlatformConfig } from '../environments/schema';
import { resourceTotals, serviceResources } from './summary';

const GiB = 2 ** 30;

/** Memory, in bytes, the whole k3d platform may request and be limited to (DESIGN.md, "Laptop budget"). */
export const LAPTOP_BUDGET = { requests: LAPTOP_BUDGET_GIB.requests * GiB, limits: LAPTOP_BUDGET_GIB.limits * GiB } as const;

export class BudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetError';
  }
}

const gib = (bytes: number) => `${(bytes / GiB).toFixed(2)} GiB`;

/** What exceeds the laptop budget in a k3d build, or [] (also for other environments). */
export function overLaptopBudget(build: PlatformBuild): string[] {
  if (build.config.environment !== 'k3d') return [];
  const totals = resourceTotals(build);
  const over: string[] = [];
  if (totals.requests.memory > LAPTOP_BUDGET.requests)
    over.push(`memory requests ${gib(totals.requests.memory)} (budget ${gib(LAPTOP_BUDGET.requests)})`);
  if (totals.limits.memory > LAPTOP_BUDGET.limits)
    over.push(`memory limits ${gib(totals.limits.memory)} (budget ${gib(LAPTOP_BUDGET.limits)})`);
  return over;
}

/** Stops a k3d build over the laptop budget, naming the totals, the largest services and the way out. */
export function assertLaptopBudget(build: PlatformBuild): void {
  const over = overLaptopBudget(build);
  const config: PlatformConfig = build.config;
  if (!over.length || config.k3d?.allowOverBudget) return;
  const largest = build.services
    .map((s) => ({ name: s.declaration.name, memory: serviceResources(s).requests.memory }))
    .sort((a, b) => b.memory - a.memory)
    .slice(0, 3)
    .map((s) => `${s.name} ${gib(s.memory)}`);
  throw new BudgetError(
    `the k3d platform does not fit the laptop budget: ${over.join(', ')} with sizing "${config.sizing}" ` +
      `(largest requests: ${largest.join(', ')}). Use sizing "small" or turn optional services off; on a machine with the memory, ` +
      `set k3d.allowOverBudget: true (in Pulumi.k3d.yaml, \`analytics-platform:k3d: { allowOverBudget: true }\`)`,
  );
}

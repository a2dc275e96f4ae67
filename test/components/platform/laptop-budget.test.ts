// The laptop budget (DESIGN.md, "Laptop budget"): the default k3d platform, every layer on, fits 10
// GiB of memory requests and 16 GiB of limits: k3d's node shares a 16 GB machine with the OS, a
// browser and k3s itself. The layers built so far (storage, compute, governance, edge) take at most
// half the requests, so the layers still to come (ingestion, AI, analytics, observability) have
// the other half. Sums run over the long-running workloads of the default k3d render, every
// container times its workload's replicas; Jobs finish, so they hold nothing. Failures name
// services and quantities only.
import type { PlatformBuild } from '../../../components/platform/build';
import type { KubeObject } from '../../../components/platform/kube-object';
import { PLACEMENTS } from '../../../components/platform/layers';
import { memoryToBytes } from '../../../components/platform/quantity';
import { loadEnvironment } from '../../../render/render-environment';
import { synthComposition } from '../../../stacks/composition';
import { COMPOSITIONS } from '../../../stacks/compositions';

const GiB = 2 ** 30;
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet'];
const CURRENT_LAYERS = ['storage', 'compute', 'governance', 'edge'];

/** The build `npm run render -- --env k3d` makes: the stack file over the k3d profile, the k3d composition. */
const render = (): PlatformBuild => synthComposition(COMPOSITIONS.k3d, loadEnvironment('k3d')).build;

interface Usage {
  service: string;
  layer: string;
  requests: number;
  limits: number;
}

function usage(build: PlatformBuild): Usage[] {
  return build.services.map((s) => {
    const workloads = s.objects.filter((o: KubeObject) => LONG_RUNNING.includes(o.kind)) as any[];
    const sum = (kind: 'requests' | 'limits') =>
      workloads.reduce(
        (total, w) =>
          total +
          (w.kind === 'DaemonSet' ? 1 : (w.spec.replicas ?? 1)) *
            w.spec.template.spec.containers.reduce((n: number, c: any) => n + memoryToBytes(c.resources?.[kind]?.memory ?? '0'), 0),
        0,
      );
    return { service: s.declaration.name, layer: s.declaration.layer, requests: sum('requests'), limits: sum('limits') };
  });
}

const total = (rows: Usage[], kind: 'requests' | 'limits') => rows.reduce((n, r) => n + r[kind], 0) / GiB;

/** Fails naming each service's requests and limits, and nothing else. */
function expectAtMost(rows: Usage[], kind: 'requests' | 'limits', budgetGiB: number): void {
  const gib = total(rows, kind);
  if (gib > budgetGiB) {
    const table = rows.map((r) => `  ${r.layer}/${r.service}: ${(r.requests / GiB).toFixed(2)} / ${(r.limits / GiB).toFixed(2)} GiB`);
    throw new Error(`memory ${kind} ${gib.toFixed(2)} GiB exceed ${budgetGiB} GiB (requests / limits per service):\n${table.join('\n')}`);
  }
  expect(gib).toBeLessThanOrEqual(budgetGiB);
}

describe('the default k3d platform on a 16 GB laptop', () => {
  const build = render();
  const rows = usage(build);

  it('composes every layer, and gives every container of a long-running workload a memory request and limit', () => {
    expect([...COMPOSITIONS.k3d.layers].sort()).toEqual([...PLACEMENTS].sort());
    const unsized = build.services
      .flatMap((s) => s.objects)
      .filter((o: KubeObject) => LONG_RUNNING.includes(o.kind))
      .flatMap((w: any) => w.spec.template.spec.containers.map((c: any) => ({ workload: w.metadata.name, container: c })))
      .filter(({ container }) => !container.resources?.requests?.memory || !container.resources?.limits?.memory)
      .map(({ workload, container }) => `${workload}/${container.name}`);
    expect(unsized).toEqual([]);
  });

  it('requests at most 10 GiB of memory for every layer together', () => {
    expectAtMost(rows, 'requests', 10);
  });

  it('lets those workloads grow to at most 16 GiB together', () => {
    expectAtMost(rows, 'limits', 16);
  });

  it('leaves half the requests to the layers still to come: storage, compute, governance and edge request at most 5 GiB', () => {
    expectAtMost(
      rows.filter((r) => CURRENT_LAYERS.includes(r.layer)),
      'requests',
      5,
    );
  });
});

// Availability rules relating workloads, their autoscalers and their disruption budgets: replicas
// spread over nodes, a budget for every replicated workload, and budgets that still let nodes drain.
// Enforced on eks (many nodes, zones, managed upgrades that drain them); advice where one node is normal.
import type { KubeObject } from '../../components/platform/kube-object';
import {
  describe,
  formatSelector,
  namespaceOf,
  ofKind,
  REPLICATED_KINDS,
  replicaRange,
  selects,
  specOf,
  type LabelSelector,
} from './relations';
import { mandatory, type Enforcement, type StackFinding, type StackRule } from './types';
import { podOf, templateLabels } from './workload';
import type { EnvironmentName } from '../../environments/schema';

const ON_EKS: Record<EnvironmentName, Enforcement> = { k3d: 'advisory', eks: 'mandatory', airgapped: 'advisory' };

/** Topology keys that put replicas on different nodes (a zone is a set of nodes). */
const SPREAD_KEYS = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'];

interface Term {
  topologyKey?: string;
  labelSelector?: LabelSelector;
  namespaces?: string[];
}

/** Whether the pod spec spreads its own replicas: a topology spread constraint or a pod anti-affinity term over nodes or zones, selecting its own labels. */
function spreads(workload: KubeObject): boolean {
  const pod = podOf(workload) ?? {};
  const labels = templateLabels(workload) ?? {};
  const own = (t: Term) => SPREAD_KEYS.includes(t.topologyKey ?? '') && selects(t.labelSelector, labels);
  const anti = pod.affinity?.podAntiAffinity ?? {};
  const terms: Term[] = [
    ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p: { podAffinityTerm: Term }) => p.podAffinityTerm),
  ];
  return (
    ((pod.topologySpreadConstraints ?? []) as Term[]).some(own) ||
    terms.some((t) => own(t) && (!t.namespaces?.length || t.namespaces.includes(namespaceOf(workload))))
  );
}

const replicated = (objects: KubeObject[]) =>
  ofKind(objects, ...REPLICATED_KINDS)
    .map((workload) => ({ workload, range: replicaRange(objects, workload) }))
    .filter(({ range }) => range.max > 1);

const replicasSpread: StackRule = {
  id: 'replicas-spread',
  scope: 'stack',
  title: 'Replicated workloads spread their replicas over nodes',
  rationale:
    "Replicas the scheduler packs onto one node all fail with it, so the redundancy they were added for is lost in exactly the failure it was for. The spread is a topology spread constraint or a pod anti-affinity term over kubernetes.io/hostname or topology.kubernetes.io/zone that selects the workload's own pods. Single-replica workloads have nothing to spread. Mandatory on eks; advice where a single node is normal (k3d) or node count is the site's choice (air-gapped).",
  severity: 'medium',
  category: 'reliability',
  controls: { kubeLinter: ['no-anti-affinity'], polaris: ['topologySpreadConstraint'], crosswalk: [39] },
  enforcement: ON_EKS,
  check(objects) {
    return replicated(objects)
      .filter(({ workload }) => !spreads(workload))
      .map(({ workload, range }) => ({
        object: workload,
        message: `runs up to ${range.max} replicas (${range.by}) with no topologySpreadConstraints or podAntiAffinity term over nodes or zones selecting its own pods`,
      }));
  },
};

const pdbsSelecting = (objects: KubeObject[], workload: KubeObject) =>
  ofKind(objects, 'PodDisruptionBudget').filter(
    (p) => namespaceOf(p) === namespaceOf(workload) && selects(specOf(p).selector, templateLabels(workload)),
  );

const pdbForReplicated: StackRule = {
  id: 'pdb-for-replicated-workloads',
  scope: 'stack',
  title: 'Every replicated Deployment and StatefulSet has a PodDisruptionBudget',
  rationale:
    'Without a budget a node drain (upgrades, autoscaler scale-down) may evict every replica at once. Only workloads with more than one replica need one: a budget on a single replica either blocks drains or protects nothing. Mandatory on eks, whose managed node upgrades drain nodes; advice elsewhere.',
  severity: 'medium',
  category: 'reliability',
  controls: { polaris: ['missingPodDisruptionBudget'], crosswalk: [40] },
  enforcement: ON_EKS,
  check(objects) {
    return replicated(objects)
      .filter(({ workload }) => !pdbsSelecting(objects, workload).length)
      .map(({ workload, range }) => ({
        object: workload,
        message: `runs up to ${range.max} replicas (${range.by}) but no PodDisruptionBudget of namespace "${namespaceOf(workload)}" selects its pods (labels ${formatSelector(templateLabels(workload))})`,
      }));
  },
};

/** minAvailable as a pod count for a number of replicas: an integer, or a percentage rounded up. */
function podsRequired(minAvailable: number | string, replicas: number): number | undefined {
  if (typeof minAvailable === 'number') return minAvailable;
  const percent = /^(\d+)%$/.exec(minAvailable);
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : undefined;
}

const pdbMinAvailableBelowReplicas: StackRule = {
  id: 'pdb-min-available-below-replicas',
  scope: 'stack',
  title: 'PodDisruptionBudgets leave room for one eviction at the fewest replicas',
  rationale:
    "A minAvailable equal to or above the replicas a workload runs, or above its autoscaler's minReplicas when it has scaled down, allows no eviction: node drains hang until someone deletes the budget. The budget is compared with the fewest replicas the workload runs (its replicas, or its autoscaler's minReplicas).",
  severity: 'medium',
  category: 'reliability',
  controls: { kubeLinter: ['pdb-min-available'], polaris: ['pdbMinAvailableGreaterThanHPAMinReplicas'], crosswalk: [41] },
  enforcement: mandatory,
  check(objects) {
    const workloads = ofKind(objects, ...REPLICATED_KINDS);
    return ofKind(objects, 'PodDisruptionBudget').flatMap((pdb): StackFinding[] => {
      const minAvailable: number | string | undefined = specOf(pdb).minAvailable;
      if (minAvailable === undefined) return [];
      // 100% blocks whatever the replicas: the object rule pdb-allows-disruptions reports it.
      if (minAvailable === '100%') return [];
      const selector: LabelSelector | undefined = specOf(pdb).selector;
      return workloads
        .filter((w) => namespaceOf(w) === namespaceOf(pdb) && selects(selector, templateLabels(w)))
        .flatMap((w) => {
          const range = replicaRange(objects, w);
          const required = podsRequired(minAvailable, range.min);
          return required !== undefined && required >= range.min
            ? [
                {
                  object: pdb,
                  message: `spec.minAvailable ${minAvailable} requires ${required} available pods of ${describe(w)}, which runs ${range.min} at the fewest (${range.by}): no eviction is allowed`,
                },
              ]
            : [];
        });
    });
  },
};

export const availabilityRules: StackRule[] = [replicasSpread, pdbForReplicated, pdbMinAvailableBelowReplicas];

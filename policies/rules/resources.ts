// Resource rules: every container states what it needs (requests) and what it may take (limits).
import { mandatory, type ObjectRule } from './types';
import { perContainer, podOf, type Container } from './workload';

/** Unset, empty or zero ("0", "0m", "0Mi") all mean "not stated". */
const unset = (quantity: unknown): boolean =>
  quantity === undefined || quantity === null || /^\s*[+]?0*(\.0*)?\s*[a-zA-Z]*\s*$/.test(String(quantity));

const REQUIREMENTS: [field: 'requests' | 'limits', resource: 'cpu' | 'memory'][] = [
  ['requests', 'cpu'],
  ['limits', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
];

function missing(c: Container): string | undefined {
  const gaps = REQUIREMENTS.filter(([field, resource]) => unset(c.resources?.[field]?.[resource])).map(
    ([field, resource]) => `resources.${field}.${resource}`,
  );
  return gaps.length ? `${gaps.join(', ')} ${gaps.length === 1 ? 'is' : 'are'} not set` : undefined;
}

const requestsAndLimits: ObjectRule = {
  id: 'resource-requests-and-limits',
  scope: 'object',
  title: 'Containers set CPU and memory requests and limits',
  rationale:
    'Without requests the scheduler packs pods blindly and they are the first evicted under pressure; without a memory limit one leak takes the node down with it, and without a CPU limit one busy pod starves its neighbours. ' +
    'kube-linter flags an unset CPU request and an unset memory limit; Polaris, Kyverno and checkov each of the four. Init containers count (they are scheduled too); ephemeral debug containers cannot set resources.',
  severity: 'medium',
  category: 'resources',
  controls: {
    kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'],
    polaris: ['cpuRequestsMissing', 'cpuLimitsMissing', 'memoryRequestsMissing', 'memoryLimitsMissing'],
    kyverno: ['require-pod-requests-limits'],
    checkov: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'],
    crosswalk: [30, 31, 32, 33],
  },
  enforcement: mandatory,
  check(object) {
    const pod = podOf(object);
    if (!pod) return [];
    // Ephemeral containers may not set resources, so they are not judged.
    return perContainer(object, (c) => (pod.ephemeralContainers?.includes(c) ? undefined : missing(c)));
  },
};

export const resourceRules: ObjectRule[] = [requestsAndLimits];

// Reliability rules on single objects: replicas, update strategy, restart and DNS behaviour,
// selectors, Job clean-up, and budgets/autoscalers that cannot block or defeat themselves.
// (Whether a PDB or anti-affinity exists for a workload relates objects: see the stack rules.)
import type { KubeObject } from '../../components/platform/kube-object';
import { advisory, mandatory, type ObjectRule } from './types';
import { podOf, templateLabels } from './workload';

type Spec = Record<string, any>;
const specOf = (object: KubeObject): Spec => (object.spec as Spec | undefined) ?? {};

const MIN_REPLICAS = 2;

const minimumReplicas: ObjectRule = {
  id: 'minimum-replicas',
  scope: 'object',
  title: `Deployments and StatefulSets run at least ${MIN_REPLICAS} replicas where nodes can fail independently`,
  rationale:
    'A single replica is down during every node drain, upgrade and crash. On eks this is mandatory; on air-gapped clusters (often small, fixed hardware) it is advice; on k3d (one laptop) it does not apply. ' +
    `Polaris asks for ${MIN_REPLICAS}, kube-linter's opt-in check for 3; ${MIN_REPLICAS} plus a PDB keeps one replica serving through a drain. A deliberately single-instance component (a single-primary database) carries an exemption annotation with its reason.`,
  severity: 'medium',
  category: 'reliability',
  controls: { kubeLinter: ['minimum-three-replicas'], polaris: ['deploymentMissingReplicas'], crosswalk: [38] },
  enforcement: { k3d: 'disabled', eks: 'mandatory', airgapped: 'advisory' },
  check(object) {
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return [];
    const replicas = specOf(object).replicas;
    if (typeof replicas === 'number' && replicas >= MIN_REPLICAS) return [];
    return [`spec.replicas is ${replicas ?? 'not set (1)'}; at least ${MIN_REPLICAS} are required`];
  },
};

const rollingUpdate: ObjectRule = {
  id: 'rolling-update-strategy',
  scope: 'object',
  title: 'Deployments, StatefulSets and DaemonSets update by rolling',
  rationale:
    'Recreate stops every pod before starting new ones and OnDelete never rolls at all, so an update is an outage or silently does nothing. ' +
    'Advisory: Recreate is the right choice for a single pod holding a ReadWriteOnce volume.',
  severity: 'low',
  category: 'reliability',
  controls: { kubeLinter: ['no-rolling-update-strategy'], crosswalk: [44] },
  enforcement: advisory,
  check(object) {
    const field =
      object.kind === 'Deployment'
        ? 'strategy'
        : object.kind === 'StatefulSet' || object.kind === 'DaemonSet'
          ? 'updateStrategy'
          : undefined;
    if (!field) return [];
    const type = specOf(object)[field]?.type;
    return type === undefined || type === 'RollingUpdate' ? [] : [`spec.${field}.type is ${type}; use RollingUpdate`];
  },
};

const priorityClass: ObjectRule = {
  id: 'priority-class',
  scope: 'object',
  title: 'Workloads name a priority class',
  rationale:
    'Without a priority class every pod has priority 0: under resource pressure the scheduler cannot tell the catalog from a notebook, and preemption picks victims at random. ' +
    'Advisory until the platform defines its PriorityClasses.',
  severity: 'low',
  category: 'reliability',
  controls: { polaris: ['priorityClassNotSet'], crosswalk: [45] },
  enforcement: advisory,
  check(object) {
    const pod = podOf(object);
    return pod && !pod.priorityClassName ? ['spec.priorityClassName is not set'] : [];
  },
};

const jobTtl: ObjectRule = {
  id: 'job-ttl-after-finished',
  scope: 'object',
  title: 'Standalone Jobs are cleaned up after finishing; CronJob Jobs leave that to the history limits',
  rationale:
    'Finished Jobs and their pods otherwise accumulate forever. For Jobs a CronJob creates, a TTL fights successfulJobsHistoryLimit/failedJobsHistoryLimit. ' +
    "Advisory: the platform's bootstrap Jobs deliberately have no TTL, because Pulumi owns them; a Job garbage-collected after its TTL is missing at the next `pulumi up`, which recreates it and re-runs the bootstrap on every deployment (safe, they are idempotent, but noisy and slow).",
  severity: 'low',
  category: 'reliability',
  controls: { kubeLinter: ['job-ttl-seconds-after-finished'], crosswalk: [46] },
  enforcement: advisory,
  check(object) {
    if (object.kind === 'Job' && specOf(object).ttlSecondsAfterFinished === undefined) return ['spec.ttlSecondsAfterFinished is not set'];
    if (object.kind === 'CronJob' && specOf(object).jobTemplate?.spec?.ttlSecondsAfterFinished !== undefined)
      return [
        'spec.jobTemplate.spec.ttlSecondsAfterFinished is set; let successfulJobsHistoryLimit and failedJobsHistoryLimit clean up instead',
      ];
    return [];
  },
};

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig']);
/** Kinds whose spec.selector is a plain label map (equality-based), defaulting to the template labels when unset. */
const MAP_SELECTOR_KINDS = new Set(['ReplicationController', 'DeploymentConfig']);

const restartPolicy: ObjectRule = {
  id: 'restart-policy',
  scope: 'object',
  title: 'Restart policies fit the workload: Always for services, OnFailure or Never for Jobs',
  rationale:
    'A bare pod with restartPolicy Never stays dead after a crash; controllers other than Jobs accept only Always, and Jobs reject Always (the manifest fails to apply). ' +
    'kube-linter accepts only Always and OnFailure; a Job with Never is sound (the Job controller starts a new pod), so it is accepted here.',
  severity: 'medium',
  category: 'reliability',
  controls: { kubeLinter: ['restart-policy'], crosswalk: [47] },
  enforcement: mandatory,
  check(object) {
    const pod = podOf(object);
    if (!pod) return [];
    const policy = pod.restartPolicy;
    if (LONG_RUNNING.has(object.kind))
      return policy === undefined || policy === 'Always' ? [] : [`spec.restartPolicy is ${policy}; a ${object.kind} only runs with Always`];
    if (object.kind === 'Job' || object.kind === 'CronJob')
      return policy === 'OnFailure' || policy === 'Never'
        ? []
        : [`restartPolicy is ${policy ?? 'not set'}; a Job needs OnFailure or Never`];
    return policy === 'Never' ? ['spec.restartPolicy is Never: the pod stays down after a crash; use Always or OnFailure'] : [];
  },
};

const dnsConfigOptions: ObjectRule = {
  id: 'dns-config-ndots',
  scope: 'object',
  title: 'Pods lower the DNS ndots option',
  rationale:
    'With the default ndots:5 every name with fewer than five dots (an external host, or a service name without the trailing dot) is first tried against each search domain, multiplying DNS queries and latency. ' +
    'kube-linter expects dnsConfig.options ndots "2"; 1 is accepted too. Advisory: a performance setting, not a safety one.',
  severity: 'low',
  category: 'network',
  controls: { kubeLinter: ['dnsconfig-options'], crosswalk: [73] },
  enforcement: advisory,
  check(object) {
    const pod = podOf(object);
    if (!pod) return [];
    const ndots = ((pod.dnsConfig?.options ?? []) as Spec[]).find((o) => o.name === 'ndots');
    if (!ndots) return ['spec.dnsConfig.options does not set ndots'];
    return ['1', '2'].includes(String(ndots.value)) ? [] : [`spec.dnsConfig.options ndots is ${ndots.value}; use 2`];
  },
};

/** LabelSelector semantics: every matchLabels entry and every matchExpression holds. */
export function selects(selector: Spec, labels: Record<string, string>): boolean {
  const byLabel = Object.entries((selector.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
  return (
    byLabel &&
    ((selector.matchExpressions ?? []) as Spec[]).every((e) => {
      const has = e.key in labels;
      const values = (e.values ?? []) as string[];
      if (e.operator === 'In') return has && values.includes(labels[e.key]);
      if (e.operator === 'NotIn') return !has || !values.includes(labels[e.key]);
      if (e.operator === 'Exists') return has;
      if (e.operator === 'DoesNotExist') return !has;
      return false;
    })
  );
}

const emptySelector = (s: Spec | undefined) =>
  !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);

const selectorMatchesTemplate: ObjectRule = {
  id: 'selector-matches-template',
  scope: 'object',
  title: "A controller's selector matches its own pod template",
  rationale:
    'A selector that does not match the template labels is rejected by the API server (or, for a manual Job selector, adopts foreign pods); an empty one would claim every pod in the namespace.',
  severity: 'high',
  category: 'workload',
  controls: { kubeLinter: ['mismatching-selector'], crosswalk: [54] },
  enforcement: mandatory,
  check(object) {
    const spec = object.kind === 'CronJob' ? (specOf(object).jobTemplate?.spec ?? {}) : specOf(object);
    const runToCompletion = object.kind === 'Job' || object.kind === 'CronJob';
    if (!LONG_RUNNING.has(object.kind) && !runToCompletion) return [];
    if (MAP_SELECTOR_KINDS.has(object.kind)) {
      const selector: Record<string, string> | undefined = spec.selector;
      if (!selector || !Object.keys(selector).length) return []; // defaulted from the template labels
      const labels = templateLabels(object) ?? {};
      return selects({ matchLabels: selector }, labels)
        ? []
        : [`spec.selector ${JSON.stringify(selector)} does not match the pod template labels ${JSON.stringify(labels)}`];
    }
    if (emptySelector(spec.selector)) return runToCompletion ? [] : ['spec.selector is empty: it must select the pod template labels'];
    const labels = templateLabels(object) ?? {};
    return selects(spec.selector, labels)
      ? []
      : [`spec.selector ${JSON.stringify(spec.selector)} does not match the pod template labels ${JSON.stringify(labels)}`];
  },
};

const blocksAllDisruptions = (spec: Spec): string | undefined => {
  if (spec.maxUnavailable !== undefined && /^0+%?$/.test(String(spec.maxUnavailable)))
    return `spec.maxUnavailable is ${spec.maxUnavailable}`;
  if (spec.minAvailable !== undefined && /^100%$/.test(String(spec.minAvailable))) return 'spec.minAvailable is 100%';
  return undefined;
};

const pdbAllowsDisruptions: ObjectRule = {
  id: 'pdb-allows-disruptions',
  scope: 'object',
  title: 'PodDisruptionBudgets allow at least one voluntary disruption',
  rationale:
    'A budget of maxUnavailable 0 or minAvailable 100% can never be satisfied by an eviction, so node drains (upgrades, scale-down) hang until someone deletes the budget. ' +
    'An empty selector makes the budget cover every pod in the namespace. This rule judges the budget alone; a numeric minAvailable at or above the replica count relates objects (pdb-min-available-below-replicas).',
  severity: 'high',
  category: 'reliability',
  controls: { kubeLinter: ['pdb-max-unavailable', 'pdb-min-available'], polaris: ['pdbDisruptionsIsZero'], crosswalk: [41] },
  enforcement: mandatory,
  check(object) {
    if (object.kind !== 'PodDisruptionBudget') return [];
    const spec = specOf(object);
    const blocked = blocksAllDisruptions(spec);
    return [
      ...(blocked ? [`${blocked}: no pod can ever be evicted, so node drains block`] : []),
      ...(emptySelector(spec.selector) ? ['spec.selector is empty: the budget covers every pod in the namespace'] : []),
    ];
  },
};

const pdbUnhealthyPodEviction: ObjectRule = {
  id: 'pdb-unhealthy-pod-eviction',
  scope: 'object',
  title: 'PodDisruptionBudgets let unhealthy pods be evicted (unhealthyPodEvictionPolicy: AlwaysAllow)',
  rationale:
    'With the default policy (IfHealthyBudget) a pod that is running but never ready counts against the budget and cannot be evicted while the budget is exhausted, so one crash-looping replica blocks every node drain. ' +
    'AlwaysAllow evicts pods that are not ready anyway (kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy).',
  severity: 'medium',
  category: 'reliability',
  controls: { kubeLinter: ['pdb-unhealthy-pod-eviction-policy'], crosswalk: [42] },
  enforcement: mandatory,
  check(object) {
    if (object.kind !== 'PodDisruptionBudget') return [];
    const policy = specOf(object).unhealthyPodEvictionPolicy;
    return policy === 'AlwaysAllow' ? [] : [`spec.unhealthyPodEvictionPolicy is ${policy ?? 'not set'}; set AlwaysAllow`];
  },
};

const hpaReplicaBounds: ObjectRule = {
  id: 'hpa-replica-bounds',
  scope: 'object',
  title: `HorizontalPodAutoscalers keep at least ${MIN_REPLICAS} replicas and can scale`,
  rationale:
    `An autoscaler with minReplicas 1 scales a service down to a single point of failure at quiet times; one with maxReplicas not above minReplicas cannot scale at all. ` +
    `Polaris asks for minReplicas >= ${MIN_REPLICAS}, kube-linter's opt-in check for 3. Like minimum-replicas: mandatory on eks, advice on airgapped; on k3d (one node) only the max > min part is judged.`,
  severity: 'medium',
  category: 'reliability',
  controls: { kubeLinter: ['hpa-minimum-three-replicas'], polaris: ['hpaMinAvailability', 'hpaMaxAvailability'], crosswalk: [43] },
  enforcement: { k3d: 'advisory', eks: 'mandatory', airgapped: 'advisory' },
  check(object, ctx) {
    if (object.kind !== 'HorizontalPodAutoscaler') return [];
    const { minReplicas, maxReplicas } = specOf(object);
    const min = typeof minReplicas === 'number' ? minReplicas : 1;
    const out: string[] = [];
    if (ctx.environment !== 'k3d' && min < MIN_REPLICAS)
      out.push(`spec.minReplicas is ${minReplicas ?? 'not set (1)'}; at least ${MIN_REPLICAS} are required`);
    if (typeof maxReplicas !== 'number' || maxReplicas <= min)
      out.push(`spec.maxReplicas (${maxReplicas ?? 'not set'}) must be greater than minReplicas (${min})`);
    return out;
  },
};

export const reliabilityRules: ObjectRule[] = [
  minimumReplicas,
  rollingUpdate,
  priorityClass,
  jobTtl,
  restartPolicy,
  dnsConfigOptions,
  selectorMatchesTemplate,
  pdbAllowsDisruptions,
  pdbUnhealthyPodEviction,
  hpaReplicaBounds,
];

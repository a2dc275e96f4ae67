// Coverage of the public checklists, counted from the rules' metadata (reference/policy-controls.md).
import type { Rule } from './rules/types';

export const PSS_CONTROLS = [
  'baseline/host-process',
  'baseline/host-namespaces',
  'baseline/privileged',
  'baseline/capabilities',
  'baseline/host-path-volumes',
  'baseline/host-ports',
  'baseline/apparmor',
  'baseline/selinux',
  'baseline/proc-mount',
  'baseline/seccomp',
  'baseline/sysctls',
  'restricted/volume-types',
  'restricted/privilege-escalation',
  'restricted/running-as-non-root',
  'restricted/running-as-non-root-user',
  'restricted/seccomp',
  'restricted/capabilities',
];

export const KUBE_LINTER_DEFAULTS = [
  'dangling-service',
  'deprecated-service-account-field',
  'docker-sock',
  'drop-net-raw-capability',
  'duplicate-env-var',
  'env-var-secret',
  'host-ipc',
  'host-network',
  'host-pid',
  'invalid-target-ports',
  'job-ttl-seconds-after-finished',
  'latest-tag',
  'liveness-port',
  'mismatching-selector',
  'no-anti-affinity',
  'no-extensions-v1beta',
  'no-read-only-root-fs',
  'non-existent-service-account',
  'pdb-max-unavailable',
  'pdb-min-available',
  'pdb-unhealthy-pod-eviction-policy',
  'privilege-escalation-container',
  'privileged-container',
  'readiness-port',
  'run-as-non-root',
  'sensitive-host-mounts',
  'ssh-port',
  'startup-port',
  'unsafe-sysctls',
  'unset-cpu-requirements',
  'unset-memory-requirements',
];

export const POLARIS_DANGER = [
  'tagNotSpecified',
  'hostIPCSet',
  'hostPIDSet',
  'hostNetworkSet',
  'privilegeEscalationAllowed',
  'runAsRootAllowed',
  'runAsPrivileged',
  'dangerousCapabilities',
  'sensitiveContainerEnvVar',
  'sensitiveConfigmapContent',
  'clusterrolePodExecAttach',
  'rolePodExecAttach',
  'clusterrolebindingPodExecAttach',
  'rolebindingClusterRolePodExecAttach',
  'rolebindingRolePodExecAttach',
  'clusterrolebindingClusterAdmin',
  'rolebindingClusterAdminClusterRole',
  'rolebindingClusterAdminRole',
];

/** Rows of the deduplicated crosswalk (C.7). */
export const CROSSWALK_ROWS = 75;

export interface Coverage {
  pss: { covered: string[]; missing: string[] };
  kubeLinterDefaults: { covered: string[]; missing: string[] };
  polarisDanger: { covered: string[]; missing: string[] };
  crosswalk: { covered: number[]; missing: number[] };
}

function against<T>(all: T[], claimed: Set<T>) {
  return { covered: all.filter((c) => claimed.has(c)), missing: all.filter((c) => !claimed.has(c)) };
}

export function coverage(rules: Rule[]): Coverage {
  const claimed = (key: 'pss' | 'kubeLinter' | 'polaris') => new Set(rules.flatMap((r) => r.controls[key] ?? []));
  const rows = Array.from({ length: CROSSWALK_ROWS }, (_, i) => i + 1);
  return {
    pss: against(PSS_CONTROLS, claimed('pss')),
    kubeLinterDefaults: against(KUBE_LINTER_DEFAULTS, claimed('kubeLinter')),
    polarisDanger: against(POLARIS_DANGER, claimed('polaris')),
    crosswalk: against(rows, new Set(rules.flatMap((r) => r.controls.crosswalk))),
  };
}

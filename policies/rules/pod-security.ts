// The Pod Security Standards, one rule per control: 11 baseline, 6 restricted
// (kubernetes.io/docs/concepts/security/pod-security-standards).
import { mandatory, ObjectRule } from './types';
import { perContainer, podOf } from './workload';

const hostNamespaces: ObjectRule = {
  id: 'pss-host-namespaces',
  scope: 'object',
  title: 'Pods do not share the host network, PID or IPC namespace',
  rationale:
    'A pod in a host namespace sees and can reach every process or interface on the node, so one compromised pod compromises the node.',
  severity: 'critical',
  category: 'pod-security',
  controls: {
    pss: ['baseline/host-namespaces'],
    kubeLinter: ['host-network', 'host-pid', 'host-ipc'],
    polaris: ['hostNetworkSet', 'hostPIDSet', 'hostIPCSet'],
    kyverno: ['disallow-host-namespaces'],
    checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'],
    crosswalk: [5, 6, 7],
  },
  enforcement: mandatory,
  check(object) {
    const pod = podOf(object);
    if (!pod) return [];
    return ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod[f] === true).map((f) => `spec.${f} is true`);
  },
};

const privileged: ObjectRule = {
  id: 'pss-privileged',
  scope: 'object',
  title: 'Containers are not privileged',
  rationale: 'A privileged container has every capability and device of the node: it is root on the host.',
  severity: 'critical',
  category: 'pod-security',
  controls: {
    pss: ['baseline/privileged'],
    kubeLinter: ['privileged-container'],
    polaris: ['runAsPrivileged'],
    kyverno: ['disallow-privileged-containers'],
    checkov: ['CKV_K8S_16'],
    crosswalk: [1],
  },
  enforcement: mandatory,
  check: (object) =>
    perContainer(object, (c) => (c.securityContext?.privileged === true ? 'securityContext.privileged is true' : undefined)),
};

export const podSecurityRules: ObjectRule[] = [hostNamespaces, privileged];

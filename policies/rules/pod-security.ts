// The Pod Security Standards, one rule per control: 11 baseline, 6 restricted
// (kubernetes.io/docs/concepts/security/pod-security-standards), plus the baseline control added in
// v1.34 (host probes). The checks themselves live in ../pod-security.ts, which also computes the level
// namespaces are labelled with; here each control gets its metadata. Then three neighbours the public
// linters check beyond the standard: root groups, high UIDs, namespaced sysctls.
import type { KubeObject } from '../../components/platform/kube-object';
import * as pss from '../../components/base/pod-security';
import { advisory, mandatory, ObjectRule } from './types';
import { containersOf, podOf } from './workload';

/** A rule's check from a control over the pod spec (and the pod's own metadata, for annotations). */
const onPod =
  (control: pss.PodCheck) =>
  (object: KubeObject): string[] => {
    const pod = podOf(object);
    return pod ? control(pod, pss.podMetadataOf(object as Record<string, any>)) : [];
  };

// --- Baseline -------------------------------------------------------------------------------

const hostProcess: ObjectRule = {
  id: 'pss-host-process',
  scope: 'object',
  title: 'Pods do not run Windows HostProcess containers',
  rationale: 'A HostProcess container runs directly on the Windows node with the privileges of the node itself.',
  severity: 'critical',
  category: 'pod-security',
  controls: {
    pss: ['baseline/host-process'],
    polaris: ['hostProcess'],
    kyverno: ['disallow-host-process'],
    crosswalk: [18],
  },
  enforcement: mandatory,
  check: onPod(pss.hostProcess),
};

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
  check: onPod(pss.hostNamespaces),
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
  check: onPod(pss.privileged),
};

const capabilitiesBaseline: ObjectRule = {
  id: 'pss-capabilities-baseline',
  scope: 'object',
  title: 'Containers add no capability beyond the container runtime defaults',
  rationale:
    'Capabilities outside the default set (SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, ALL, ...) let a process mount file systems, reconfigure the network or trace other processes: the usual steps out of a container.',
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['baseline/capabilities'],
    // dangerousCapabilities flags adding ALL, SYS_ADMIN or NET_ADMIN; CKV_K8S_39 adding SYS_ADMIN: none is in the baseline set.
    polaris: ['dangerousCapabilities'],
    kyverno: ['disallow-capabilities'],
    checkov: ['CKV_K8S_39'],
    crosswalk: [10],
  },
  enforcement: mandatory,
  check: onPod(pss.capabilitiesBaseline),
};

const hostPathVolumes: ObjectRule = {
  id: 'pss-host-path-volumes',
  scope: 'object',
  title: 'Pods mount no hostPath volume',
  rationale:
    "A hostPath volume reaches the node's file system: the container runtime socket, kubelet credentials, /etc or /proc of the host. Every hostPath is refused, so the sensitive, writable and runtime-socket cases the linters single out are too.",
  severity: 'critical',
  category: 'pod-security',
  controls: {
    pss: ['baseline/host-path-volumes'],
    kubeLinter: ['sensitive-host-mounts', 'docker-sock', 'writable-host-mount'],
    polaris: ['hostPathSet'],
    kyverno: ['disallow-host-path', 'disallow-cri-sock-mount'],
    checkov: ['CKV_K8S_27'],
    crosswalk: [8],
  },
  enforcement: mandatory,
  check: onPod(pss.hostPathVolumes),
};

const hostPorts: ObjectRule = {
  id: 'pss-host-ports',
  scope: 'object',
  title: 'Containers bind no host port',
  rationale:
    "A hostPort opens the port on the node's own address, bypassing Services and NetworkPolicies, and pins the pod to nodes where that port is free. Traffic enters through the ingress only.",
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['baseline/host-ports'],
    polaris: ['hostPortSet'],
    kyverno: ['disallow-host-ports'],
    checkov: ['CKV_K8S_26'],
    crosswalk: [9],
  },
  enforcement: mandatory,
  check: onPod(pss.hostPorts),
};

const appArmor: ObjectRule = {
  id: 'pss-apparmor',
  scope: 'object',
  title: 'Pods do not disable or override the default AppArmor profile',
  rationale:
    'On AppArmor hosts the runtime confines every container with its default profile; an Unconfined profile (in securityContext.appArmorProfile or the legacy container.apparmor.security.beta.kubernetes.io annotation) removes that confinement.',
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['baseline/apparmor'],
    kyverno: ['restrict-apparmor-profiles'],
    crosswalk: [14],
  },
  enforcement: mandatory,
  check: onPod(pss.appArmor),
};

const seLinux: ObjectRule = {
  id: 'pss-selinux',
  scope: 'object',
  title: 'Pods set no custom SELinux user, role or type',
  rationale:
    'A custom SELinux type, user or role can give the container a label the host policy trusts (spc_t, unconfined_t), switching SELinux confinement off for it. Only the container types are allowed.',
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['baseline/selinux'],
    kyverno: ['disallow-selinux'],
    crosswalk: [15],
  },
  enforcement: mandatory,
  check: onPod(pss.seLinux),
};

const procMount: ObjectRule = {
  id: 'pss-proc-mount',
  scope: 'object',
  title: 'Containers keep the default masked /proc',
  rationale:
    'procMount Unmasked exposes the parts of /proc the runtime hides (kernel memory, sysrq, timers), which leak host information and enable escapes.',
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['baseline/proc-mount'],
    kubeLinter: ['unsafe-proc-mount'],
    polaris: ['procMount'],
    kyverno: ['disallow-proc-mount'],
    crosswalk: [16],
  },
  enforcement: mandatory,
  check: onPod(pss.procMount),
};

const seccompBaseline: ObjectRule = {
  id: 'pss-seccomp-baseline',
  scope: 'object',
  title: 'Pods do not turn seccomp off',
  rationale: 'seccompProfile Unconfined opens every system call, including the rarely used ones most kernel exploits go through.',
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['baseline/seccomp'],
    kyverno: ['restrict-seccomp'],
    crosswalk: [],
  },
  enforcement: mandatory,
  check: onPod(pss.seccompBaseline),
};

const sysctls: ObjectRule = {
  id: 'pss-sysctls',
  scope: 'object',
  title: 'Pods set only safe sysctls',
  rationale: `Sysctls outside the safe, pod-namespaced set change kernel behaviour for every pod on the node or disable security mechanisms. The safe set is that of Pod Security ${pss.PSS_VERSION}, the version namespaces enforce.`,
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['baseline/sysctls'],
    kyverno: ['restrict-sysctls'],
    crosswalk: [17],
  },
  enforcement: mandatory,
  check: onPod(pss.sysctls),
};

const hostProbes: ObjectRule = {
  id: 'pss-host-probes',
  scope: 'object',
  title: 'Probes and lifecycle hooks do not target another host',
  rationale:
    'The kubelet runs HTTP and TCP probes and hooks from the node: a host field makes it a proxy to any address the node can reach (cloud metadata, node-local services). Baseline since Kubernetes v1.34.',
  severity: 'medium',
  category: 'pod-security',
  controls: { crosswalk: [] },
  enforcement: mandatory,
  check: onPod(pss.hostProbes),
};

// --- Restricted -----------------------------------------------------------------------------

const volumeTypes: ObjectRule = {
  id: 'pss-volume-types',
  scope: 'object',
  title: 'Pods use only the restricted volume types',
  rationale:
    'Volumes of in-tree types (nfs, iscsi, rbd, gitRepo, cloud disks, ...) are mounted by the node with its own credentials and plugins; storage comes through PersistentVolumeClaims, CSI and projected/config volumes only.',
  severity: 'medium',
  category: 'pod-security',
  controls: {
    pss: ['restricted/volume-types'],
    kyverno: ['restrict-volume-types'],
    crosswalk: [19],
  },
  enforcement: mandatory,
  check: onPod(pss.volumeTypes),
};

const privilegeEscalation: ObjectRule = {
  id: 'pss-privilege-escalation',
  scope: 'object',
  title: 'Containers set allowPrivilegeEscalation to false',
  rationale:
    'Unless allowPrivilegeEscalation is false (no_new_privs), a setuid binary in the image turns a compromised non-root process into root. Unset counts as allowed; privileged and SYS_ADMIN containers, which always escalate, cannot set it to false.',
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['restricted/privilege-escalation'],
    kubeLinter: ['privilege-escalation-container'],
    polaris: ['privilegeEscalationAllowed'],
    kyverno: ['disallow-privilege-escalation'],
    checkov: ['CKV_K8S_20'],
    crosswalk: [2],
  },
  enforcement: mandatory,
  check: onPod(pss.privilegeEscalation),
};

const runAsNonRoot: ObjectRule = {
  id: 'pss-run-as-non-root',
  scope: 'object',
  title: 'Containers must run as non-root (runAsNonRoot true)',
  rationale:
    "runAsNonRoot makes the kubelet refuse to start a container whose user is root, whatever the image says. The linters' other root cases are pss-run-as-non-root-user (runAsUser 0) and non-root-groups (runAsGroup 0).",
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['restricted/running-as-non-root'],
    kubeLinter: ['run-as-non-root'],
    polaris: ['runAsRootAllowed'],
    kyverno: ['require-run-as-nonroot'],
    checkov: ['CKV_K8S_23'],
    crosswalk: [3],
  },
  enforcement: mandatory,
  check: onPod(pss.runAsNonRoot),
};

const runAsNonRootUser: ObjectRule = {
  id: 'pss-run-as-non-root-user',
  scope: 'object',
  title: 'Containers do not set runAsUser 0',
  rationale:
    'An explicit runAsUser 0 runs the process as root (or, with runAsNonRoot, never starts). Checks UID 0 only; the advisory high-uid rule asks for UIDs of 10000 and more.',
  severity: 'high',
  category: 'pod-security',
  controls: {
    pss: ['restricted/running-as-non-root-user'],
    // run-as-non-root and runAsRootAllowed also fail a container set to runAsUser 0 under a runAsNonRoot pod.
    kubeLinter: ['run-as-non-root'],
    polaris: ['runAsRootAllowed'],
    kyverno: ['require-run-as-non-root-user'],
    crosswalk: [4],
  },
  enforcement: mandatory,
  check: onPod(pss.runAsNonRootUser),
};

const seccompRestricted: ObjectRule = {
  id: 'pss-seccomp-restricted',
  scope: 'object',
  title: 'Every container runs under the RuntimeDefault or a Localhost seccomp profile',
  rationale:
    'Without a profile a container runs Unconfined: every system call is open. The profile is set on the pod or on each container. Polaris linuxHardening passes whenever this does (it accepts any non-Unconfined seccomp profile). Not checkov CKV_K8S_31, which accepts RuntimeDefault only: Localhost profiles pass here.',
  severity: 'medium',
  category: 'pod-security',
  controls: {
    pss: ['restricted/seccomp'],
    polaris: ['linuxHardening'],
    kyverno: ['restrict-seccomp-strict'],
    crosswalk: [13],
  },
  enforcement: mandatory,
  check: onPod(pss.seccompRestricted),
};

const capabilitiesRestricted: ObjectRule = {
  id: 'pss-capabilities-restricted',
  scope: 'object',
  title: 'Containers drop ALL capabilities and add back only NET_BIND_SERVICE',
  rationale:
    'The runtime default set still holds NET_RAW (packet spoofing), CHOWN, DAC_OVERRIDE, SETUID and more; a platform process needs none of them. Dropping ALL also drops NET_RAW.',
  severity: 'medium',
  category: 'pod-security',
  controls: {
    pss: ['restricted/capabilities'],
    kubeLinter: ['drop-net-raw-capability'],
    polaris: ['insecureCapabilities'],
    kyverno: ['disallow-capabilities-strict', 'require-drop-all', 'require-drop-cap-net-raw'],
    checkov: ['CKV_K8S_28', 'CKV_K8S_37'],
    crosswalk: [11, 12],
  },
  enforcement: mandatory,
  check: onPod(pss.capabilitiesRestricted),
};

// --- Beyond the standard --------------------------------------------------------------------

const nonRootGroups: ObjectRule = {
  id: 'non-root-groups',
  scope: 'object',
  title: 'Containers run without the root group',
  rationale:
    'A process in group 0 can read and write every file the image leaves group-root-writable. The platform gives every workload its image user and group (the former optional PSS control "Non-root groups"; kube-linter run-as-non-root checks the runAsGroup part).',
  severity: 'medium',
  category: 'pod-security',
  controls: { kubeLinter: ['run-as-non-root'], crosswalk: [3] },
  enforcement: mandatory,
  check(object) {
    const pod = podOf(object);
    if (!pod) return [];
    const psc = pod.securityContext ?? {};
    return [
      ...(psc.fsGroup === 0 ? ['pod securityContext.fsGroup is 0 (root)'] : []),
      ...(((psc.supplementalGroups ?? []) as number[]).includes(0) ? ['pod securityContext.supplementalGroups includes 0 (root)'] : []),
      ...containersOf(pod).flatMap(({ container, where }) => {
        const set = container.securityContext?.runAsGroup !== undefined;
        const group = set ? container.securityContext.runAsGroup : psc.runAsGroup;
        return group === 0 ? [`${where}: runs as group 0 (root), set in ${set ? 'its' : 'the pod'} securityContext.runAsGroup`] : [];
      }),
    ];
  },
};

const HIGH_UID = 10000;

const highUid: ObjectRule = {
  id: 'high-uid',
  scope: 'object',
  title: `Containers run as a UID of ${HIGH_UID} or more`,
  rationale: `A UID below ${HIGH_UID} may coincide with a user on the node, which matters after an escape. Advisory: the platform runs upstream images as the UID they are built for (postgres 999, SeaweedFS 1000), and changing it breaks their file ownership. Pods in a user namespace (hostUsers false) pass.`,
  severity: 'low',
  category: 'pod-security',
  controls: { checkov: ['CKV_K8S_40'], crosswalk: [4] },
  enforcement: advisory,
  check(object) {
    const pod = podOf(object);
    if (!pod || pod.hostUsers === false) return [];
    return containersOf(pod).flatMap(({ container, where }) => {
      const uid = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
      if (uid === undefined)
        return [`${where}: runAsUser is set neither in its nor in the pod securityContext, so it runs as the image's user`];
      return uid < HIGH_UID ? [`${where}: runs as UID ${uid}, below ${HIGH_UID}`] : [];
    });
  },
};

/** kube-linter's list: every sysctl a pod can set is in one of these kernel namespaces. */
const NAMESPACED_SYSCTL_PREFIXES = ['kernel.msg', 'kernel.sem', 'kernel.shm', 'fs.mqueue.', 'net.'];

const unsafeSysctls: ObjectRule = {
  id: 'unsafe-sysctls',
  scope: 'object',
  title: 'Pods set no namespaced kernel sysctls',
  rationale:
    'Namespaced sysctls (IPC, message queues, network) tune the kernel for the pod and can starve the node of memory or ports. Advisory: pss-sysctls already refuses all but the PSS safe set; this one, like kube-linter unsafe-sysctls, reports the safe ones too.',
  severity: 'low',
  category: 'pod-security',
  controls: { kubeLinter: ['unsafe-sysctls'], crosswalk: [17] },
  enforcement: advisory,
  check(object) {
    const pod = podOf(object);
    return (pod?.securityContext?.sysctls ?? [])
      .filter((s: { name: string }) => NAMESPACED_SYSCTL_PREFIXES.some((p) => s.name.startsWith(p)))
      .map((s: { name: string }) => `pod securityContext.sysctls sets ${s.name}`);
  },
};

export const podSecurityRules: ObjectRule[] = [
  hostProcess,
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  appArmor,
  seLinux,
  procMount,
  seccompBaseline,
  sysctls,
  hostProbes,
  volumeTypes,
  privilegeEscalation,
  runAsNonRoot,
  runAsNonRootUser,
  seccompRestricted,
  capabilitiesRestricted,
  nonRootGroups,
  highUid,
  unsafeSysctls,
];

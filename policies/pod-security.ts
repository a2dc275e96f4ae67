// The Pod Security Standards as pure checks over a pod spec: which level (restricted, baseline,
// privileged) a pod meets. Namespaces are labelled with the strictest level all their pods meet.
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

type Spec = Record<string, any>;

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const containersOf = (pod: Spec): Spec[] => [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])];

/** Violations of the baseline level, each as "<where>: <what>". */
export function baselineViolations(pod: Spec): string[] {
  const out: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field]) out.push(`spec.${field}: must not be true`);
  for (const v of pod.volumes ?? []) if (v.hostPath) out.push(`volume ${v.name}: hostPath is not allowed`);
  for (const s of pod.securityContext?.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) out.push(`sysctl ${s.name}: not in the safe set`);
  const podSeccomp = pod.securityContext?.seccompProfile?.type;
  if (podSeccomp === 'Unconfined') out.push('pod seccompProfile: Unconfined is not allowed');
  for (const c of containersOf(pod)) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) out.push(`${where}: privileged`);
    for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(cap)) out.push(`${where}: adds capability ${cap}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${where}: hostPort ${p.hostPort}`);
    if (sc.procMount && sc.procMount !== 'Default') out.push(`${where}: procMount ${sc.procMount}`);
    if (sc.seccompProfile?.type === 'Unconfined') out.push(`${where}: seccompProfile Unconfined`);
    if (sc.windowsOptions?.hostProcess) out.push(`${where}: hostProcess`);
    const seType = sc.seLinuxOptions?.type;
    if (seType && !['container_t', 'container_init_t', 'container_kvm_t'].includes(seType)) out.push(`${where}: seLinux type ${seType}`);
  }
  return out;
}

/** Violations of the restricted level (which includes baseline). */
export function restrictedViolations(pod: Spec): string[] {
  const out = baselineViolations(pod);
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${v.name}: type ${type} is not allowed`);
  }
  const podSc = pod.securityContext ?? {};
  if (podSc.runAsUser === 0) out.push('pod runAsUser: 0 is not allowed');
  for (const c of containersOf(pod)) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation must be false`);
    if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) out.push(`${where}: runAsNonRoot must be true`);
    if (sc.runAsUser === 0) out.push(`${where}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${where}: seccompProfile must be RuntimeDefault or Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${where}: must drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${where}: adds capability ${cap}`);
  }
  return out;
}

export function podSecurityLevel(pod: Spec): PodSecurityLevel {
  if (restrictedViolations(pod).length === 0) return 'restricted';
  return baselineViolations(pod).length === 0 ? 'baseline' : 'privileged';
}

/** The pod spec inside any workload object, or undefined for objects that run no pods. */
export function podSpecOf(object: Spec): Spec | undefined {
  switch (object.kind) {
    case 'Pod':
      return object.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return object.spec?.template?.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

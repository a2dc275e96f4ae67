// The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards) as pure
// checks over a pod spec, one per control, and the level (restricted, baseline, privileged) a pod
// meets. The policy rules (rules/pod-security.ts) wrap each control with its metadata; namespaces are
// labelled with the strictest level all their pods meet.
//
// Allowed values are those of PSS_VERSION, the version the namespaces pin in
// `pod-security.kubernetes.io/enforce-version`: what the admission controller will actually accept.
// Later versions widen two lists (sysctls: net.ipv4.tcp_keepalive_time, _intvl, _probes and
// tcp_fin_timeout in v1.29, tcp_rmem/tcp_wmem in v1.32; SELinux type container_engine_t in v1.31) and
// add one baseline control (host probes and lifecycle hooks, v1.34: hostProbes below, a rule of its
// own, not part of the v1.28 levels).
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export const PSS_VERSION = 'v1.28';

type Spec = Record<string, any>;
/** The pod's own metadata (the template's, for workloads): AppArmor annotations live there. */
export type PodMetadata = { annotations?: Record<string, string> };
/** One control: its violations, each a sentence naming where ("container \"x\": ...", "pod securityContext..."). */
export type PodCheck = (pod: Spec, metadata?: PodMetadata) => string[];

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
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
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
const CONFINED_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);
const CONFINED_APPARMOR = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const RUNTIME_SOCKET = /\/(docker|containerd|crio|cri-dockerd)\.sock$/;
const SENSITIVE_HOST_DIRS = new Set(['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr']);

/** Every container (init, regular, ephemeral) with where it sits, for messages. */
export function labelledContainers(pod: Spec): { container: Spec; where: string }[] {
  return [
    ...(pod.initContainers ?? []).map((c: Spec) => ({ container: c, where: `init container "${c.name}"` })),
    ...(pod.containers ?? []).map((c: Spec) => ({ container: c, where: `container "${c.name}"` })),
    ...(pod.ephemeralContainers ?? []).map((c: Spec) => ({ container: c, where: `ephemeral container "${c.name}"` })),
  ];
}

/** Problems per container, each prefixed with where the container sits. */
function eachContainer(pod: Spec, problems: (c: Spec, sc: Spec) => string | string[] | undefined): string[] {
  return labelledContainers(pod).flatMap(({ container, where }) => {
    const found = problems(container, container.securityContext ?? {});
    return (found === undefined ? [] : [found].flat()).map((p) => `${where}: ${p}`);
  });
}

const podSecurityContext = (pod: Spec): Spec => pod.securityContext ?? {};
/** Privilege escalation, restricted seccomp and restricted capabilities do not apply to Windows pods (v1.25+). */
const isWindows = (pod: Spec) => pod.os?.name === 'windows';

// --- Baseline -------------------------------------------------------------------------------

export const hostProcess: PodCheck = (pod) => [
  ...(podSecurityContext(pod).windowsOptions?.hostProcess === true ? ['pod securityContext.windowsOptions.hostProcess is true'] : []),
  ...eachContainer(pod, (_, sc) =>
    sc.windowsOptions?.hostProcess === true ? 'securityContext.windowsOptions.hostProcess is true' : undefined,
  ),
];

export const hostNamespaces: PodCheck = (pod) =>
  ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod[f] === true).map((f) => `spec.${f} is true`);

export const privileged: PodCheck = (pod) =>
  eachContainer(pod, (_, sc) => (sc.privileged === true ? 'securityContext.privileged is true' : undefined));

export const capabilitiesBaseline: PodCheck = (pod) =>
  eachContainer(pod, (_, sc) =>
    (sc.capabilities?.add ?? [])
      .filter((cap: string) => !BASELINE_CAPABILITIES.has(cap))
      .map(
        (cap: string) =>
          `securityContext.capabilities.add has ${cap}, which is not in the baseline set (${[...BASELINE_CAPABILITIES].join(', ')})`,
      ),
  );

function hostPathRisk(path: string): string {
  if (RUNTIME_SOCKET.test(path)) return ': a container runtime socket, which gives control of every container on the node';
  if (SENSITIVE_HOST_DIRS.has(path.replace(/(.)\/+$/, '$1'))) return ': a sensitive host system directory';
  return '';
}

export const hostPathVolumes: PodCheck = (pod) =>
  (pod.volumes ?? [])
    .filter((v: Spec) => v.hostPath)
    .map((v: Spec) => `volume "${v.name}" is a hostPath volume on ${v.hostPath.path}${hostPathRisk(v.hostPath.path ?? '')}`);

export const hostPorts: PodCheck = (pod) =>
  eachContainer(pod, (c) =>
    (c.ports ?? []).filter((p: Spec) => p.hostPort).map((p: Spec) => `port ${p.name ?? p.containerPort} sets hostPort ${p.hostPort}`),
  );

const apparmorProblem = (sc: Spec) => {
  const type = sc.appArmorProfile?.type;
  return type !== undefined && !CONFINED_APPARMOR.has(type)
    ? `securityContext.appArmorProfile.type is ${type}, must be RuntimeDefault or Localhost`
    : undefined;
};

export const appArmor: PodCheck = (pod, metadata) => [
  ...[apparmorProblem(podSecurityContext(pod))].filter((p): p is string => p !== undefined).map((p) => `pod ${p}`),
  ...eachContainer(pod, (_, sc) => apparmorProblem(sc)),
  ...Object.entries(metadata?.annotations ?? {})
    .filter(
      ([key, value]) =>
        key.startsWith(APPARMOR_ANNOTATION) && !(value === '' || value === 'runtime/default' || value.startsWith('localhost/')),
    )
    .map(([key, value]) => `pod annotation ${key} is ${value}, must be runtime/default or localhost/<profile>`),
];

function seLinuxProblems(sc: Spec): string[] {
  const options = sc.seLinuxOptions ?? {};
  return [
    ...(options.type !== undefined && !SELINUX_TYPES.has(options.type)
      ? [`securityContext.seLinuxOptions.type is ${options.type}, must be one of ${[...SELINUX_TYPES].filter(Boolean).join(', ')}`]
      : []),
    ...(['user', 'role'] as const).filter((f) => options[f]).map((f) => `securityContext.seLinuxOptions.${f} is set (${options[f]})`),
  ];
}

export const seLinux: PodCheck = (pod) => [
  ...seLinuxProblems(podSecurityContext(pod)).map((p) => `pod ${p}`),
  ...eachContainer(pod, (_, sc) => seLinuxProblems(sc)),
];

export const procMount: PodCheck = (pod) =>
  eachContainer(pod, (_, sc) =>
    sc.procMount !== undefined && sc.procMount !== 'Default' ? `securityContext.procMount is ${sc.procMount}, must be Default` : undefined,
  );

export const seccompBaseline: PodCheck = (pod) => [
  ...(podSecurityContext(pod).seccompProfile?.type === 'Unconfined' ? ['pod securityContext.seccompProfile.type is Unconfined'] : []),
  ...eachContainer(pod, (_, sc) =>
    sc.seccompProfile?.type === 'Unconfined' ? 'securityContext.seccompProfile.type is Unconfined' : undefined,
  ),
];

export const sysctls: PodCheck = (pod) =>
  (podSecurityContext(pod).sysctls ?? [])
    .filter((s: Spec) => !SAFE_SYSCTLS.has(s.name))
    .map((s: Spec) => `pod securityContext.sysctls sets ${s.name}, which is not in the safe set (${[...SAFE_SYSCTLS].join(', ')})`);

/** Baseline since v1.34: probes and lifecycle hooks may not aim at another host. */
export const hostProbes: PodCheck = (pod) =>
  eachContainer(pod, (c) =>
    [
      ...['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => [p, c[p]] as const),
      ...['postStart', 'preStop'].map((h) => [`lifecycle.${h}`, c.lifecycle?.[h]] as const),
    ].flatMap(([path, handler]) =>
      ['httpGet', 'tcpSocket'].filter((k) => handler?.[k]?.host).map((k) => `${path}.${k}.host is ${handler[k].host}, must be unset`),
    ),
  );

// --- Restricted -----------------------------------------------------------------------------

const volumeType = (v: Spec) => Object.keys(v).find((k) => k !== 'name');

export const volumeTypes: PodCheck = (pod) =>
  (pod.volumes ?? [])
    .filter((v: Spec) => volumeType(v) !== undefined && !RESTRICTED_VOLUMES.has(volumeType(v)!))
    .map((v: Spec) => `volume "${v.name}" is of type ${volumeType(v)}; restricted allows only ${[...RESTRICTED_VOLUMES].join(', ')}`);

export const privilegeEscalation: PodCheck = (pod) =>
  isWindows(pod)
    ? []
    : eachContainer(pod, (_, sc) =>
        sc.allowPrivilegeEscalation === false
          ? undefined
          : `securityContext.allowPrivilegeEscalation is ${sc.allowPrivilegeEscalation ?? 'unset'}, must be false`,
      );

/** runAsNonRoot must be true: per container, or on the pod and not overridden with false. */
export const runAsNonRoot: PodCheck = (pod) => {
  const podValue = podSecurityContext(pod).runAsNonRoot;
  return [
    ...(podValue === false ? ['pod securityContext.runAsNonRoot is false'] : []),
    ...eachContainer(pod, (_, sc) => {
      if (sc.runAsNonRoot === false) return 'securityContext.runAsNonRoot is false';
      if (sc.runAsNonRoot === undefined && podValue !== true)
        return 'runAsNonRoot is true neither in its securityContext nor in the pod securityContext';
      return undefined;
    }),
  ];
};

export const runAsNonRootUser: PodCheck = (pod) => [
  ...(podSecurityContext(pod).runAsUser === 0 ? ['pod securityContext.runAsUser is 0 (root)'] : []),
  ...eachContainer(pod, (_, sc) => (sc.runAsUser === 0 ? 'securityContext.runAsUser is 0 (root)' : undefined)),
];

/** RuntimeDefault or Localhost: per container, or on the pod and not overridden. */
export const seccompRestricted: PodCheck = (pod) => {
  if (isWindows(pod)) return [];
  const podType = podSecurityContext(pod).seccompProfile?.type;
  return [
    ...(podType !== undefined && !CONFINED_SECCOMP.has(podType)
      ? [`pod securityContext.seccompProfile.type is ${podType}, must be RuntimeDefault or Localhost`]
      : []),
    ...eachContainer(pod, (_, sc) => {
      const type = sc.seccompProfile?.type;
      if (type !== undefined)
        return CONFINED_SECCOMP.has(type)
          ? undefined
          : `securityContext.seccompProfile.type is ${type}, must be RuntimeDefault or Localhost`;
      return CONFINED_SECCOMP.has(podType)
        ? undefined
        : 'seccompProfile.type is set to RuntimeDefault or Localhost neither in its securityContext nor in the pod securityContext';
    }),
  ];
};

export const capabilitiesRestricted: PodCheck = (pod) =>
  isWindows(pod)
    ? []
    : eachContainer(pod, (_, sc) => [
        ...((sc.capabilities?.drop ?? []).includes('ALL') ? [] : ['securityContext.capabilities.drop does not include ALL']),
        ...(sc.capabilities?.add ?? [])
          .filter((cap: string) => cap !== 'NET_BIND_SERVICE')
          .map((cap: string) => `securityContext.capabilities.add has ${cap}; restricted allows adding only NET_BIND_SERVICE`),
      ]);

// --- Levels ---------------------------------------------------------------------------------

const BASELINE: PodCheck[] = [
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
];
const RESTRICTED: PodCheck[] = [
  volumeTypes,
  privilegeEscalation,
  runAsNonRoot,
  runAsNonRootUser,
  seccompRestricted,
  capabilitiesRestricted,
];

/** Violations of the baseline level, each as "<where>: <what>". AppArmor annotations need `metadata`. */
export function baselineViolations(pod: Spec, metadata?: PodMetadata): string[] {
  return BASELINE.flatMap((check) => check(pod, metadata));
}

/** Violations of the restricted level (which includes baseline). */
export function restrictedViolations(pod: Spec, metadata?: PodMetadata): string[] {
  return [...baselineViolations(pod, metadata), ...RESTRICTED.flatMap((check) => check(pod, metadata))];
}

export function podSecurityLevel(pod: Spec, metadata?: PodMetadata): PodSecurityLevel {
  if (restrictedViolations(pod, metadata).length === 0) return 'restricted';
  return baselineViolations(pod, metadata).length === 0 ? 'baseline' : 'privileged';
}

/** OpenShift DeploymentConfigs (apps.openshift.io): a pod template like a Deployment's. */
const isDeploymentConfig = (object: Spec) =>
  object.kind === 'DeploymentConfig' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith('apps.openshift.io/');

/**
 * The pod template (metadata and spec) inside any workload object, or undefined for objects that run
 * no pods. Beside the platform's own kinds: ReplicationControllers and OpenShift DeploymentConfigs,
 * which manifests written elsewhere still use (the platform writes neither).
 */
function podTemplateOf(object: Spec): { metadata?: Spec; spec?: Spec } | undefined {
  switch (object.kind) {
    case 'Pod':
      return object;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return object.spec?.template;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template;
    default:
      return isDeploymentConfig(object) ? object.spec?.template : undefined;
  }
}

/** The pod spec inside any workload object, or undefined for objects that run no pods. */
export function podSpecOf(object: Spec): Spec | undefined {
  return podTemplateOf(object)?.spec;
}

/** The pod's metadata inside any workload object (the object's own for a Pod). */
export function podMetadataOf(object: Spec): PodMetadata | undefined {
  return podTemplateOf(object)?.metadata;
}

// The base every workload is built on: the restricted Pod Security profile (non-root, seccomp
// RuntimeDefault, all capabilities dropped, no privilege escalation, read-only root filesystem
// with an emptyDir per writable path), requests and limits from the sizing profile, probes, the
// app.kubernetes.io labels, a per-service ServiceAccount and spreading when replicas > 1.
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { BuildContext } from '../platform/context';
import type { ComponentSizing, ServiceDeclaration } from '../platform/service';
import type { ImageKey } from '../images';
import { objectName, selectorLabels, standardLabels } from './labels';

export type ProbeSpec = ({ http: { path: string; port: string } } | { tcp: string } | { exec: string[] }) & {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
};

export interface ContainerSpec {
  name: string;
  image: ImageKey;
  command?: string[];
  args?: string[];
  env?: k8s.EnvVar[];
  /** Names of the service's declared ports this container listens on. */
  ports?: string[];
  liveness?: ProbeSpec;
  readiness?: ProbeSpec;
  startup?: ProbeSpec;
  /** Paths the process writes to: each becomes an emptyDir, the root filesystem stays read-only. */
  writablePaths?: string[];
  volumeMounts?: k8s.VolumeMount[];
  /** Defaults to the component's sizing. */
  sizing?: ComponentSizing;
  workingDir?: string;
}

export interface PodOptions {
  component: string;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  volumes?: k8s.Volume[];
  /** The pod needs a Kubernetes API token (ingress controllers): the service's account is mounted. */
  apiAccess?: boolean;
  /** Upstream images run as a fixed non-root user; give it so volumes are writable (fsGroup). */
  user?: { uid: number; gid: number };
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Pod annotations, such as a checksum of config the process reads only at start, so a change rolls the pods. */
  annotations?: Record<string, string>;
  terminationGracePeriodSeconds?: number;
}

const cpuMillis = (cpu: string): number => (cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000);

export function resourcesFor(sizing: ComponentSizing): k8s.ResourceRequirements {
  const cpuLimit = sizing.cpuLimit ?? `${cpuMillis(sizing.cpu) * 4}m`;
  return {
    requests: { cpu: k8s.Quantity.fromString(sizing.cpu), memory: k8s.Quantity.fromString(sizing.memory) },
    limits: { cpu: k8s.Quantity.fromString(cpuLimit), memory: k8s.Quantity.fromString(sizing.memoryLimit ?? sizing.memory) },
  };
}

function probe(decl: ServiceDeclaration, spec: ProbeSpec | undefined): k8s.Probe | undefined {
  if (!spec) return undefined;
  const portNumber = (name: string) => {
    const port = decl.ports.find((p) => p.name === name);
    if (!port) throw new Error(`service "${decl.name}": probe names port "${name}", which it does not declare`);
    return k8s.IntOrString.fromNumber(port.port);
  };
  const timing = {
    initialDelaySeconds: spec.initialDelaySeconds,
    periodSeconds: spec.periodSeconds ?? 10,
    timeoutSeconds: spec.timeoutSeconds ?? 5,
    failureThreshold: spec.failureThreshold ?? 3,
  };
  if ('http' in spec) return { httpGet: { path: spec.http.path, port: portNumber(spec.http.port) }, ...timing };
  if ('tcp' in spec) return { tcpSocket: { port: portNumber(spec.tcp) }, ...timing };
  return { exec: { command: spec.exec }, ...timing };
}

const volumeNameForPath = (path: string): string => `w${path.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.replace(/-+$/, '').slice(0, 63);

function container(ctx: BuildContext, decl: ServiceDeclaration, component: string, spec: ContainerSpec): k8s.Container {
  const sizing = spec.sizing ?? ctx.sizing(decl.name, component);
  return {
    name: spec.name,
    image: ctx.images.ref(spec.image),
    imagePullPolicy: ctx.images.pullPolicy,
    command: spec.command,
    args: spec.args,
    env: spec.env,
    workingDir: spec.workingDir,
    ports: spec.ports?.map((name) => ({ name, containerPort: ctx.port(decl.name, name).port, protocol: 'TCP' })),
    livenessProbe: probe(decl, spec.liveness),
    readinessProbe: probe(decl, spec.readiness),
    startupProbe: probe(decl, spec.startup),
    resources: resourcesFor(sizing),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [
      ...(spec.volumeMounts ?? []),
      ...(spec.writablePaths ?? []).map((mountPath) => ({ name: volumeNameForPath(mountPath), mountPath })),
    ],
  };
}

export function podTemplate(ctx: BuildContext, decl: ServiceDeclaration, opts: PodOptions, version: string): k8s.PodTemplateSpec {
  const all = [...(opts.initContainers ?? []), ...opts.containers];
  const writable = [...new Set(all.flatMap((c) => c.writablePaths ?? []))];
  const replicas = decl.resources[opts.component]?.[ctx.config.sizing]?.replicas ?? 1;
  return {
    metadata: { labels: standardLabels(ctx, decl, opts.component, version), annotations: opts.annotations },
    spec: {
      serviceAccountName: decl.name,
      automountServiceAccountToken: opts.apiAccess ?? false,
      enableServiceLinks: false,
      restartPolicy: opts.restartPolicy,
      terminationGracePeriodSeconds: opts.terminationGracePeriodSeconds,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: opts.user?.uid,
        runAsGroup: opts.user?.gid,
        fsGroup: opts.user?.gid,
        fsGroupChangePolicy: opts.user ? 'OnRootMismatch' : undefined,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      initContainers: opts.initContainers?.map((c) => container(ctx, decl, opts.component, c)),
      containers: opts.containers.map((c) => container(ctx, decl, opts.component, c)),
      volumes: [...(opts.volumes ?? []), ...writable.map((path) => ({ name: volumeNameForPath(path), emptyDir: {} }))],
      topologySpreadConstraints: replicas > 1 ? spread(ctx, decl, opts.component) : undefined,
    },
  };
}

/** Replicas spread over nodes (a hard rule on the large profile) and, where zones exist, zones. */
function spread(ctx: BuildContext, decl: ServiceDeclaration, component: string): k8s.TopologySpreadConstraint[] {
  const labelSelector = { matchLabels: selectorLabels(decl, component) };
  return [
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: ctx.config.sizing === 'large' ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector,
    },
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}

const tagOf = (ctx: BuildContext, image: ImageKey) => ctx.images.spec(image).tag;

function disruptionBudget(scope: Construct, ctx: BuildContext, decl: ServiceDeclaration, component: string): void {
  if (ctx.sizing(decl.name, component).replicas < 2) return;
  new k8s.KubePodDisruptionBudget(scope, `${component}-pdb`, {
    metadata: { name: objectName(decl.name, component), labels: standardLabels(ctx, decl, component) },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: selectorLabels(decl, component) },
      // A pod that never became ready must not block a node drain.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}

export function platformDeployment(
  scope: Construct,
  ctx: BuildContext,
  decl: ServiceDeclaration,
  opts: PodOptions & {
    /** `Recreate` for a singleton that must never run twice at once (a coordinator, a driver). */
    strategy?: 'RollingUpdate' | 'Recreate';
  },
): k8s.KubeDeployment {
  const version = tagOf(ctx, opts.containers[0].image);
  const deployment = new k8s.KubeDeployment(scope, `${opts.component}-deployment`, {
    metadata: { name: objectName(decl.name, opts.component), labels: standardLabels(ctx, decl, opts.component, version) },
    spec: {
      replicas: ctx.sizing(decl.name, opts.component).replicas,
      revisionHistoryLimit: 3,
      strategy: opts.strategy === 'Recreate' ? { type: 'Recreate' } : undefined,
      selector: { matchLabels: selectorLabels(decl, opts.component) },
      template: podTemplate(ctx, decl, opts, version),
    },
  });
  disruptionBudget(scope, ctx, decl, opts.component);
  return deployment;
}

export interface ClaimSpec {
  /** The key in the declaration's `storage`. */
  volume: string;
  mountPath: string;
}

export function platformStatefulSet(
  scope: Construct,
  ctx: BuildContext,
  decl: ServiceDeclaration,
  opts: PodOptions & {
    claims: ClaimSpec[];
    headlessService: string;
    podManagementPolicy?: 'OrderedReady' | 'Parallel';
    /** On the StatefulSet itself, such as a policy exemption with its reason. */
    objectAnnotations?: Record<string, string>;
  },
): k8s.KubeStatefulSet {
  const version = tagOf(ctx, opts.containers[0].image);
  const statefulSet = new k8s.KubeStatefulSet(scope, `${opts.component}-statefulset`, {
    metadata: {
      name: objectName(decl.name, opts.component),
      labels: standardLabels(ctx, decl, opts.component, version),
      annotations: opts.objectAnnotations,
    },
    spec: {
      replicas: ctx.sizing(decl.name, opts.component).replicas,
      serviceName: opts.headlessService,
      podManagementPolicy: opts.podManagementPolicy,
      revisionHistoryLimit: 3,
      selector: { matchLabels: selectorLabels(decl, opts.component) },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: podTemplate(ctx, decl, opts, version),
      volumeClaimTemplates: opts.claims.map(({ volume }) => {
        const spec = decl.storage[volume];
        if (!spec) throw new Error(`service "${decl.name}": no storage "${volume}" declared`);
        return {
          metadata: { name: volume, labels: selectorLabels(decl, opts.component) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: ctx.config.storageClasses[spec.storageClass],
            resources: { requests: { storage: k8s.Quantity.fromString(spec.size) } },
          },
        };
      }),
    },
  });
  disruptionBudget(scope, ctx, decl, opts.component);
  return statefulSet;
}

/** A run-to-completion Job; bootstrap Jobs are idempotent, so re-running one is always safe. */
export function platformJob(
  scope: Construct,
  ctx: BuildContext,
  decl: ServiceDeclaration,
  opts: PodOptions & { backoffLimit?: number; activeDeadlineSeconds?: number },
): k8s.KubeJob {
  const version = tagOf(ctx, opts.containers[0].image);
  return new k8s.KubeJob(scope, `${opts.component}-job`, {
    metadata: { name: objectName(decl.name, opts.component), labels: standardLabels(ctx, decl, opts.component, version) },
    spec: {
      backoffLimit: opts.backoffLimit ?? 12,
      activeDeadlineSeconds: opts.activeDeadlineSeconds ?? 1800,
      template: podTemplate(ctx, decl, { ...opts, restartPolicy: opts.restartPolicy ?? 'OnFailure' }, version),
    },
  });
}

/** A scheduled Job (UTC), one run at a time: a late run is skipped rather than stacked on the next. */
export function platformCronJob(
  scope: Construct,
  ctx: BuildContext,
  decl: ServiceDeclaration,
  opts: PodOptions & { schedule: string; backoffLimit?: number; activeDeadlineSeconds?: number },
): k8s.KubeCronJob {
  const version = tagOf(ctx, opts.containers[0].image);
  const labels = standardLabels(ctx, decl, opts.component, version);
  return new k8s.KubeCronJob(scope, `${opts.component}-cronjob`, {
    metadata: { name: objectName(decl.name, opts.component), labels },
    spec: {
      schedule: opts.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: opts.backoffLimit ?? 1,
          activeDeadlineSeconds: opts.activeDeadlineSeconds ?? 1800,
          template: podTemplate(ctx, decl, { ...opts, restartPolicy: opts.restartPolicy ?? 'Never' }, version),
        },
      },
    },
  });
}

/** A ClusterIP Service selecting one component, or a headless one for a StatefulSet. */
export function platformService(
  scope: Construct,
  ctx: BuildContext,
  decl: ServiceDeclaration,
  opts: { component: string; ports: string[]; name?: string; headless?: boolean },
): k8s.KubeService {
  const name = opts.name ?? objectName(decl.name, opts.component);
  return new k8s.KubeService(scope, `${name}-service`, {
    metadata: { name, labels: standardLabels(ctx, decl, opts.component) },
    spec: {
      type: 'ClusterIP',
      clusterIp: opts.headless ? 'None' : undefined,
      publishNotReadyAddresses: opts.headless ? true : undefined,
      selector: selectorLabels(decl, opts.component),
      ports: opts.ports.map((portName) => {
        const port = ctx.port(decl.name, portName);
        return { name: portName, port: port.port, targetPort: k8s.IntOrString.fromString(portName), protocol: 'TCP' };
      }),
    },
  });
}

export function platformConfigMap(
  scope: Construct,
  ctx: BuildContext,
  decl: ServiceDeclaration,
  component: string,
  suffix: string,
  data: Record<string, string>,
): k8s.KubeConfigMap {
  const name = `${objectName(decl.name, component)}-${suffix}`;
  return new k8s.KubeConfigMap(scope, `${name}-configmap`, {
    metadata: { name, labels: standardLabels(ctx, decl, component) },
    data,
  });
}

/** Mounts a Secret's keys as env vars. */
export const secretEnv = (name: string, secret: string, key: string): k8s.EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/**
 * A digest of what a process reads only at start (config files, a structure of grants), for a pod
 * annotation: a change of the content rolls the pods. Never give it secret values.
 */
export const contentChecksum = (content: unknown): string =>
  createHash('sha256')
    .update(typeof content === 'string' ? content : JSON.stringify(content))
    .digest('hex');

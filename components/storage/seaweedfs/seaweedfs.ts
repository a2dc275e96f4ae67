// SeaweedFS, the platform's S3 object store. `single` topology (a laptop) runs one `weed server`
// process (master, volume, filer with a leveldb store, S3 gateway) on one volume; `split` runs a
// raft group of masters, replicated volume servers, filers keeping their metadata in the platform
// PostgreSQL and a stateless S3 gateway. In `external` mode no SeaweedFS runs: only the bucket Job,
// against the S3 endpoint the environment brings.
//
// Every service that declares buckets gets an S3 identity limited to its own buckets and a Secret
// with its keys in its own namespace; the bucket Job creates the buckets with an admin identity.
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-28';
import type { ObjectStorageConfig } from '../../../environments/schema';
import { objectName } from '../../base/labels';
import {
  ContainerSpec,
  platformConfigMap,
  platformDeployment,
  platformJob,
  platformService,
  platformStatefulSet,
  secretEnv,
} from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { memoryToBytes } from '../../platform/quantity';
import { literal } from '../../platform/secrets';
import { ComponentSizing, PortDecl, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import { databaseSecretName, S3_PORT, S3_REGION, S3_SERVICE, s3SecretKeys, s3SecretName } from '../contract';
import { identitiesChecksum, identityValueIds, renderIdentitiesFile, s3IdentityPlan, S3IdentityPlan } from './identities';

type InternalStorage = Extract<ObjectStorageConfig, { mode: 'internal' }>;
type ExternalStorage = Extract<ObjectStorageConfig, { mode: 'external' }>;

/** The image's `seaweed` user; it owns /data in the image, volumes are made writable through fsGroup. */
const SEAWEED_USER = { uid: 1000, gid: 1000 };
/** amazon/aws-cli runs as root by default; any uid works with HOME on a writable /tmp. */
const AWS_CLI_USER = { uid: 1000, gid: 1000 };

const DATA_PATH = '/data';
const IDENTITIES_PATH = '/etc/seaweedfs-s3';
const IDENTITIES_FILE = 's3.json';
const AWS_CONFIG_PATH = '/etc/aws-cli';
/** Master stops assigning writes to a volume past this size; volume slots per disk = disk / this. */
const VOLUME_SIZE_LIMIT_MB = 1000;
/** Upstream's default volume growth per replication level (master.toml [master.volume_growth]). */
const UPSTREAM_GROWTH = { copy_1: 7, copy_2: 6, copy_3: 3, copy_other: 1 } as const;
/** Buckets a volume layout must hold before growth is lowered: each bucket is its own collection. */
const MIN_BUCKET_CAPACITY = 20;
const MASTERS = 3;
const IDENTITIES_CHECKSUM_ANNOTATION = 'checksum/s3-identities';

const PORTS = {
  master: 9333,
  'master-grpc': 19333,
  volume: 8080,
  'volume-grpc': 18080,
  filer: 8888,
  'filer-grpc': 18888,
  [S3_PORT.name]: S3_PORT.port,
  's3-grpc': S3_PORT.port + 10000,
  metrics: 9327,
} as const;
type PortName = keyof typeof PORTS;
const HTTP_PORTS: PortName[] = ['master', 'volume', 'filer', S3_PORT.name, 'metrics'];

const sized = (small: ComponentSizing, medium: ComponentSizing, large: ComponentSizing): Sized<ComponentSizing> => ({
  small,
  medium,
  large,
});

/**
 * One process for everything; small fits a laptop next to the rest of the platform. The filer's
 * leveldb store alone may cache up to 8 x 48 MiB (block cache and write buffer per shard).
 */
const SERVER_SIZING = sized(
  { replicas: 1, cpu: '100m', memory: '512Mi', cpuLimit: '1', memoryLimit: '1Gi' },
  { replicas: 1, cpu: '500m', memory: '1Gi', cpuLimit: '2', memoryLimit: '2Gi' },
  { replicas: 1, cpu: '1', memory: '2Gi', cpuLimit: '4', memoryLimit: '4Gi' },
);
const MASTER_SIZING = sized(
  { replicas: MASTERS, cpu: '50m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  { replicas: MASTERS, cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  { replicas: MASTERS, cpu: '250m', memory: '512Mi', cpuLimit: '2', memoryLimit: '1Gi' },
);
/** Replicas come from objectStorage.volumeServers. */
const VOLUME_SIZING = sized(
  { replicas: 1, cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  { replicas: 1, cpu: '250m', memory: '1Gi', cpuLimit: '2', memoryLimit: '1Gi' },
  { replicas: 1, cpu: '500m', memory: '2Gi', cpuLimit: '4', memoryLimit: '2Gi' },
);
const FILER_SIZING = sized(
  { replicas: 1, cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  { replicas: 2, cpu: '250m', memory: '512Mi', cpuLimit: '2', memoryLimit: '1Gi' },
  { replicas: 2, cpu: '500m', memory: '1Gi', cpuLimit: '4', memoryLimit: '2Gi' },
);
const S3_SIZING = sized(
  { replicas: 1, cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  { replicas: 2, cpu: '250m', memory: '512Mi', cpuLimit: '2', memoryLimit: '1Gi' },
  { replicas: 3, cpu: '500m', memory: '1Gi', cpuLimit: '4', memoryLimit: '2Gi' },
);
const BUCKETS_SIZING = sized(
  { replicas: 1, cpu: '50m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  { replicas: 1, cpu: '50m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  { replicas: 1, cpu: '50m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
);
/** Filer connections to the shared platform PostgreSQL, per filer (upstream default 50). */
const FILER_DB_CONNECTIONS = { small: 5, medium: 10, large: 20 } as const;

// ---------------------------------------------------------------------------------------------
// Declaration

const isInternal = (os: ObjectStorageConfig): os is InternalStorage => os.mode === 'internal';

function endpointPort(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

function declare(ctx: Pick<BuildContext, 'config'>): ServiceDeclaration {
  const os = ctx.config.objectStorage;
  const description = 'SeaweedFS S3 object store: buckets and a bucket-scoped S3 identity per consuming service';
  if (!isInternal(os)) {
    return withDefaults({
      name: S3_SERVICE,
      layer: 'storage',
      description: `${description} (external S3 at ${os.endpoint}; only the bucket Job runs)`,
      images: ['awsCli'],
      ports: [],
      resources: { buckets: BUCKETS_SIZING },
      externalEndpoints: [{ cidrs: os.cidrs, ports: [endpointPort(new URL(os.endpoint))] }],
    });
  }
  const split = os.topology === 'split';
  const ports: PortDecl[] = (Object.keys(PORTS) as PortName[]).map((name) => ({
    name,
    port: PORTS[name],
    ...(HTTP_PORTS.includes(name) ? { http: true } : {}),
  }));
  const volumeSizing = Object.fromEntries(
    Object.entries(VOLUME_SIZING).map(([profile, s]) => [profile, { ...s, replicas: os.volumeServers }]),
  ) as Sized<ComponentSizing>;
  return withDefaults({
    name: S3_SERVICE,
    layer: 'storage',
    description,
    images: ['seaweedfs', 'awsCli'],
    ports,
    // SigV4 authenticates every request itself: no forward-auth in front of the API.
    publicHost: { name: 'storage', port: S3_PORT.name, signIn: 'none' },
    metrics: { port: 'metrics', path: '/metrics' },
    resources: split
      ? { master: MASTER_SIZING, volume: volumeSizing, filer: FILER_SIZING, s3: S3_SIZING, buckets: BUCKETS_SIZING }
      : { server: SERVER_SIZING, buckets: BUCKETS_SIZING },
    storage: split
      ? { 'master-data': { size: '2Gi', storageClass: 'standard' }, 'volume-data': { size: os.storageSize, storageClass: 'standard' } }
      : { data: { size: os.storageSize, storageClass: 'standard' } },
    // The filers keep the file metadata in the platform PostgreSQL; the storage layer makes the database.
    databases: split ? [{ instance: 'platform', database: 'seaweedfs', access: 'owner' }] : [],
  });
}

// ---------------------------------------------------------------------------------------------
// Objects: shared pieces

const identitiesSecret = `${S3_SERVICE}-s3-identities`;
const adminSecret = `${S3_SERVICE}-s3-admin`;

const podField = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
/** Go collects harder near 90% of the container's memory limit instead of being killed at it. */
function goMemLimit(ctx: BuildContext, component: string): k8s.EnvVar {
  const sizing = ctx.sizing(S3_SERVICE, component);
  return { name: 'GOMEMLIMIT', value: `${Math.floor((memoryToBytes(sizing.memoryLimit ?? sizing.memory) * 0.9) / 2 ** 20)}MiB` };
}

const weed = (command: string, args: string[]): Pick<ContainerSpec, 'command' | 'args'> => ({
  command: ['/usr/bin/weed'],
  // Logs to stderr instead of files under /tmp; the entrypoint (which would switch users) is bypassed.
  args: ['-logtostderr=true', command, ...args],
});

/** The stable DNS name of a StatefulSet pod, usable before the pod is ready (publishNotReadyAddresses). */
const podHost = (ctx: BuildContext, headless: string, pod: string) => ctx.ownHost(S3_SERVICE, pod, headless);

/**
 * Volume growth per replication level. Each bucket is a collection that grows its own volumes, so
 * upstream's defaults (7 volumes per collection without replication) use up a small disk's slots
 * after a couple of buckets and later writes fail with "no free volumes". Growth is lowered until
 * MIN_BUCKET_CAPACITY buckets fit, down to one volume at a time (what upstream's `weed mini` does).
 */
export function volumeGrowth(os: InternalStorage): Record<keyof typeof UPSTREAM_GROWTH, number> {
  // -max=0 sizes the slots from the free disk, less upstream's 1% minimum free space.
  const slotsPerServer = Math.floor(((memoryToBytes(os.storageSize) / 2 ** 20) * 0.99) / VOLUME_SIZE_LIMIT_MB);
  const slots = slotsPerServer * (os.topology === 'split' ? os.volumeServers : 1);
  const copies = Number(os.replication[2]) + 1;
  const key = (['copy_1', 'copy_2', 'copy_3'] as const)[copies - 1] ?? 'copy_other';
  const fits = Math.floor(slots / (copies * MIN_BUCKET_CAPACITY));
  const growth = Math.max(1, Math.min(UPSTREAM_GROWTH[key], fits));
  return { ...UPSTREAM_GROWTH, [key]: growth };
}

const growthEnv = (os: InternalStorage): k8s.EnvVar[] =>
  Object.entries(volumeGrowth(os)).map(([key, value]) => ({
    name: `WEED_MASTER_VOLUME_GROWTH_${key.toUpperCase()}`,
    value: String(value),
  }));

const identitiesVolume: k8s.Volume = { name: 's3-identities', secret: { secretName: identitiesSecret, defaultMode: 0o440 } };
const identitiesMount: k8s.VolumeMount = { name: 's3-identities', mountPath: IDENTITIES_PATH, readOnly: true };

/** Rolls the pods that read the identities file when what it grants changes (it is read at startup only). */
const identitiesAnnotation = (plan: S3IdentityPlan): Record<string, string> => ({
  [IDENTITIES_CHECKSUM_ANNOTATION]: identitiesChecksum(plan),
});

// ---------------------------------------------------------------------------------------------
// Objects: single topology

function buildSingle(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, os: InternalStorage, plan: S3IdentityPlan): void {
  const headless = `${self.name}-headless`;
  // Consumers and the edge reach S3 through the Service named after the service.
  platformService(scope, ctx, self, { component: 'server', ports: [S3_PORT.name] });
  platformService(scope, ctx, self, {
    component: 'server',
    name: headless,
    headless: true,
    ports: ['master', 'master-grpc', 'volume', 'volume-grpc', 'filer', 'filer-grpc', S3_PORT.name, 's3-grpc'],
  });
  const s3Status = { http: { path: '/status', port: S3_PORT.name } };
  platformStatefulSet(scope, ctx, self, {
    component: 'server',
    annotations: identitiesAnnotation(plan),
    headlessService: headless,
    user: SEAWEED_USER,
    claims: [{ volume: 'data', mountPath: DATA_PATH }],
    containers: [
      {
        name: 'seaweedfs',
        image: 'seaweedfs',
        ...weed('server', [
          `-dir=${DATA_PATH}`,
          // A stable name, not the pod IP: the master's raft state and volume ids survive restarts.
          `-ip=${podHost(ctx, headless, '$(POD_NAME)')}`,
          '-ip.bind=0.0.0.0',
          `-metricsPort=${PORTS.metrics}`,
          `-master.port=${PORTS.master}`,
          `-master.port.grpc=${PORTS['master-grpc']}`,
          '-master.peers=none',
          `-master.defaultReplication=${os.replication}`,
          `-master.volumeSizeLimitMB=${VOLUME_SIZE_LIMIT_MB}`,
          '-master.telemetry=false',
          `-volume.port=${PORTS.volume}`,
          `-volume.port.grpc=${PORTS['volume-grpc']}`,
          '-volume.max=0',
          '-volume.readMode=proxy',
          '-filer',
          `-filer.port=${PORTS.filer}`,
          `-filer.port.grpc=${PORTS['filer-grpc']}`,
          `-filer.defaultReplicaPlacement=${os.replication}`,
          '-s3',
          `-s3.port=${S3_PORT.port}`,
          `-s3.port.grpc=${PORTS['s3-grpc']}`,
          `-s3.config=${IDENTITIES_PATH}/${IDENTITIES_FILE}`,
          // The embedded Iceberg and Lance catalogs stay off: Polaris is the catalog.
          '-s3.port.iceberg=0',
          '-s3.port.lance=0',
        ]),
        env: [
          podField('POD_NAME', 'metadata.name'),
          goMemLimit(ctx, 'server'),
          // The filer's metadata: leveldb on the data volume, as the image's filer.toml has it.
          { name: 'WEED_LEVELDB2_ENABLED', value: 'true' },
          { name: 'WEED_LEVELDB2_DIR', value: `${DATA_PATH}/filerldb2` },
          ...growthEnv(os),
        ],
        ports: ['master', 'master-grpc', 'volume', 'volume-grpc', 'filer', 'filer-grpc', S3_PORT.name, 's3-grpc', 'metrics'],
        volumeMounts: [{ name: 'data', mountPath: DATA_PATH }, identitiesMount],
        // gRPC unix sockets between the in-process servers.
        writablePaths: ['/tmp'],
        // The S3 listener opens last, once the filer answers.
        startup: { ...s3Status, periodSeconds: 5, failureThreshold: 60 },
        readiness: { ...s3Status, periodSeconds: 10 },
        liveness: { http: { path: '/healthz', port: 'master' }, periodSeconds: 20, failureThreshold: 6 },
      },
    ],
    volumes: [identitiesVolume],
    terminationGracePeriodSeconds: 60,
  });
}

// ---------------------------------------------------------------------------------------------
// Objects: split topology

function buildSplit(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, os: InternalStorage, plan: S3IdentityPlan): void {
  const masterService = objectName(self.name, 'master');
  const volumeService = objectName(self.name, 'volume');
  const filerService = objectName(self.name, 'filer');
  const masterCount = ctx.sizing(self.name, 'master').replicas;
  const peers = Array.from(
    { length: masterCount },
    (_, i) => `${podHost(ctx, masterService, `${masterService}-${i}`)}:${PORTS.master}`,
  ).join(',');
  const dbSecret = databaseSecretName(self.name, 'platform');
  const platformDb = ctx.config.postgres.platform;

  // Masters: a raft group addressed by stable pod names through the headless Service.
  platformService(scope, ctx, self, { component: 'master', headless: true, ports: ['master', 'master-grpc'] });
  platformStatefulSet(scope, ctx, self, {
    component: 'master',
    headlessService: masterService,
    podManagementPolicy: 'Parallel',
    user: SEAWEED_USER,
    claims: [{ volume: 'master-data', mountPath: DATA_PATH }],
    containers: [
      {
        name: 'master',
        image: 'seaweedfs',
        ...weed('master', [
          `-port=${PORTS.master}`,
          `-port.grpc=${PORTS['master-grpc']}`,
          `-mdir=${DATA_PATH}`,
          `-ip=${podHost(ctx, masterService, '$(POD_NAME)')}`,
          '-ip.bind=0.0.0.0',
          `-peers=${peers}`,
          `-defaultReplication=${os.replication}`,
          `-volumeSizeLimitMB=${VOLUME_SIZE_LIMIT_MB}`,
          `-metricsPort=${PORTS.metrics}`,
          '-telemetry=false',
        ]),
        env: [podField('POD_NAME', 'metadata.name'), goMemLimit(ctx, 'master'), ...growthEnv(os)],
        ports: ['master', 'master-grpc', 'metrics'],
        volumeMounts: [{ name: 'master-data', mountPath: DATA_PATH }],
        writablePaths: ['/tmp'],
        startup: { http: { path: '/healthz', port: 'master' }, periodSeconds: 5, failureThreshold: 60 },
        // Ready once a leader is known; the headless Service publishes peers before that.
        readiness: { http: { path: '/readyz', port: 'master' }, periodSeconds: 10 },
        liveness: { http: { path: '/healthz', port: 'master' }, periodSeconds: 20, failureThreshold: 6 },
      },
    ],
  });

  // Volume servers: the data, replicated across them as objectStorage.replication says.
  platformService(scope, ctx, self, { component: 'volume', headless: true, ports: ['volume', 'volume-grpc'] });
  platformStatefulSet(scope, ctx, self, {
    component: 'volume',
    headlessService: volumeService,
    podManagementPolicy: 'Parallel',
    user: SEAWEED_USER,
    claims: [{ volume: 'volume-data', mountPath: DATA_PATH }],
    containers: [
      {
        name: 'volume',
        image: 'seaweedfs',
        ...weed('volume', [
          `-port=${PORTS.volume}`,
          `-port.grpc=${PORTS['volume-grpc']}`,
          `-dir=${DATA_PATH}`,
          '-max=0',
          `-ip=${podHost(ctx, volumeService, '$(POD_NAME)')}`,
          '-ip.bind=0.0.0.0',
          `-master=${peers}`,
          '-readMode=proxy',
          `-metricsPort=${PORTS.metrics}`,
        ]),
        env: [podField('POD_NAME', 'metadata.name'), goMemLimit(ctx, 'volume')],
        ports: ['volume', 'volume-grpc', 'metrics'],
        volumeMounts: [{ name: 'volume-data', mountPath: DATA_PATH }],
        writablePaths: ['/tmp'],
        startup: { tcp: 'volume', periodSeconds: 5, failureThreshold: 60 },
        // /healthz fails while the master is unreachable: not ready then, but not restarted for it.
        readiness: { http: { path: '/healthz', port: 'volume' }, periodSeconds: 10 },
        liveness: { tcp: 'volume', periodSeconds: 20, failureThreshold: 6 },
      },
    ],
    terminationGracePeriodSeconds: 60,
  });

  // Filers: stateless, their metadata in the platform PostgreSQL (postgres2 store, tables created by the filer).
  platformService(scope, ctx, self, { component: 'filer', ports: ['filer', 'filer-grpc'] });
  platformDeployment(scope, ctx, self, {
    component: 'filer',
    user: SEAWEED_USER,
    containers: [
      {
        name: 'filer',
        image: 'seaweedfs',
        ...weed('filer', [
          `-port=${PORTS.filer}`,
          `-port.grpc=${PORTS['filer-grpc']}`,
          '-ip=$(POD_IP)',
          '-ip.bind=0.0.0.0',
          `-master=${peers}`,
          `-defaultReplicaPlacement=${os.replication}`,
          `-metricsPort=${PORTS.metrics}`,
        ]),
        env: [
          podField('POD_IP', 'status.podIP'),
          goMemLimit(ctx, 'filer'),
          // The image's filer.toml enables leveldb2; only one store may be on.
          { name: 'WEED_LEVELDB2_ENABLED', value: 'false' },
          { name: 'WEED_POSTGRES2_ENABLED', value: 'true' },
          secretEnv('WEED_POSTGRES2_HOSTNAME', dbSecret, 'host'),
          secretEnv('WEED_POSTGRES2_PORT', dbSecret, 'port'),
          secretEnv('WEED_POSTGRES2_USERNAME', dbSecret, 'username'),
          secretEnv('WEED_POSTGRES2_PASSWORD', dbSecret, 'password'),
          secretEnv('WEED_POSTGRES2_DATABASE', dbSecret, 'database'),
          { name: 'WEED_POSTGRES2_SSLMODE', value: platformDb.mode === 'external' ? platformDb.sslMode : 'disable' },
          { name: 'WEED_POSTGRES2_ENABLEUPSERT', value: 'true' },
          { name: 'WEED_POSTGRES2_CONNECTION_MAX_OPEN', value: String(FILER_DB_CONNECTIONS[ctx.config.sizing]) },
          { name: 'WEED_POSTGRES2_CONNECTION_MAX_IDLE', value: '2' },
        ],
        ports: ['filer', 'filer-grpc', 'metrics'],
        // /data is the image's working directory; nothing there is kept.
        writablePaths: ['/tmp', DATA_PATH],
        startup: { tcp: 'filer', periodSeconds: 5, failureThreshold: 60 },
        // /healthz reads from the metadata store: not ready while PostgreSQL is away.
        readiness: { http: { path: '/healthz', port: 'filer' }, periodSeconds: 10 },
        liveness: { tcp: 'filer', periodSeconds: 20, failureThreshold: 6 },
      },
    ],
  });

  // S3 gateways: stateless, behind the Service named after the service.
  platformService(scope, ctx, self, { component: 's3', name: self.name, ports: [S3_PORT.name] });
  const s3Status = { http: { path: '/status', port: S3_PORT.name } };
  platformDeployment(scope, ctx, self, {
    component: 's3',
    annotations: identitiesAnnotation(plan),
    user: SEAWEED_USER,
    containers: [
      {
        name: 's3',
        image: 'seaweedfs',
        ...weed('s3', [
          `-port=${S3_PORT.port}`,
          `-port.grpc=${PORTS['s3-grpc']}`,
          '-ip=$(POD_IP)',
          '-ip.bind=0.0.0.0',
          `-filer=${ctx.ownHost(self.name, filerService)}:${PORTS.filer}`,
          `-config=${IDENTITIES_PATH}/${IDENTITIES_FILE}`,
          `-metricsPort=${PORTS.metrics}`,
          '-port.iceberg=0',
          '-port.lance=0',
        ]),
        env: [podField('POD_IP', 'status.podIP'), goMemLimit(ctx, 's3')],
        ports: [S3_PORT.name, 's3-grpc', 'metrics'],
        volumeMounts: [identitiesMount],
        writablePaths: ['/tmp'],
        // The S3 listener opens once a filer answers.
        startup: { ...s3Status, periodSeconds: 5, failureThreshold: 60 },
        readiness: { ...s3Status, periodSeconds: 10 },
        liveness: { ...s3Status, periodSeconds: 20, failureThreshold: 6 },
      },
    ],
    volumes: [identitiesVolume],
  });
}

// ---------------------------------------------------------------------------------------------
// Wiring: identities, consumer credentials, buckets

/** The identities file and the admin keys, beside the S3 pods; each consumer's keys in its own namespace. */
function planCredentials(ctx: BuildContext, self: ServiceDeclaration, plan: S3IdentityPlan): void {
  const namespace = ctx.namespaceOf(self.name);
  ctx.addSecret({
    name: identitiesSecret,
    namespace,
    service: self.name,
    data: { [IDENTITIES_FILE]: { kind: 'template', ids: identityValueIds(plan), render: (values) => renderIdentitiesFile(plan, values) } },
  });
  ctx.addSecret({
    name: adminSecret,
    namespace,
    service: self.name,
    data: { 'access-key': plan.admin.accessKey, 'secret-key': plan.admin.secretKey },
  });
  const endpoint = ctx.connect(self.name, self.name, S3_PORT.name).url();
  for (const consumer of plan.consumers) {
    ctx.addSecret({
      name: s3SecretName(consumer.service),
      namespace: ctx.namespaceOf(consumer.service),
      service: consumer.service,
      data: {
        'access-key': consumer.identity.accessKey,
        'secret-key': consumer.identity.secretKey,
        endpoint: literal(endpoint),
        region: literal(S3_REGION),
      },
    });
  }
}

/**
 * Secrets the platform cannot make in external mode: a cloud S3's identities live in its own IAM,
 * so the operator provides each consuming service's `<service>-s3` Secret (keys as contract.ts's
 * s3SecretKeys) in that service's namespace, and the bucket-creating credentials Secret.
 */
export function operatorProvidedS3Secrets(
  ctx: Pick<BuildContext, 'config' | 'services' | 'namespaceOf'>,
): { namespace: string; name: string; keys: string[] }[] {
  const os = ctx.config.objectStorage;
  if (os.mode !== 'external') return [];
  const plan = s3IdentityPlan(ctx.config.prefix, ctx.services);
  return [
    { namespace: ctx.namespaceOf(S3_SERVICE), name: os.credentialsSecret, keys: ['access-key', 'secret-key'] },
    ...plan.consumers.map((c) => ({
      namespace: ctx.namespaceOf(c.service),
      name: s3SecretName(c.service),
      keys: [...s3SecretKeys],
    })),
  ];
}

/** Shell-safe: bucket names are checked against S3 naming rules, regions against this. */
const REGION = /^[a-z0-9-]+$/;

export function bucketScript(buckets: string[], createOptions: string): string {
  return [
    'set -eu',
    '# Waits for the endpoint to accept connections, then makes each bucket that is missing.',
    'until (exec 3<>"/dev/tcp/${S3_HOST}/${S3_PORT}") 2>/dev/null; do echo "waiting for S3 at ${S3_ENDPOINT}"; sleep 3; done',
    'ensure_bucket() {',
    '  tries=0',
    `  until aws s3api head-bucket --endpoint-url "$S3_ENDPOINT" --bucket "$1" >/dev/null 2>&1 || aws s3api create-bucket --endpoint-url "$S3_ENDPOINT" --bucket "$1"${createOptions} >/dev/null; do`,
    '    tries=$((tries + 1))',
    '    if [ "$tries" -ge 30 ]; then echo "bucket $1: S3 did not accept it after $tries tries" >&2; return 1; fi',
    '    echo "bucket $1: not yet (try $tries), retrying in 5s"; sleep 5',
    '  done',
    '  echo "bucket $1: present"',
    '}',
    ...buckets.map((b) => `ensure_bucket ${b}`),
    'echo "buckets complete"',
    '',
  ].join('\n');
}

function buildBuckets(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, plan: S3IdentityPlan): void {
  const os = ctx.config.objectStorage;
  const external = os.mode === 'external' ? (os as ExternalStorage) : undefined;
  const endpoint = external ? external.endpoint.replace(/\/+$/, '') : ctx.connect(self.name, self.name, S3_PORT.name).url();
  const url = new URL(endpoint);
  const region = external ? external.region : S3_REGION;
  if (!REGION.test(region)) throw new Error(`objectStorage.region: "${region}" is not a region name such as "eu-central-1"`);
  const pathStyle = external ? external.pathStyle : true;
  // us-east-1 is the one region where S3 rejects an explicit location constraint.
  const createOptions = region === 'us-east-1' ? '' : ` --create-bucket-configuration LocationConstraint=${region}`;
  const credentials = external ? external.credentialsSecret : adminSecret;

  platformConfigMap(scope, ctx, self, 'buckets', 'aws', {
    config: ['[default]', `region = ${region}`, 's3 =', `  addressing_style = ${pathStyle ? 'path' : 'virtual'}`, ''].join('\n'),
  });
  platformJob(scope, ctx, self, {
    component: 'buckets',
    user: AWS_CLI_USER,
    containers: [
      {
        name: 'buckets',
        image: 'awsCli',
        command: ['/bin/bash', '-c', bucketScript(plan.buckets, createOptions)],
        env: [
          { name: 'HOME', value: '/tmp' },
          { name: 'AWS_CONFIG_FILE', value: `${AWS_CONFIG_PATH}/config` },
          { name: 'AWS_REGION', value: region },
          { name: 'AWS_PAGER', value: '' },
          { name: 'AWS_EC2_METADATA_DISABLED', value: 'true' },
          { name: 'S3_ENDPOINT', value: endpoint },
          { name: 'S3_HOST', value: url.hostname },
          { name: 'S3_PORT', value: String(endpointPort(url)) },
          secretEnv('AWS_ACCESS_KEY_ID', credentials, 'access-key'),
          secretEnv('AWS_SECRET_ACCESS_KEY', credentials, 'secret-key'),
        ],
        volumeMounts: [{ name: 'aws-config', mountPath: AWS_CONFIG_PATH, readOnly: true }],
        writablePaths: ['/tmp'],
      },
    ],
    volumes: [{ name: 'aws-config', configMap: { name: `${objectName(self.name, 'buckets')}-aws` } }],
  });
}

export const seaweedfsDefinition: ServiceDefinition = {
  name: S3_SERVICE,
  enabled: () => true,
  declare,
  build: (scope, ctx, self) => {
    const os = ctx.config.objectStorage;
    const plan = s3IdentityPlan(ctx.config.prefix, ctx.services);
    if (isInternal(os)) {
      planCredentials(ctx, self, plan);
      if (os.topology === 'split') buildSplit(scope, ctx, self, os, plan);
      else buildSingle(scope, ctx, self, os, plan);
    }
    buildBuckets(scope, ctx, self, plan);
  },
};

// Apache Spark: a Spark Connect server (gRPC 15002) that is the driver of the cluster's one
// application, with a standalone master and workers sized by the profile, or, in local mode (the
// laptop's), running the tasks in its own JVM (`local[N]`). Spark reads and writes Iceberg
// tables through the Polaris REST catalog, table files with its own S3 identity (S3FileIO), and
// writes its event log to its own bucket (S3A). The jars for that are not in the image: each pod
// fetches them, pinned and checksum-verified, from the configured Maven repository (spark/jars.ts).
//
// All Spark pods are one service, so the NetworkPolicies let them reach each other on every port
// Spark declares (executors connect back to the driver; the master and workers talk both ways).
// Clients (notebooks, orchestration) declare an edge to `spark:connect`. The Connect server's UI,
// with its Prometheus endpoint, is the public host `compute` behind sign-in.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  contentChecksum,
  platformConfigMap,
  platformDeployment,
  platformService,
  platformStatefulSet,
  secretEnv,
} from '../../base/workload';
import { exemption } from '../../base/exemption';
import { objectName } from '../../base/labels';
import type { BuildContext } from '../../platform/context';
import { ServiceDeclaration, ServiceDefinition, withDefaults } from '../../platform/service';
import {
  bucketName,
  catalogPlan,
  POLARIS_PORTS,
  POLARIS_SERVICE,
  polarisScope,
  polarisSecretName,
  s3SecretName,
} from '../../storage/contract';
import {
  CONF_DIR,
  CONF_TEMPLATE_DIR,
  CONNECT_SCRIPT,
  connectDefaults,
  connectScript,
  ICEBERG_CATALOG,
  JARS_DIR,
  masterDefaults,
  POLARIS_CREDENTIALS_DIR,
  RECOVERY_DIR,
  SPARK_HOME,
  SPARK_PORTS,
  SPARK_PROFILES,
  sparkSizing,
  SparkWiring,
  WORK_DIR,
  workerDefaults,
} from './config';
import { fetchJarsContainer } from './fetch-jars';
import { FETCH_SCRIPT, fetchJarsScript, jarsFor } from './jars';

export const SPARK_SERVICE = 'spark';
export { SPARK_PORTS, ICEBERG_CATALOG };
/** The Secret (Spark's namespace) holding Spark's own Polaris principal, planned by the storage layer. */
export const SPARK_POLARIS_SECRET = polarisSecretName(SPARK_SERVICE);
/** Spark's event logs (S3A); the history server (compute/spark-history) reads, compacts and cleans them. */
export const EVENT_LOG_BUCKET = 'spark-logs';
const WAREHOUSE_BUCKET = 'warehouse';

/** The image's user (apache/spark-docker Dockerfile: spark_uid=185, group spark 185). */
const SPARK_USER = { uid: 185, gid: 185 };
/** The driver needs every jar (the AWS SDK bundle alone is several hundred MB); workers need the Iceberg ones. */
const JARS_VOLUME_LIMIT = { driver: '2Gi', executor: '512Mi' } as const;

const standalone = (ctx: Pick<BuildContext, 'config'>): boolean => ctx.config.compute.spark.master === 'standalone';

function declare(ctx: Pick<BuildContext, 'config'>): ServiceDeclaration {
  const { workers, jars, master } = ctx.config.compute.spark;
  const repository = new URL(jars.repository);
  return withDefaults({
    name: SPARK_SERVICE,
    layer: 'compute',
    description: standalone(ctx)
      ? 'Apache Spark standalone (master, workers) with a Spark Connect server; Iceberg through Polaris'
      : 'Apache Spark Connect server running its tasks itself (local mode); Iceberg through Polaris',
    images: ['spark'],
    // One service: executors on the workers reach the driver (driver, blocks), the master reaches
    // workers and driver, and each other's block managers serve shuffle data. In local mode the
    // driver still binds its RPC and block-manager ports, inside its own pod.
    ports: [
      { ...SPARK_PORTS.connect },
      { ...SPARK_PORTS.ui, http: true },
      { ...SPARK_PORTS.driver },
      { ...SPARK_PORTS.blocks },
      ...(standalone(ctx)
        ? [
            { ...SPARK_PORTS.master },
            { ...SPARK_PORTS.masterUi, http: true },
            { ...SPARK_PORTS.worker },
            { ...SPARK_PORTS.workerUi, http: true },
          ]
        : []),
    ],
    edges: [{ to: POLARIS_SERVICE, port: POLARIS_PORTS.api.name }],
    // The Spark UI has no sign-in of its own; it can kill jobs, so engineers and admins only.
    publicHost: { name: 'compute', port: SPARK_PORTS.ui.name, signIn: 'forward-auth', allowedRoles: ['admin', 'engineer'] },
    metrics: { port: SPARK_PORTS.ui.name, path: '/metrics/prometheus' },
    resources: sparkSizing(workers, master),
    storage: standalone(ctx) ? { recovery: { size: '1Gi', storageClass: 'standard' } } : {},
    buckets: [
      { name: WAREHOUSE_BUCKET, access: 'readwrite' },
      { name: EVENT_LOG_BUCKET, access: 'readwrite' },
    ],
    externalEndpoints: [{ cidrs: jars.cidrs, ports: [Number(repository.port || (repository.protocol === 'https:' ? 443 : 80))] }],
  });
}

/** The master's stable name: its StatefulSet pod behind the headless Service of the same name. */
function masterHost(ctx: BuildContext): string {
  const name = objectName(SPARK_SERVICE, 'master');
  return ctx.ownHost(SPARK_SERVICE, `${name}-0`, name);
}

export function sparkWiring(ctx: BuildContext): SparkWiring {
  const plan = catalogPlan(ctx, SPARK_SERVICE);
  return {
    masterUrl: standalone(ctx)
      ? `spark://${masterHost(ctx)}:${SPARK_PORTS.master.port}`
      : `local[${SPARK_PROFILES[ctx.config.sizing].local.cores}]`,
    polarisUri: `${ctx.connect(SPARK_SERVICE, POLARIS_SERVICE, POLARIS_PORTS.api.name).url()}/api/catalog`,
    realm: plan.realm,
    scope: polarisScope(SPARK_SERVICE),
    warehouse: plan.catalog,
    s3: plan.s3,
    eventLogBucket: bucketName(ctx.config.prefix, EVENT_LOG_BUCKET),
  };
}

const podIp: k8s.EnvVar = { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };

/** Every Spark JVM: no daemon log files, HOME writable for Python workers, the S3 identity for the SDK. */
function commonEnv(wiring: SparkWiring): k8s.EnvVar[] {
  const s3 = s3SecretName(SPARK_SERVICE);
  return [
    { name: 'SPARK_HOME', value: SPARK_HOME },
    { name: 'HOME', value: '/tmp' },
    secretEnv('AWS_ACCESS_KEY_ID', s3, 'access-key'),
    secretEnv('AWS_SECRET_ACCESS_KEY', s3, 'secret-key'),
    { name: 'AWS_REGION', value: wiring.s3.region },
    // S3-compatible stores: send checksums only where S3 requires them (AWS SDK 2.30+ sends them by default).
    { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' },
    { name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' },
  ];
}

const jarsVolume = (role: 'driver' | 'executor'): k8s.Volume => ({
  name: 'jars',
  emptyDir: { sizeLimit: k8s.Quantity.fromString(JARS_VOLUME_LIMIT[role]) },
});
const configVolume = (name: string): k8s.Volume => ({ name: 'config', configMap: { name, defaultMode: 0o444 } });

function buildMaster(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, config: string, checksum: string): void {
  const name = objectName(SPARK_SERVICE, 'master');
  const { daemonHeapMi } = SPARK_PROFILES[ctx.config.sizing].master;
  const ui = { http: { path: '/', port: SPARK_PORTS.masterUi.name } };
  platformService(scope, ctx, self, { component: 'master', ports: [SPARK_PORTS.master.name, SPARK_PORTS.masterUi.name], headless: true });
  platformStatefulSet(scope, ctx, self, {
    component: 'master',
    headlessService: name,
    objectAnnotations: exemption(
      'minimum-replicas',
      'one standalone master: a standby needs ZooKeeper; the FILESYSTEM recovery state on its volume lets a restarted master take back its workers and the application',
    ),
    user: SPARK_USER,
    annotations: { 'checksum/config': checksum },
    claims: [{ volume: 'recovery', mountPath: RECOVERY_DIR }],
    containers: [
      {
        name: 'master',
        image: 'spark',
        command: [`${SPARK_HOME}/bin/spark-class`],
        args: [
          'org.apache.spark.deploy.master.Master',
          '--host',
          masterHost(ctx),
          '--port',
          String(SPARK_PORTS.master.port),
          '--webui-port',
          String(SPARK_PORTS.masterUi.port),
          '--properties-file',
          `${CONF_TEMPLATE_DIR}/master.conf`,
        ],
        env: [
          { name: 'SPARK_HOME', value: SPARK_HOME },
          { name: 'SPARK_DAEMON_MEMORY', value: `${daemonHeapMi}m` },
        ],
        ports: [SPARK_PORTS.master.name, SPARK_PORTS.masterUi.name],
        volumeMounts: [
          { name: 'config', mountPath: CONF_TEMPLATE_DIR, readOnly: true },
          { name: 'recovery', mountPath: RECOVERY_DIR },
        ],
        writablePaths: ['/tmp'],
        startup: { ...ui, periodSeconds: 5, failureThreshold: 36 },
        readiness: ui,
        liveness: { ...ui, periodSeconds: 20 },
      },
    ],
    volumes: [configVolume(config)],
  });
}

function buildWorkers(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, config: string, checksum: string): void {
  const { cores, executorMemoryMi, daemonHeapMi } = SPARK_PROFILES[ctx.config.sizing].worker;
  const wiring = sparkWiring(ctx);
  const ui = { http: { path: '/', port: SPARK_PORTS.workerUi.name } };
  platformDeployment(scope, ctx, self, {
    component: 'worker',
    user: SPARK_USER,
    annotations: { 'checksum/config': checksum },
    initContainers: [fetchJarsContainer(ctx.config.compute.spark.jars.repository, CONF_TEMPLATE_DIR, jarsFor('executor'))],
    containers: [
      {
        name: 'worker',
        image: 'spark',
        command: [`${SPARK_HOME}/bin/spark-class`],
        // Advertised by pod IP: the master and the driver reach workers directly, not through a Service.
        args: [
          'org.apache.spark.deploy.worker.Worker',
          '--host',
          '$(POD_IP)',
          '--port',
          String(SPARK_PORTS.worker.port),
          '--webui-port',
          String(SPARK_PORTS.workerUi.port),
          '--cores',
          String(cores),
          '--memory',
          `${executorMemoryMi}m`,
          '--work-dir',
          WORK_DIR,
          '--properties-file',
          `${CONF_TEMPLATE_DIR}/worker.conf`,
          wiring.masterUrl,
        ],
        // Executors inherit this environment (their S3 identity for table files).
        env: [podIp, ...commonEnv(wiring), { name: 'SPARK_DAEMON_MEMORY', value: `${daemonHeapMi}m` }],
        ports: [SPARK_PORTS.worker.name, SPARK_PORTS.workerUi.name, SPARK_PORTS.blocks.name],
        volumeMounts: [
          { name: 'config', mountPath: CONF_TEMPLATE_DIR, readOnly: true },
          { name: 'jars', mountPath: JARS_DIR, readOnly: true },
        ],
        // Executors' application files, shuffle and spill data, Python workers.
        writablePaths: [WORK_DIR, '/tmp'],
        startup: { ...ui, periodSeconds: 5, failureThreshold: 36 },
        readiness: ui,
        liveness: { ...ui, periodSeconds: 20 },
      },
    ],
    volumes: [configVolume(config), jarsVolume('executor')],
  });
}

function buildConnect(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, config: string, checksum: string): void {
  const wiring = sparkWiring(ctx);
  const grpc = { tcp: SPARK_PORTS.connect.name };
  // The Service clients use is the service's own name: `spark:15002` (sc://spark.<namespace>...:15002).
  platformService(scope, ctx, self, { component: 'connect', name: SPARK_SERVICE, ports: [SPARK_PORTS.connect.name, SPARK_PORTS.ui.name] });
  const deployment = platformDeployment(scope, ctx, self, {
    component: 'connect',
    // One driver at a time: a second server during a rollout would split sessions and register a second application.
    strategy: 'Recreate',
    user: SPARK_USER,
    annotations: { 'checksum/config': checksum },
    terminationGracePeriodSeconds: 60,
    initContainers: [fetchJarsContainer(ctx.config.compute.spark.jars.repository, CONF_TEMPLATE_DIR, jarsFor('driver'))],
    containers: [
      {
        name: 'connect',
        image: 'spark',
        command: ['/bin/bash', `${CONF_TEMPLATE_DIR}/${CONNECT_SCRIPT}`],
        env: [podIp, ...commonEnv(wiring), { name: 'SPARK_CONF_DIR', value: CONF_DIR }],
        ports: [SPARK_PORTS.connect.name, SPARK_PORTS.ui.name, SPARK_PORTS.driver.name, SPARK_PORTS.blocks.name],
        volumeMounts: [
          { name: 'config', mountPath: CONF_TEMPLATE_DIR, readOnly: true },
          { name: 'jars', mountPath: JARS_DIR, readOnly: true },
          { name: 'polaris', mountPath: POLARIS_CREDENTIALS_DIR, readOnly: true },
        ],
        // The rendered conf, S3A upload buffers, local and Python worker files.
        writablePaths: [CONF_DIR, '/tmp'],
        startup: { ...grpc, periodSeconds: 5, failureThreshold: 60 },
        readiness: grpc,
        liveness: { ...grpc, periodSeconds: 20 },
      },
    ],
    volumes: [
      configVolume(config),
      jarsVolume('driver'),
      { name: 'polaris', secret: { secretName: SPARK_POLARIS_SECRET, defaultMode: 0o440 } },
    ],
  });
  for (const [key, reason] of Object.entries(
    exemption(
      'minimum-replicas',
      "the Connect server is the driver of the cluster's one application: a second replica would be a second application holding no executors, with sessions it does not share",
    ),
  ))
    deployment.metadata.addAnnotation(key, reason);
}

export function sparkConfigFiles(ctx: BuildContext): Record<string, string> {
  return {
    ...(standalone(ctx) ? { 'master.conf': masterDefaults(), 'worker.conf': workerDefaults() } : {}),
    'connect.conf': connectDefaults(ctx.config.sizing, sparkWiring(ctx), ctx.config.compute.spark.master),
    [CONNECT_SCRIPT]: connectScript(),
    [FETCH_SCRIPT]: fetchJarsScript(),
  };
}

export const sparkDefinition: ServiceDefinition = {
  name: SPARK_SERVICE,
  enabled: () => true,
  declare,
  build: (scope, ctx, self) => {
    const files = sparkConfigFiles(ctx);
    const config = platformConfigMap(scope, ctx, self, 'server', 'config', files).name;
    // The JVMs read their configuration only at start: a change rolls the pods.
    const checksum = contentChecksum(files);
    if (standalone(ctx)) {
      buildMaster(scope, ctx, self, config, checksum);
      buildWorkers(scope, ctx, self, config, checksum);
    }
    buildConnect(scope, ctx, self, config, checksum);
  },
};

// The Spark History Server (public host `history`, admins and engineers): Spark's own
// org.apache.spark.deploy.history.HistoryServer, in the same pinned Spark image, serving the UI of
// past and running applications from the event logs Spark writes to its bucket. It also keeps that
// bucket bounded: its cleaner deletes old logs and it compacts a running application's rolled
// files. So it needs write access to the bucket, under an S3 identity of its own.
//
// A service apart from `spark`: one public host per service, and the Connect server's UI already has
// `compute`. S3A is not in the image: the pod fetches hadoop-aws and its AWS SDK bundle, pinned and
// checksum-verified, like the Spark pods do (spark/jars.ts).
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { contentChecksum, platformConfigMap, platformDeployment, platformService, secretEnv } from '../../base/workload';
import { exemption } from '../../base/exemption';
import type { BuildContext } from '../../platform/context';
import { ServiceDeclaration, ServiceDefinition, withDefaults } from '../../platform/service';
import { bucketName, catalogPlan, s3SecretName } from '../../storage/contract';
import { FETCH_SCRIPT, fetchJarsScript, fileName, S3A_JARS } from '../spark/jars';
import { EVENT_LOG_BUCKET } from '../spark/spark';
import { JARS_DIR, SPARK_HOME } from '../spark/config';
import { fetchJarsContainer } from '../spark/fetch-jars';
import {
  CONF_DIR,
  CONF_FILE,
  HISTORY_PORT,
  HISTORY_PROFILES,
  HISTORY_SIZING,
  historyDefaults,
  HistoryWiring,
  STORE_DIR,
  storeVolumeLimit,
} from './config';

export const SPARK_HISTORY_SERVICE = 'spark-history';
export const HISTORY_HOST = 'history';
/** The image's user (apache/spark-docker Dockerfile: spark_uid=185, group spark 185). */
const SPARK_USER = { uid: 185, gid: 185 };

const urlPort = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

function declare(ctx: Pick<BuildContext, 'config'>): ServiceDeclaration {
  const { jars } = ctx.config.compute.spark;
  return withDefaults({
    name: SPARK_HISTORY_SERVICE,
    layer: 'compute',
    description:
      "Spark History Server: the UI of Spark's past and running applications from their event logs, which it compacts and cleans",
    images: ['spark'],
    ports: [{ ...HISTORY_PORT, http: true }],
    // No sign-in of its own; it shows every application's queries and settings, so engineers and admins only.
    publicHost: { name: HISTORY_HOST, port: HISTORY_PORT.name, signIn: 'forward-auth', allowedRoles: ['admin', 'engineer'] },
    resources: { server: HISTORY_SIZING },
    // readwrite: the cleaner deletes old logs; compaction writes a compacted file and deletes what it replaced.
    buckets: [{ name: EVENT_LOG_BUCKET, access: 'readwrite' }],
    externalEndpoints: [{ cidrs: jars.cidrs, ports: [urlPort(new URL(jars.repository))] }],
  });
}

export function historyWiring(ctx: BuildContext): HistoryWiring {
  const { maxAgeDays, maxApplications } = ctx.config.compute.spark.history;
  return {
    eventLogBucket: bucketName(ctx.config.prefix, EVENT_LOG_BUCKET),
    // The object store as this service reaches it (the catalog plan's S3 part; no catalog is used).
    s3: catalogPlan(ctx, SPARK_HISTORY_SERVICE).s3,
    maxAgeDays,
    maxApplications,
  };
}

function serverEnv(ctx: BuildContext, wiring: HistoryWiring): k8s.EnvVar[] {
  const s3 = s3SecretName(SPARK_HISTORY_SERVICE);
  return [
    { name: 'SPARK_HOME', value: SPARK_HOME },
    { name: 'HOME', value: '/tmp' },
    // spark-class reads both for this class (launcher SparkClassCommandBuilder): the heap and the S3A jars.
    { name: 'SPARK_DAEMON_MEMORY', value: `${HISTORY_PROFILES[ctx.config.sizing].heapMi}m` },
    { name: 'SPARK_DAEMON_CLASSPATH', value: S3A_JARS.map((j) => `${JARS_DIR}/${fileName(j)}`).join(':') },
    secretEnv('AWS_ACCESS_KEY_ID', s3, 'access-key'),
    secretEnv('AWS_SECRET_ACCESS_KEY', s3, 'secret-key'),
    { name: 'AWS_REGION', value: wiring.s3.region },
    // S3-compatible stores: send checksums only where S3 requires them (AWS SDK 2.30+ sends them by default).
    { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' },
    { name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' },
  ];
}

function build(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const wiring = historyWiring(ctx);
  const files = { [CONF_FILE]: historyDefaults(ctx.config.sizing, wiring), [FETCH_SCRIPT]: fetchJarsScript() };
  const config = platformConfigMap(scope, ctx, self, 'server', 'config', files).name;
  // The REST API's version endpoint (monitoring.md, REST API): answers once the UI is up, without loading an application.
  const version = { http: { path: '/api/v1/version', port: HISTORY_PORT.name } };
  platformService(scope, ctx, self, { component: 'server', ports: [HISTORY_PORT.name] });
  const deployment = platformDeployment(scope, ctx, self, {
    component: 'server',
    // Two servers would both clean and compact the same logs.
    strategy: 'Recreate',
    user: SPARK_USER,
    // The JVM reads its properties only at start: a change rolls the pod.
    annotations: { 'checksum/config': contentChecksum(files) },
    initContainers: [fetchJarsContainer(ctx.config.compute.spark.jars.repository, CONF_DIR, S3A_JARS)],
    containers: [
      {
        name: 'history',
        image: 'spark',
        command: [`${SPARK_HOME}/bin/spark-class`],
        args: ['org.apache.spark.deploy.history.HistoryServer', '--properties-file', `${CONF_DIR}/${CONF_FILE}`],
        env: serverEnv(ctx, wiring),
        ports: [HISTORY_PORT.name],
        volumeMounts: [
          { name: 'config', mountPath: CONF_DIR, readOnly: true },
          { name: 'jars', mountPath: JARS_DIR, readOnly: true },
          { name: 'store', mountPath: STORE_DIR },
        ],
        // S3A buffers and the store's native library.
        writablePaths: ['/tmp'],
        startup: { ...version, periodSeconds: 5, failureThreshold: 36 },
        readiness: version,
        liveness: { ...version, periodSeconds: 20 },
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: config, defaultMode: 0o444 } },
      // hadoop-aws and the AWS SDK bundle (several hundred MB).
      { name: 'jars', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
      { name: 'store', emptyDir: { sizeLimit: k8s.Quantity.fromString(storeVolumeLimit(ctx.config.sizing)) } },
    ],
  });
  for (const [key, reason] of Object.entries(
    exemption('minimum-replicas', 'one history server: a second would clean and compact the same event logs at the same time'),
  ))
    deployment.metadata.addAnnotation(key, reason);
}

export const sparkHistoryDefinition: ServiceDefinition = {
  name: SPARK_HISTORY_SERVICE,
  enabled: () => true,
  declare,
  build,
};

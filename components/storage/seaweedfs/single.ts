// The `single` topology, for a laptop: one `weed server` process runs master, volume server, filer
// (its metadata in leveldb on the data volume) and S3 gateway, in one StatefulSet pod with one
// volume. A stable pod name keeps the master's raft state and volume ids across restarts.
import { Construct } from 'constructs';
import { platformService, platformStatefulSet } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import type { ServiceDeclaration } from '../../platform/service';
import { S3_PORT } from '../contract';
import type { S3IdentityPlan } from './identities';
import {
  DATA_PATH,
  goMemLimit,
  growthEnv,
  identitiesAnnotation,
  IDENTITIES_CONFIG,
  identitiesMount,
  identitiesVolume,
  InternalStorage,
  podField,
  podHost,
  PORTS,
  SEAWEED_USER,
  VOLUME_SIZE_LIMIT_MB,
  weed,
} from './pods';

export function buildSingle(
  scope: Construct,
  ctx: BuildContext,
  self: ServiceDeclaration,
  os: InternalStorage,
  plan: S3IdentityPlan,
): void {
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
          `-s3.config=${IDENTITIES_CONFIG}`,
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

// The `split` topology: a raft group of masters and the volume servers as StatefulSets addressed by
// stable pod names, stateless filers keeping their metadata in the platform PostgreSQL (the
// database the declaration asks the storage layer for), and stateless S3 gateways behind the
// Service named after the service.
import { Construct } from 'constructs';
import { objectName } from '../../base/labels';
import { platformDeployment, platformService, platformStatefulSet, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import type { ServiceDeclaration } from '../../platform/service';
import { databaseSecretName, S3_PORT } from '../contract';
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

/** Filer connections to the shared platform PostgreSQL, per filer (upstream default 50). */
const FILER_DB_CONNECTIONS = { small: 5, medium: 10, large: 20 } as const;

export function buildSplit(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, os: InternalStorage, plan: S3IdentityPlan): void {
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
          `-config=${IDENTITIES_CONFIG}`,
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

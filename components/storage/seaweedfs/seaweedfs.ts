// SeaweedFS, the platform's S3 object store. `single` topology (a laptop) runs one `weed server`
// process (master, volume, filer with a leveldb store, S3 gateway) on one volume; `split` runs a
// raft group of masters, replicated volume servers, filers keeping their metadata in the platform
// PostgreSQL and a stateless S3 gateway. In `external` mode no SeaweedFS runs: only the bucket Job,
// against the S3 endpoint the environment brings.
//
// Every service that declares buckets gets an S3 identity limited to its own buckets and a Secret
// with its keys in its own namespace; the bucket Job creates the buckets with an admin identity.
//
// This file holds the declaration (ports, sizing, storage, database) and the definition, which
// puts the parts together: identities.ts plans the identities, credentials.ts their Secrets,
// pods.ts what both topologies' pods share, single.ts and split.ts the workloads, buckets.ts the
// bucket Job.
import type { ObjectStorageConfig } from '../../../environments/schema';
import { ComponentSizing, PortDecl, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import type { BuildContext } from '../../platform/context';
import { S3_PORT, S3_SERVICE } from '../contract';
import { buildBuckets, endpointPort } from './buckets';
import { planCredentials } from './credentials';
import { s3IdentityPlan } from './identities';
import { InternalStorage, PortName, PORTS } from './pods';
import { buildSingle } from './single';
import { buildSplit } from './split';

const MASTERS = 3;
const HTTP_PORTS: PortName[] = ['master', 'volume', 'filer', S3_PORT.name, 'metrics'];

const sized = (small: ComponentSizing, medium: ComponentSizing, large: ComponentSizing): Sized<ComponentSizing> => ({
  small,
  medium,
  large,
});

/**
 * One process for everything; small fits a laptop next to the rest of the platform. The filer's
 * leveldb store alone may cache up to 8 x 48 MiB (block cache and write buffer per shard), so the
 * limit holds that; idle, with the few volumes of a laptop (each volume's index in memory, 16 bytes
 * per file: github.com/seaweedfs/seaweedfs/wiki/Optimization), it uses far less, which is the request.
 */
const SERVER_SIZING = sized(
  { replicas: 1, cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '1Gi' },
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
// ---------------------------------------------------------------------------------------------
// Declaration

const isInternal = (os: ObjectStorageConfig): os is InternalStorage => os.mode === 'internal';

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

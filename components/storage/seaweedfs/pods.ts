// What the SeaweedFS pods of both topologies share: the ports and paths, the image's user, the
// `weed` command line, the Go memory limit, stable pod addresses, the volume-growth settings and
// the identities file every S3 listener mounts (with the annotation that rolls it when the grants
// change). single.ts and split.ts build their workloads from these; seaweedfs.ts declares the ports.
import type { k8s } from 'cdk8s-plus-28';
import type { ObjectStorageConfig } from '../../../environments/schema';
import type { ContainerSpec } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { memoryToBytes } from '../../platform/quantity';
import { S3_PORT, S3_SERVICE } from '../contract';
import { IDENTITIES_FILE, IDENTITIES_SECRET } from './credentials';
import { identitiesChecksum, S3IdentityPlan } from './identities';

export type InternalStorage = Extract<ObjectStorageConfig, { mode: 'internal' }>;

/** The image's `seaweed` user; it owns /data in the image, volumes are made writable through fsGroup. */
export const SEAWEED_USER = { uid: 1000, gid: 1000 };

export const DATA_PATH = '/data';
const IDENTITIES_PATH = '/etc/seaweedfs-s3';
/** Where an S3 listener reads its identities (`-s3.config`, `-config`). */
export const IDENTITIES_CONFIG = `${IDENTITIES_PATH}/${IDENTITIES_FILE}`;
/** Master stops assigning writes to a volume past this size; volume slots per disk = disk / this. */
export const VOLUME_SIZE_LIMIT_MB = 1000;
/** Upstream's default volume growth per replication level (master.toml [master.volume_growth]). */
const UPSTREAM_GROWTH = { copy_1: 7, copy_2: 6, copy_3: 3, copy_other: 1 } as const;
/** Buckets a volume layout must hold before growth is lowered: each bucket is its own collection. */
const MIN_BUCKET_CAPACITY = 20;
const IDENTITIES_CHECKSUM_ANNOTATION = 'checksum/s3-identities';

export const PORTS = {
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
export type PortName = keyof typeof PORTS;

export const podField = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
/** Go collects harder near 90% of the container's memory limit instead of being killed at it. */
export function goMemLimit(ctx: BuildContext, component: string): k8s.EnvVar {
  const sizing = ctx.sizing(S3_SERVICE, component);
  return { name: 'GOMEMLIMIT', value: `${Math.floor((memoryToBytes(sizing.memoryLimit ?? sizing.memory) * 0.9) / 2 ** 20)}MiB` };
}

export const weed = (command: string, args: string[]): Pick<ContainerSpec, 'command' | 'args'> => ({
  command: ['/usr/bin/weed'],
  // Logs to stderr instead of files under /tmp; the entrypoint (which would switch users) is bypassed.
  args: ['-logtostderr=true', command, ...args],
});

/** The stable DNS name of a StatefulSet pod, usable before the pod is ready (publishNotReadyAddresses). */
export const podHost = (ctx: BuildContext, headless: string, pod: string) => ctx.ownHost(S3_SERVICE, pod, headless);

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

export const growthEnv = (os: InternalStorage): k8s.EnvVar[] =>
  Object.entries(volumeGrowth(os)).map(([key, value]) => ({
    name: `WEED_MASTER_VOLUME_GROWTH_${key.toUpperCase()}`,
    value: String(value),
  }));

export const identitiesVolume: k8s.Volume = { name: 's3-identities', secret: { secretName: IDENTITIES_SECRET, defaultMode: 0o440 } };
export const identitiesMount: k8s.VolumeMount = { name: 's3-identities', mountPath: IDENTITIES_PATH, readOnly: true };

/** Rolls the pods that read the identities file when what it grants changes (it is read at startup only). */
export const identitiesAnnotation = (plan: S3IdentityPlan): Record<string, string> => ({
  [IDENTITIES_CHECKSUM_ANNOTATION]: identitiesChecksum(plan),
});

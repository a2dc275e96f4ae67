import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { traefikDefinition } from '../../../../components/edge/traefik/traefik';
import type { PlatformBuild } from '../../../../components/platform/build';
import { randomIds, resolveSecretData, SecretPlan } from '../../../../components/platform/secrets';
import { ServiceDefinition, withDefaults } from '../../../../components/platform/service';
import { databaseSecretName, s3SecretKeys, s3SecretName } from '../../../../components/storage/contract';
import { postgresDefinition } from '../../../../components/storage/postgres/postgres';
import { ADMIN_IDENTITY, s3IdentityPlan } from '../../../../components/storage/seaweedfs/identities';
import { bucketScript } from '../../../../components/storage/seaweedfs/buckets';
import { operatorProvidedS3Secrets } from '../../../../components/storage/seaweedfs/credentials';
import { volumeGrowth } from '../../../../components/storage/seaweedfs/pods';
import { seaweedfsDefinition } from '../../../../components/storage/seaweedfs/seaweedfs';
import { BuildContext } from '../../../../components/platform/context';
import { buildFor, configFor, containerOf, envValue, find, objectsOf } from '../../../helpers/build';

const run = promisify(execFile);

const consumer = (
  name: string,
  layer: 'compute' | 'analytics',
  buckets: { name: string; access: 'read' | 'readwrite' }[],
): ServiceDefinition => ({
  name,
  enabled: () => true,
  declare: () => withDefaults({ name, layer, description: 'test consumer', images: [], ports: [], resources: {}, buckets }),
  build: () => undefined,
});

/** Writes the warehouse; a second service only reads it and writes its own landing bucket. */
const writer = consumer('demo-consumer', 'compute', [{ name: 'warehouse', access: 'readwrite' }]);
const reader = consumer('demo-reader', 'analytics', [
  { name: 'warehouse', access: 'read' },
  { name: 'landing', access: 'readwrite' },
]);
const definitions = [
  postgresDefinition('platform'),
  postgresDefinition('warehouse'),
  traefikDefinition,
  seaweedfsDefinition,
  writer,
  reader,
];

const EXTERNAL = {
  mode: 'external',
  endpoint: 'https://s3.eu-central-1.amazonaws.com',
  region: 'eu-central-1',
  pathStyle: false,
  credentialsSecret: 's3-bucket-admin',
  cidrs: ['0.0.0.0/0'],
};

const seaweed = (build: PlatformBuild) => build.services.find((s) => s.declaration.name === 'seaweedfs')!;
const workloads = (build: PlatformBuild): any[] =>
  objectsOf(build, 'seaweedfs').filter((o) => ['StatefulSet', 'Deployment'].includes(o.kind));
const allSecrets = (build: PlatformBuild): SecretPlan[] => build.services.flatMap((s) => s.secrets);

/** Gives every random id a recognisable value, as a delivery path would. */
function resolveAll(build: PlatformBuild): { values: Record<string, string>; data: Map<string, Record<string, string>> } {
  const values: Record<string, string> = {};
  let n = 0;
  for (const plan of allSecrets(build))
    for (const { id } of randomIds(plan)) values[id] ??= `GENERATED${(n++).toString().padStart(4, '0')}x${id.length}`;
  const data = new Map(allSecrets(build).map((p) => [`${p.namespace}/${p.name}`, resolveSecretData(p, values)]));
  return { values, data };
}

describe('single topology (k3d)', () => {
  const build = buildFor('k3d', {}, definitions);
  const objects = objectsOf(build, 'seaweedfs');
  const statefulSet = find(objects, 'StatefulSet', 'seaweedfs');
  const server = containerOf(statefulSet, 'seaweedfs');

  it('runs one weed server process with master, volume, filer and S3 on one claim', () => {
    expect(workloads(build).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['StatefulSet/seaweedfs']);
    expect(statefulSet.spec.replicas).toBe(1);
    expect(server.image).toBe('docker.io/chrislusf/seaweedfs:4.44');
    expect(server.command).toEqual(['/usr/bin/weed']);
    expect(server.args.slice(0, 2)).toEqual(['-logtostderr=true', 'server']);
    expect(server.args).toEqual(
      expect.arrayContaining(['-dir=/data', '-filer', '-s3', '-s3.config=/etc/seaweedfs-s3/s3.json', '-master.peers=none']),
    );
    expect(statefulSet.spec.volumeClaimTemplates).toHaveLength(1);
    expect(statefulSet.spec.volumeClaimTemplates[0]).toMatchObject({
      metadata: { name: 'data' },
      spec: { storageClassName: 'local-path', resources: { requests: { storage: '20Gi' } } },
    });
    expect(server.volumeMounts).toEqual(expect.arrayContaining([{ name: 'data', mountPath: '/data' }]));
  });

  it('keeps the filer metadata in leveldb on the data volume and uses no database', () => {
    expect(envValue(server, 'WEED_LEVELDB2_ENABLED').value).toBe('true');
    expect(envValue(server, 'WEED_LEVELDB2_DIR').value).toBe('/data/filerldb2');
    expect(server.env.some((e: any) => e.name.startsWith('WEED_POSTGRES2'))).toBe(false);
    expect(seaweed(build).declaration.databases).toEqual([]);
  });

  it('advertises a stable pod name that the headless Service resolves, not the pod IP', () => {
    expect(server.args).toContain('-ip=$(POD_NAME).seaweedfs-headless.platform-storage.svc.cluster.local');
    expect(statefulSet.spec.serviceName).toBe('seaweedfs-headless');
    const headless = find(objects, 'Service', 'seaweedfs-headless');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  it('serves S3 through the Service named seaweedfs on the port named s3', () => {
    const service = find(objects, 'Service', 'seaweedfs');
    expect(service.spec.selector).toEqual(statefulSet.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([{ name: 's3', port: 8333, targetPort: 's3', protocol: 'TCP' }]);
    expect(server.ports).toEqual(expect.arrayContaining([{ name: 's3', containerPort: 8333, protocol: 'TCP' }]));
  });

  it('runs as the image user 1000 with only /tmp and the data volume writable', () => {
    const pod = statefulSet.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(server.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const writable = server.volumeMounts.filter((m: any) => !m.readOnly).map((m: any) => m.mountPath);
    expect(writable.sort()).toEqual(['/data', '/tmp']);
  });

  it('probes the S3 listener at startup and readiness, the master for liveness', () => {
    expect(server.startupProbe).toMatchObject({ httpGet: { path: '/status', port: 8333 } });
    expect(server.startupProbe.periodSeconds * server.startupProbe.failureThreshold).toBeGreaterThanOrEqual(120);
    expect(server.readinessProbe).toMatchObject({ httpGet: { path: '/status', port: 8333 } });
    expect(server.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 9333 } });
  });

  it('exports metrics on the declared metrics port and switches off telemetry and the embedded catalogs', () => {
    expect(seaweed(build).declaration.metrics).toEqual({ port: 'metrics', path: '/metrics' });
    expect(server.args).toEqual(
      expect.arrayContaining(['-metricsPort=9327', '-master.telemetry=false', '-s3.port.iceberg=0', '-s3.port.lance=0']),
    );
    expect(server.ports).toEqual(expect.arrayContaining([{ name: 'metrics', containerPort: 9327, protocol: 'TCP' }]));
  });

  it('grows one volume at a time so a 20Gi disk holds many buckets', () => {
    expect(envValue(server, 'WEED_MASTER_VOLUME_GROWTH_COPY_1').value).toBe('1');
    expect(server.args).toContain('-master.volumeSizeLimitMB=1000');
  });

  it('fits a laptop: the whole store asks for at most 1 GiB of memory on the small profile', () => {
    expect(server.resources.limits.memory).toBe('1Gi');
    expect(envValue(server, 'GOMEMLIMIT').value).toBe('921MiB');
    // Idle with a laptop's few volumes it uses a fraction of that: the request.
    expect(server.resources.requests.memory).toBe('256Mi');
  });

  it('is public at storage.<domain> without forward-auth: S3 signs every request itself', () => {
    expect(seaweed(build).declaration.publicHost).toEqual({ name: 'storage', port: 's3', signIn: 'none' });
    const ingress = find(objects, 'Ingress', 'seaweedfs');
    expect(ingress.spec.rules[0].host).toBe('storage.platform.localhost');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'seaweedfs', port: { name: 's3' } });
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toBeUndefined();
  });

  it('admits consumers to the s3 port only, and its own pods to every port', () => {
    const ingress = find(objects, 'NetworkPolicy', 'seaweedfs-ingress');
    const from = (service: string) =>
      ingress.spec.ingress.find((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'] === service);
    expect(from('demo-consumer').ports).toEqual([{ protocol: 'TCP', port: 8333 }]);
    expect(from('traefik').ports).toEqual([{ protocol: 'TCP', port: 8333 }]);
    expect(from('seaweedfs').ports.map((p: any) => p.port)).toEqual(
      expect.arrayContaining([9333, 19333, 8080, 18080, 8888, 18888, 8333, 18333]),
    );
  });
});

describe.each([
  ['eks', 'gp3', '500Gi', 'large'],
  ['airgapped', 'local-path', '200Gi', 'medium'],
])('split topology (%s)', (environment, storageClass, size, sizing) => {
  const build = buildFor(environment, {}, definitions);
  const objects = objectsOf(build, 'seaweedfs');
  const master = find(objects, 'StatefulSet', 'seaweedfs-master');
  const volume = find(objects, 'StatefulSet', 'seaweedfs-volume');
  const filer = find(objects, 'Deployment', 'seaweedfs-filer');
  const gateway = find(objects, 'Deployment', 'seaweedfs-s3');
  const peers = [0, 1, 2].map((i) => `seaweedfs-master-${i}.seaweedfs-master.platform-storage.svc.cluster.local:9333`).join(',');

  it('runs masters, volume servers, filers and S3 gateways apart, and no all-in-one server', () => {
    expect(build.config.sizing).toBe(sizing);
    expect(workloads(build).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'StatefulSet/seaweedfs-master',
      'StatefulSet/seaweedfs-volume',
      'Deployment/seaweedfs-filer',
      'Deployment/seaweedfs-s3',
    ]);
    for (const [workload, command] of [
      [master, 'master'],
      [volume, 'volume'],
      [filer, 'filer'],
      [gateway, 's3'],
    ])
      expect(workload.spec.template.spec.containers[0].args.slice(0, 2)).toEqual(['-logtostderr=true', command]);
  });

  it('forms a raft group of three masters that find each other by stable names through a headless Service', () => {
    const args = containerOf(master, 'master').args;
    expect(master.spec.replicas).toBe(3);
    expect(master.spec.podManagementPolicy).toBe('Parallel');
    expect(args).toContain(`-peers=${peers}`);
    expect(args).toContain('-ip=$(POD_NAME).seaweedfs-master.platform-storage.svc.cluster.local');
    expect(find(objects, 'Service', 'seaweedfs-master').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(master.spec.volumeClaimTemplates[0]).toMatchObject({
      metadata: { name: 'master-data' },
      spec: { storageClassName: storageClass },
    });
    expect(find(objects, 'PodDisruptionBudget', 'seaweedfs-master').spec.maxUnavailable).toBe(1);
  });

  it('runs objectStorage.volumeServers volume servers, each with a claim of objectStorage.storageSize', () => {
    expect(volume.spec.replicas).toBe(build.config.objectStorage.mode === 'internal' && build.config.objectStorage.volumeServers);
    expect(volume.spec.replicas).toBe(3);
    expect(volume.spec.volumeClaimTemplates[0]).toMatchObject({
      metadata: { name: 'volume-data' },
      spec: { storageClassName: storageClass, resources: { requests: { storage: size } } },
    });
    expect(containerOf(volume, 'volume').args).toEqual(expect.arrayContaining([`-master=${peers}`, '-dir=/data', '-max=0']));
  });

  it('keeps filer metadata in the platform PostgreSQL, read from the database Secret the storage layer plans', () => {
    expect(seaweed(build).declaration.databases).toEqual([{ instance: 'platform', database: 'seaweedfs', access: 'owner' }]);
    const c = containerOf(filer, 'filer');
    const secret = databaseSecretName('seaweedfs', 'platform');
    expect(envValue(c, 'WEED_LEVELDB2_ENABLED').value).toBe('false');
    expect(envValue(c, 'WEED_POSTGRES2_ENABLED').value).toBe('true');
    expect(envValue(c, 'WEED_POSTGRES2_ENABLEUPSERT').value).toBe('true');
    for (const [name, key] of [
      ['HOSTNAME', 'host'],
      ['PORT', 'port'],
      ['USERNAME', 'username'],
      ['PASSWORD', 'password'],
      ['DATABASE', 'database'],
    ])
      expect(envValue(c, `WEED_POSTGRES2_${name}`).valueFrom.secretKeyRef).toEqual({ name: secret, key });
    // The filer creates its own tables (CREATE TABLE IF NOT EXISTS); no createTable override.
    expect(envValue(c, 'WEED_POSTGRES2_CREATETABLE')).toBeUndefined();
    const planned = allSecrets(build).find((s) => s.name === secret && s.namespace === 'platform-storage');
    expect(Object.keys(planned!.data)).toEqual(expect.arrayContaining(['host', 'port', 'username', 'password', 'database']));
  });

  it('points the S3 gateways at the filer Service and serves them as the Service named seaweedfs', () => {
    const c = containerOf(gateway, 's3');
    expect(c.args).toEqual(
      expect.arrayContaining(['-filer=seaweedfs-filer.platform-storage.svc.cluster.local:8888', '-config=/etc/seaweedfs-s3/s3.json']),
    );
    expect(find(objects, 'Service', 'seaweedfs-filer').spec.ports.map((p: any) => p.name)).toEqual(['filer', 'filer-grpc']);
    const service = find(objects, 'Service', 'seaweedfs');
    expect(service.spec.selector).toEqual(gateway.spec.selector.matchLabels);
    expect(service.spec.ports.map((p: any) => p.name)).toEqual(['s3']);
    expect(gateway.spec.replicas).toBeGreaterThan(1);
  });

  it('mounts the identities file only into the S3 gateways and rolls them when it changes', () => {
    expect(gateway.spec.template.metadata.annotations['checksum/s3-identities']).toMatch(/^[0-9a-f]{64}$/);
    expect(containerOf(gateway, 's3').volumeMounts).toEqual(
      expect.arrayContaining([{ name: 's3-identities', mountPath: '/etc/seaweedfs-s3', readOnly: true }]),
    );
    for (const other of [master, volume, filer]) expect(JSON.stringify(other)).not.toContain('s3-identities');
  });

  it('runs every component as uid 1000 with metrics on the declared port', () => {
    for (const workload of workloads(build)) {
      const c = workload.spec.template.spec.containers[0];
      expect(workload.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true });
      expect(c.args).toContain('-metricsPort=9327');
      expect(c.ports).toEqual(expect.arrayContaining([{ name: 'metrics', containerPort: 9327, protocol: 'TCP' }]));
      expect(c.volumeMounts.map((m: any) => m.mountPath)).toContain('/tmp');
    }
  });
});

describe('replication', () => {
  const args = (build: PlatformBuild, name: string) =>
    containerOf(
      find(objectsOf(build, 'seaweedfs'), name.startsWith('seaweedfs-s') ? 'Deployment' : 'StatefulSet', name),
      name.replace('seaweedfs-', ''),
    ).args;

  it.each(['001', '002'])('sets objectStorage.replication %s on the masters and the filers', (replication) => {
    const build = buildFor('eks', { objectStorage: { replication } }, definitions);
    expect(args(build, 'seaweedfs-master')).toContain(`-defaultReplication=${replication}`);
    const filer = containerOf(find(objectsOf(build, 'seaweedfs'), 'Deployment', 'seaweedfs-filer'), 'filer');
    expect(filer.args).toContain(`-defaultReplicaPlacement=${replication}`);
  });

  it('sets no replication in the single topology', () => {
    const server = containerOf(find(objectsOf(buildFor('k3d', {}, definitions), 'seaweedfs'), 'StatefulSet', 'seaweedfs'), 'seaweedfs');
    expect(server.args).toEqual(expect.arrayContaining(['-master.defaultReplication=000', '-filer.defaultReplicaPlacement=000']));
  });

  it('keeps upstream volume growth where the disks hold it and lowers it on small disks', () => {
    const large = configFor('eks').objectStorage;
    const small = configFor('eks', { objectStorage: { storageSize: '20Gi' } }).objectStorage;
    if (large.mode !== 'internal' || small.mode !== 'internal') throw new Error('expected internal object storage');
    expect(volumeGrowth(large).copy_2).toBe(6);
    expect(volumeGrowth(small).copy_2).toBe(1);
  });
});

describe('S3 identities and credentials', () => {
  const build = buildFor('k3d', {}, definitions);
  const { values, data } = resolveAll(build);
  const identitiesFile = JSON.parse(data.get('platform-storage/seaweedfs-s3-identities')!['s3.json']);
  const identity = (name: string) => identitiesFile.identities.find((i: any) => i.name === name);

  it('gives each consuming service an identity scoped to its own buckets only', () => {
    expect(identity('demo-consumer').actions).toEqual([
      'Read:platform-warehouse',
      'List:platform-warehouse',
      'Write:platform-warehouse',
      'Tagging:platform-warehouse',
    ]);
    expect(identity('demo-reader').actions).toEqual([
      'Read:platform-warehouse',
      'List:platform-warehouse',
      'Read:platform-landing',
      'List:platform-landing',
      'Write:platform-landing',
      'Tagging:platform-landing',
    ]);
    // Nothing unscoped, nothing on another service's bucket.
    for (const name of ['demo-consumer', 'demo-reader'])
      for (const action of identity(name).actions) expect(action).toMatch(/^(Read|List|Write|Tagging):platform-/);
    expect(identity('demo-consumer').actions.join()).not.toContain('landing');
  });

  it('keeps the unscoped admin identity for the bucket Job alone, and no anonymous access', () => {
    expect(identity(ADMIN_IDENTITY).actions).toContain('Admin');
    expect(identitiesFile.identities.map((i: any) => i.name).sort()).toEqual(['demo-consumer', 'demo-reader', ADMIN_IDENTITY].sort());
    const job = find(objectsOf(build, 'seaweedfs'), 'Job', 'seaweedfs-buckets');
    const refs = job.spec.template.spec.containers[0].env
      .filter((e: any) => e.valueFrom?.secretKeyRef)
      .map((e: any) => e.valueFrom.secretKeyRef.name);
    expect(new Set(refs)).toEqual(new Set(['seaweedfs-s3-admin']));
    const admin = data.get('platform-storage/seaweedfs-s3-admin')!;
    expect(identity(ADMIN_IDENTITY).credentials).toEqual([{ accessKey: admin['access-key'], secretKey: admin['secret-key'] }]);
  });

  it("puts each consumer's Secret in the consumer's namespace with the contract keys and the same keys as its identity", () => {
    const secret = allSecrets(build).find((s) => s.name === s3SecretName('demo-consumer'))!;
    expect(secret.namespace).toBe('platform-compute');
    expect(secret.service).toBe('demo-consumer');
    expect(Object.keys(secret.data).sort()).toEqual([...s3SecretKeys].sort());
    const resolved = data.get(`platform-compute/${s3SecretName('demo-consumer')}`)!;
    expect(resolved.endpoint).toBe('http://seaweedfs.platform-storage.svc.cluster.local:8333');
    expect(resolved.region).toBe('us-east-1');
    expect(identity('demo-consumer').credentials).toEqual([{ accessKey: resolved['access-key'], secretKey: resolved['secret-key'] }]);
    expect(resolved['access-key']).not.toBe(data.get(`platform-analytics/${s3SecretName('demo-reader')}`)!['access-key']);
    // The consumer's build owns it: its Secret is delivered with the consumer.
    expect(build.services.find((s) => s.declaration.name === 'demo-consumer')!.secrets.map((s) => s.name)).toContain('demo-consumer-s3');
  });

  it('generates every key: access and secret keys are random values, never literals', () => {
    for (const plan of allSecrets(build).filter((s) => s.name.endsWith('-s3') || s.name.startsWith('seaweedfs-s3'))) {
      for (const [key, source] of Object.entries(plan.data)) {
        if (key === 'access-key' || key === 'secret-key') expect(source.kind).toBe('random');
        if (key === 's3.json') expect(source.kind).toBe('template');
      }
    }
  });

  it('writes no secret value into any object', () => {
    const text = JSON.stringify([...build.services.flatMap((s) => s.objects), ...build.namespaces.flatMap((n) => n.objects)]);
    const generated = Object.values(values);
    expect(generated.length).toBeGreaterThan(6);
    for (const value of generated) expect(text).not.toContain(value);
    // Nor the identities file itself, which embeds the keys.
    expect(text).not.toContain('accessKey');
  });

  it('mounts the identities Secret read-only and rolls the S3 pods when what it grants changes', () => {
    const statefulSet = find(objectsOf(build, 'seaweedfs'), 'StatefulSet', 'seaweedfs');
    const annotation = () => statefulSet.spec.template.metadata.annotations['checksum/s3-identities'];
    expect(annotation()).toMatch(/^[0-9a-f]{64}$/);
    expect(statefulSet.spec.template.spec.volumes).toEqual(
      expect.arrayContaining([{ name: 's3-identities', secret: { secretName: 'seaweedfs-s3-identities', defaultMode: 0o440 } }]),
    );
    const same = find(objectsOf(buildFor('k3d', {}, definitions), 'seaweedfs'), 'StatefulSet', 'seaweedfs');
    expect(same.spec.template.metadata.annotations['checksum/s3-identities']).toBe(annotation());
    const wider = consumer('demo-consumer', 'compute', [
      { name: 'warehouse', access: 'readwrite' },
      { name: 'archive', access: 'read' },
    ]);
    const changed = find(
      objectsOf(buildFor('k3d', {}, [...definitions.slice(0, 4), wider, reader]), 'seaweedfs'),
      'StatefulSet',
      'seaweedfs',
    );
    expect(changed.spec.template.metadata.annotations['checksum/s3-identities']).not.toBe(annotation());
  });

  it('rejects a bucket name S3 would refuse, naming the service', () => {
    const bad = consumer('bad-bucket', 'compute', [{ name: 'Not_Valid', access: 'read' }]);
    expect(() => buildFor('k3d', {}, [...definitions, bad])).toThrow(/service "bad-bucket": bucket "Not_Valid"/);
  });
});

describe('bucket Job', () => {
  const build = buildFor('k3d', {}, definitions);
  const objects = objectsOf(build, 'seaweedfs');
  const job = find(objects, 'Job', 'seaweedfs-buckets');
  const container = containerOf(job, 'buckets');
  const script: string = container.command[2];

  it('makes every declared bucket once, checking with head-bucket before create-bucket', () => {
    expect(container.image).toBe('docker.io/amazon/aws-cli:2.27.49');
    expect(container.command.slice(0, 2)).toEqual(['/bin/bash', '-c']);
    const calls = script.split('\n').filter((l) => l.startsWith('ensure_bucket '));
    expect(calls).toEqual(['ensure_bucket platform-warehouse', 'ensure_bucket platform-landing']);
    const loop = script.split('\n').find((l) => l.includes('until aws s3api'))!;
    expect(loop.indexOf('head-bucket')).toBeGreaterThan(-1);
    expect(loop.indexOf('head-bucket')).toBeLessThan(loop.indexOf('create-bucket'));
    expect(loop).toContain('||');
  });

  it('runs as a non-root user with HOME on a writable /tmp and path-style addressing from a config file', () => {
    expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(envValue(container, 'HOME').value).toBe('/tmp');
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/tmp', '/etc/aws-cli']));
    expect(envValue(container, 'AWS_CONFIG_FILE').value).toBe('/etc/aws-cli/config');
    const config = find(objects, 'ConfigMap', 'seaweedfs-buckets-aws');
    expect(config.data.config).toContain('addressing_style = path');
    expect(envValue(container, 'S3_ENDPOINT').value).toBe('http://seaweedfs.platform-storage.svc.cluster.local:8333');
  });

  describe('run against a stand-in aws CLI', () => {
    let dir: string;
    let server: net.Server;
    let port: number;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seaweedfs-buckets-'));
      // Records every call; buckets exist as files. head-bucket fails with the CLI's service-error code.
      fs.writeFileSync(
        path.join(dir, 'aws'),
        [
          '#!/bin/bash',
          'echo "$*" >> "$STATE/calls"',
          'op="$2"',
          'while [ $# -gt 0 ]; do [ "$1" = --bucket ] && bucket="$2"; shift; done',
          'if [ "$op" = head-bucket ]; then [ -f "$STATE/$bucket" ] && exit 0; exit 254; fi',
          'touch "$STATE/$bucket"',
        ].join('\n'),
        { mode: 0o755 },
      );
      server = net.createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(() => {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const runScript = () =>
      run('bash', ['-c', script], {
        env: {
          PATH: `${dir}:${process.env.PATH}`,
          STATE: dir,
          S3_HOST: '127.0.0.1',
          S3_PORT: String(port),
          S3_ENDPOINT: `http://127.0.0.1:${port}`,
        },
        timeout: 30000,
      });

    it('creates missing buckets on the first run and only checks them on the next', async () => {
      const first = await runScript();
      expect(first.stdout).toContain('buckets complete');
      const firstCalls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
      expect(firstCalls.filter((c) => c.includes('create-bucket')).map((c) => c.match(/--bucket (\S+)/)![1])).toEqual([
        'platform-warehouse',
        'platform-landing',
      ]);
      fs.writeFileSync(path.join(dir, 'calls'), '');
      await runScript();
      const secondCalls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
      expect(secondCalls).toHaveLength(2);
      expect(secondCalls.every((c) => c.startsWith('s3api head-bucket'))).toBe(true);
    });
  });

  it('asks for a location constraint outside us-east-1 only', () => {
    expect(bucketScript(['b-1'], '')).not.toContain('LocationConstraint');
    const external = containerOf(
      find(objectsOf(buildFor('eks', { objectStorage: EXTERNAL }, definitions), 'seaweedfs'), 'Job', 'seaweedfs-buckets'),
      'buckets',
    );
    expect(external.command[2]).toContain('--create-bucket-configuration LocationConstraint=eu-central-1');
  });
});

describe('external object storage', () => {
  const build = buildFor('eks', { objectStorage: EXTERNAL }, definitions);
  const objects = objectsOf(build, 'seaweedfs');
  const job = find(objects, 'Job', 'seaweedfs-buckets');
  const container = containerOf(job, 'buckets');

  it('runs no SeaweedFS pods, Services or route: only the bucket Job', () => {
    expect(workloads(build)).toEqual([]);
    expect(objects.filter((o) => ['Service', 'Ingress', 'StatefulSet', 'Deployment'].includes(o.kind))).toEqual([]);
    expect(JSON.stringify(objects)).not.toContain('chrislusf/seaweedfs');
    const decl = seaweed(build).declaration;
    expect(decl.ports).toEqual([]);
    expect(decl.publicHost).toBeUndefined();
    expect(decl.databases).toEqual([]);
  });

  it("creates buckets at the configured endpoint with the user's credentials Secret, virtual-host style as configured", () => {
    expect(envValue(container, 'S3_ENDPOINT').value).toBe('https://s3.eu-central-1.amazonaws.com');
    expect(envValue(container, 'S3_PORT').value).toBe('443');
    expect(envValue(container, 'AWS_REGION').value).toBe('eu-central-1');
    expect(envValue(container, 'AWS_ACCESS_KEY_ID').valueFrom.secretKeyRef).toEqual({ name: 's3-bucket-admin', key: 'access-key' });
    expect(envValue(container, 'AWS_SECRET_ACCESS_KEY').valueFrom.secretKeyRef).toEqual({ name: 's3-bucket-admin', key: 'secret-key' });
    expect(find(objects, 'ConfigMap', 'seaweedfs-buckets-aws').data.config).toContain('addressing_style = virtual');
    const egress = find(objects, 'NetworkPolicy', 'seaweedfs-egress');
    expect(egress.spec.egress).toEqual(
      expect.arrayContaining([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }]),
    );
  });

  it('plans no keys: the operator provides each consumer Secret, which the model lists', () => {
    expect(allSecrets(build).filter((s) => s.name.includes('s3'))).toEqual([]);
    const ctx = new BuildContext(
      build.config,
      build.images,
      build.services.map((s) => s.declaration),
    );
    expect(operatorProvidedS3Secrets(ctx)).toEqual([
      { namespace: 'platform-storage', name: 's3-bucket-admin', keys: ['access-key', 'secret-key'] },
      { namespace: 'platform-compute', name: 'demo-consumer-s3', keys: [...s3SecretKeys] },
      { namespace: 'platform-analytics', name: 'demo-reader-s3', keys: [...s3SecretKeys] },
    ]);
    const internal = buildFor('k3d', {}, definitions);
    expect(
      operatorProvidedS3Secrets(
        new BuildContext(
          internal.config,
          internal.images,
          internal.services.map((s) => s.declaration),
        ),
      ),
    ).toEqual([]);
  });

  it('derives the same identities plan whatever the mode', () => {
    const plan = s3IdentityPlan(
      'platform',
      build.services.map((s) => s.declaration),
    );
    expect(plan.buckets).toEqual(['platform-warehouse', 'platform-landing']);
  });
});

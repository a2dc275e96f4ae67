import { postgresDefinition, postgresTuning } from '../../../../components/storage/postgres/postgres';
import { databaseSecretName } from '../../../../components/storage/contract';
import { withDefaults, ServiceDefinition } from '../../../../components/platform/service';
import { memoryToBytes } from '../../../../components/platform/quantity';
import { buildFor, containerOf, envValue, find, objectsOf } from '../../../helpers/build';

/** A stand-in consumer: owns a metadata database and reads the warehouse. */
const consumer: ServiceDefinition = {
  name: 'demo-app',
  enabled: () => true,
  declare: () =>
    withDefaults({
      name: 'demo-app',
      layer: 'compute',
      description: 'test consumer',
      images: [],
      ports: [],
      resources: {},
      databases: [
        { instance: 'platform', database: 'demo', access: 'owner' },
        { instance: 'warehouse', database: 'warehouse', access: 'read' },
      ],
    }),
  build: () => undefined,
};

const definitions = [postgresDefinition('platform'), postgresDefinition('warehouse'), consumer];

describe('PostgreSQL instances', () => {
  const build = buildFor('k3d', {}, definitions);
  const objects = objectsOf(build, 'postgres-platform');
  const statefulSet = find(objects, 'StatefulSet', 'postgres-platform');
  const server = containerOf(statefulSet, 'postgres');

  it('runs the pinned PostGIS + pgvector image as the postgres user with a read-only root filesystem', () => {
    expect(server.image).toBe('docker.io/imresamu/postgis:17-3.6.1-bundle0-bookworm');
    expect(statefulSet.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999, runAsNonRoot: true });
    expect(server.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(server.volumeMounts.map((m: any) => m.mountPath)).toEqual(
      expect.arrayContaining(['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp']),
    );
  });

  it('keeps data on a claim of the fast storage class that outlives the StatefulSet', () => {
    const claim = statefulSet.spec.volumeClaimTemplates[0];
    expect(claim.spec).toMatchObject({ storageClassName: 'local-path', resources: { requests: { storage: '5Gi' } } });
    expect(statefulSet.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(envValue(server, 'PGDATA').value).toBe('/var/lib/postgresql/data/pgdata');
  });

  it('reads the superuser password from a mounted Secret file, never a literal', () => {
    expect(envValue(server, 'POSTGRES_PASSWORD_FILE').value).toBe('/etc/postgres-superuser/password');
    expect(envValue(server, 'POSTGRES_PASSWORD')).toBeUndefined();
    const secret = build.services
      .find((s) => s.declaration.name === 'postgres-platform')!
      .secrets.find((s) => s.name === 'postgres-platform-superuser');
    expect(secret?.data.password).toEqual({ kind: 'random', id: 'postgres-platform/superuser', length: 32 });
  });

  it('probes readiness with pg_isready on the declared port', () => {
    expect(server.readinessProbe.exec.command).toEqual(['pg_isready', '-h', '127.0.0.1', '-p', '5432', '-U', 'postgres']);
    expect(server.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30);
  });

  it('tunes memory settings from the container memory limit', () => {
    const args: string[] = server.args;
    expect(args).toContain(`shared_buffers=${Math.floor(memoryToBytes(server.resources.limits.memory) / 2 ** 20 / 4)}MB`);
    expect(args).toContain('max_connections=100');
    const large = postgresTuning('8Gi', 400);
    expect(large.shared_buffers).toBe('2048MB');
    expect(large.effective_cache_size).toBe('6144MB');
    expect(Number.parseInt(large.work_mem, 10)).toBeGreaterThan(0);
  });

  it('gives each consumer its own credentials Secret in the consumer namespace', () => {
    const secrets = build.services.find((s) => s.declaration.name === 'demo-app')!.secrets;
    const platform = secrets.find((s) => s.name === databaseSecretName('demo-app', 'platform'))!;
    expect(platform.namespace).toBe('platform-compute');
    expect(platform.data).toMatchObject({
      username: { kind: 'literal', value: 'demo_app' },
      host: { kind: 'literal', value: 'postgres-platform.platform-storage.svc.cluster.local' },
      database: { kind: 'literal', value: 'demo' },
      'jdbc-url': { kind: 'literal', value: 'jdbc:postgresql://postgres-platform.platform-storage.svc.cluster.local:5432/demo' },
      password: { kind: 'random', id: 'postgres-platform/role/demo_app', length: 32 },
    });
    const roles = build.services
      .find((s) => s.declaration.name === 'postgres-platform')!
      .secrets.find((s) => s.name === 'postgres-platform-roles')!;
    expect(roles.data.demo_app).toEqual(platform.data.password);
  });

  it('derives the bootstrap SQL from the consumers and passes passwords only through Secret env vars', () => {
    const sql = find(objects, 'ConfigMap', 'postgres-platform-bootstrap-sql').data['bootstrap.sql'];
    expect(sql).toContain(`CREATE DATABASE %I OWNER %I', 'demo', 'demo_app'`);
    expect(sql).toContain('\\getenv pw_demo_app PASSWORD_DEMO_APP');
    const job = containerOf(find(objects, 'Job', 'postgres-platform-bootstrap'), 'bootstrap');
    expect(envValue(job, 'PASSWORD_DEMO_APP').valueFrom.secretKeyRef).toEqual({ name: 'postgres-platform-roles', key: 'demo_app' });
    expect(envValue(job, 'PGPASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'postgres-platform-superuser', key: 'password' });
  });

  it('lets only declared consumers reach the database port', () => {
    const ingress = find(objects, 'NetworkPolicy', 'postgres-platform-ingress');
    const peers = ingress.spec.ingress.map((rule: any) => rule.from[0].podSelector.matchLabels['app.kubernetes.io/name']);
    expect(peers.sort()).toEqual(['demo-app', 'postgres-platform']);
    const demoRule = ingress.spec.ingress.find((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'] === 'demo-app');
    expect(demoRule.from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'platform-compute' });
    expect(demoRule.ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });

  it('creates the warehouse database with PostGIS and pgvector', () => {
    const sql = find(objectsOf(build, 'postgres-warehouse'), 'ConfigMap', 'postgres-warehouse-bootstrap-sql').data['bootstrap.sql'];
    expect(sql).toContain('CREATE EXTENSION IF NOT EXISTS "postgis";');
    expect(sql).toContain('CREATE EXTENSION IF NOT EXISTS "vector";');
    expect(sql).toContain('GRANT SELECT ON TABLES TO "demo_app"');
  });

  it('sizes the server by profile', () => {
    const eks = containerOf(
      find(objectsOf(buildFor('eks', {}, definitions), 'postgres-platform'), 'StatefulSet', 'postgres-platform'),
      'postgres',
    );
    expect(eks.resources.requests).toEqual({ cpu: '2', memory: '8Gi' });
    // Small: what an idle laptop instance uses; shared_buffers (a quarter of the limit) may grow to it.
    expect(server.resources.requests).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(server.resources.limits.memory).toBe('1Gi');
  });
});

describe('external PostgreSQL', () => {
  const external = {
    mode: 'external',
    host: 'db.corp.internal',
    port: 6432,
    adminSecret: 'pg-admin',
    sslMode: 'require',
    cidrs: ['10.20.0.0/16'],
  };
  const build = buildFor('k3d', { postgres: { platform: external } }, definitions);
  const objects = objectsOf(build, 'postgres-platform');

  it('runs no server, only the bootstrap Job against the endpoint with the admin Secret', () => {
    expect(objects.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Service')).toEqual([]);
    const job = containerOf(find(objects, 'Job', 'postgres-platform-bootstrap'), 'bootstrap');
    expect(envValue(job, 'PGHOST').value).toBe('db.corp.internal');
    expect(envValue(job, 'PGSSLMODE').value).toBe('require');
    expect(envValue(job, 'PGUSER').valueFrom.secretKeyRef).toEqual({ name: 'pg-admin', key: 'username' });
  });

  it('points consumers at the endpoint and opens egress only to its ranges', () => {
    const secret = build.services
      .find((s) => s.declaration.name === 'demo-app')!
      .secrets.find((s) => s.name === 'demo-app-postgres-platform')!;
    expect(secret.data['jdbc-url']).toEqual({ kind: 'literal', value: 'jdbc:postgresql://db.corp.internal:6432/demo?sslmode=require' });
    const egress = find(objectsOf(build, 'demo-app'), 'NetworkPolicy', 'demo-app-egress');
    expect(egress.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 6432 }] });
  });
});

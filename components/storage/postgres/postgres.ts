// PostgreSQL with PostGIS and pgvector, one instance for service metadata (`platform`) and one for
// user data (`warehouse`). Internal mode runs a StatefulSet; external mode points at a database the
// environment brings. Both run the bootstrap Job that creates each consumer's database and role.
import { Construct } from 'constructs';
import type { PostgresInstanceConfig } from '../../../environments/schema';
import { platformConfigMap, platformJob, platformService, platformStatefulSet, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { memoryToBytes } from '../../platform/quantity';
import { literal, randomValue } from '../../platform/secrets';
import { PostgresInstanceName, ServiceDeclaration, ServiceDefinition, Sized, ComponentSizing, withDefaults } from '../../platform/service';
import { exemption } from '../../base/exemption';
import { bootstrapPlan, renderBootstrapSql } from './bootstrap';
import { databaseSecretName, POSTGRES_PORT, postgresServiceName } from '../contract';

const DATA_PATH = '/var/lib/postgresql/data';
/** The official image's postgres user; files on the volume must belong to it. */
const POSTGRES_USER = { uid: 999, gid: 999 };

/**
 * Small: shared_buffers of 256MB (a quarter of the limit) is twice PostgreSQL's default of 128MB
 * (postgresql.org/docs/current/runtime-config-resource.html); an idle laptop instance touches a
 * fraction of it, so the request is what it uses, the limit what it may grow to.
 */
const SERVER_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '250m', memory: '256Mi', cpuLimit: '1', memoryLimit: '1Gi' },
  medium: { replicas: 1, cpu: '1', memory: '4Gi', cpuLimit: '4' },
  large: { replicas: 1, cpu: '2', memory: '8Gi', cpuLimit: '8' },
};
const MAX_CONNECTIONS = { small: 100, medium: 200, large: 400 } as const;
const BOOTSTRAP_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '50m', memory: '64Mi', cpuLimit: '500m', memoryLimit: '128Mi' },
  medium: { replicas: 1, cpu: '50m', memory: '64Mi', cpuLimit: '500m', memoryLimit: '128Mi' },
  large: { replicas: 1, cpu: '50m', memory: '64Mi', cpuLimit: '500m', memoryLimit: '128Mi' },
};

/** Memory settings from the container's memory limit, following the usual 25% / 75% rules. */
export function postgresTuning(memoryLimit: string, maxConnections: number): Record<string, string> {
  const mb = Math.floor(memoryToBytes(memoryLimit) / 2 ** 20);
  const sharedBuffers = Math.floor(mb / 4);
  return {
    max_connections: String(maxConnections),
    shared_buffers: `${sharedBuffers}MB`,
    effective_cache_size: `${Math.floor((mb * 3) / 4)}MB`,
    maintenance_work_mem: `${Math.min(1024, Math.max(16, Math.floor(mb / 16)))}MB`,
    work_mem: `${Math.max(1, Math.floor((mb - sharedBuffers) / (maxConnections * 3)))}MB`,
    wal_buffers: `${Math.min(16, Math.max(1, Math.floor(sharedBuffers / 32)))}MB`,
    // The image preloads timescaledb and more; only what the platform uses is loaded.
    shared_preload_libraries: 'pg_stat_statements',
    password_encryption: 'scram-sha-256',
    listen_addresses: '*',
    log_min_duration_statement: '1000',
  };
}

const superuserSecret = (service: string) => `${service}-superuser`;
const rolesSecret = (service: string) => `${service}-roles`;

function instanceConfig(ctx: Pick<BuildContext, 'config'>, instance: PostgresInstanceName): PostgresInstanceConfig {
  return ctx.config.postgres[instance];
}

function declare(instance: PostgresInstanceName, ctx: Pick<BuildContext, 'config'>): ServiceDeclaration {
  const cfg = instanceConfig(ctx, instance);
  const internal = cfg.mode === 'internal';
  return withDefaults({
    name: postgresServiceName(instance),
    layer: 'storage',
    description:
      instance === 'platform'
        ? 'PostgreSQL for service metadata (one database and role per service)'
        : 'PostgreSQL warehouse for user data, with PostGIS and pgvector',
    images: ['postgres'],
    ports: internal ? [{ name: POSTGRES_PORT.name, port: POSTGRES_PORT.port }] : [],
    resources: { ...(internal ? { server: SERVER_SIZING } : {}), bootstrap: BOOTSTRAP_SIZING },
    storage: internal ? { data: { size: cfg.storageSize, storageClass: 'fast' } } : {},
    externalEndpoints: internal ? [] : [{ cidrs: cfg.cidrs, ports: [cfg.port] }],
  });
}

function buildServer(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const sizing = ctx.sizing(self.name, 'server');
  const tuning = postgresTuning(sizing.memoryLimit ?? sizing.memory, MAX_CONNECTIONS[ctx.config.sizing]);
  ctx.addSecret({
    name: superuserSecret(self.name),
    namespace: ctx.namespaceOf(self.name),
    service: self.name,
    data: { username: literal('postgres'), password: randomValue(`${self.name}/superuser`) },
  });
  const ready = { exec: ['pg_isready', '-h', '127.0.0.1', '-p', String(POSTGRES_PORT.port), '-U', 'postgres'] };
  platformService(scope, ctx, self, { component: 'server', ports: [POSTGRES_PORT.name] });
  platformService(scope, ctx, self, { component: 'server', ports: [POSTGRES_PORT.name], name: `${self.name}-headless`, headless: true });
  platformStatefulSet(scope, ctx, self, {
    component: 'server',
    headlessService: `${self.name}-headless`,
    objectAnnotations: exemption(
      'minimum-replicas',
      'one primary: PostgreSQL replicas need streaming replication and failover, which a plain StatefulSet does not give; external mode brings an HA database',
    ),
    user: POSTGRES_USER,
    claims: [{ volume: 'data', mountPath: DATA_PATH }],
    terminationGracePeriodSeconds: 60,
    containers: [
      {
        name: 'postgres',
        image: 'postgres',
        args: ['postgres', ...Object.entries(tuning).flatMap(([key, value]) => ['-c', `${key}=${value}`])],
        env: [
          { name: 'PGDATA', value: `${DATA_PATH}/pgdata` },
          { name: 'POSTGRES_USER', value: 'postgres' },
          // The entrypoint reads the password from a file, so it never sits in the environment.
          { name: 'POSTGRES_PASSWORD_FILE', value: '/etc/postgres-superuser/password' },
          { name: 'POSTGRES_INITDB_ARGS', value: '--auth-host=scram-sha-256 --auth-local=peer' },
          { name: 'POSTGRES_DB', value: 'postgres' },
        ],
        ports: [POSTGRES_PORT.name],
        volumeMounts: [
          { name: 'data', mountPath: DATA_PATH },
          { name: 'superuser', mountPath: '/etc/postgres-superuser', readOnly: true },
        ],
        writablePaths: ['/var/run/postgresql', '/tmp'],
        startup: { ...ready, periodSeconds: 5, failureThreshold: 60 },
        readiness: { ...ready, periodSeconds: 10 },
        liveness: { ...ready, periodSeconds: 20, failureThreshold: 6 },
      },
    ],
    volumes: [{ name: 'superuser', secret: { secretName: superuserSecret(self.name), defaultMode: 0o440 } }],
  });
}

/** Each consumer's credentials, in its own namespace, and the role passwords the Job sets. */
function buildCredentials(ctx: BuildContext, self: ServiceDeclaration, instance: PostgresInstanceName): Record<string, string> {
  const cfg = instanceConfig(ctx, instance);
  const host = cfg.mode === 'internal' ? ctx.connect(self.name, self.name, POSTGRES_PORT.name).host : cfg.host;
  const port = cfg.mode === 'internal' ? POSTGRES_PORT.port : cfg.port;
  const plan = bootstrapPlan(instance, ctx.services);
  const passwords: Record<string, string> = {};
  for (const consumer of ctx.services) {
    const uses = consumer.databases.filter((d) => d.instance === instance);
    if (!uses.length) continue;
    const role = plan.roles.find((r) => r.role === consumer.name.replace(/-/g, '_'))!;
    const passwordId = `${self.name}/role/${role.role}`;
    passwords[role.role] = passwordId;
    const database = uses[0].database;
    const ssl = cfg.mode === 'external' && cfg.sslMode !== 'disable' ? `?sslmode=${cfg.sslMode}` : '';
    ctx.addSecret({
      name: databaseSecretName(consumer.name, instance),
      namespace: ctx.namespaceOf(consumer.name),
      service: consumer.name,
      data: {
        username: literal(role.role),
        password: randomValue(passwordId),
        host: literal(host),
        port: literal(String(port)),
        database: literal(database),
        'jdbc-url': literal(`jdbc:postgresql://${host}:${port}/${database}${ssl}`),
      },
    });
  }
  if (plan.roles.length)
    ctx.addSecret({
      name: rolesSecret(self.name),
      namespace: ctx.namespaceOf(self.name),
      service: self.name,
      data: Object.fromEntries(plan.roles.map((r) => [r.role, randomValue(passwords[r.role])])),
    });
  return passwords;
}

function buildBootstrap(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, instance: PostgresInstanceName): void {
  const cfg = instanceConfig(ctx, instance);
  const plan = bootstrapPlan(instance, ctx.services);
  buildCredentials(ctx, self, instance);
  platformConfigMap(scope, ctx, self, 'bootstrap', 'sql', { 'bootstrap.sql': renderBootstrapSql(plan) });
  const admin = cfg.mode === 'internal' ? superuserSecret(self.name) : cfg.adminSecret;
  const host = cfg.mode === 'internal' ? ctx.connect(self.name, self.name, POSTGRES_PORT.name).host : cfg.host;
  const port = cfg.mode === 'internal' ? POSTGRES_PORT.port : cfg.port;
  const script = [
    'set -eu',
    ...plan.roles.map((r) => `[ -n "\${${r.passwordEnv}:-}" ] || { echo "missing ${r.passwordEnv}" >&2; exit 1; }`),
    'until pg_isready -q; do echo "waiting for $PGHOST:$PGPORT"; sleep 3; done',
    'psql -X -q -v ON_ERROR_STOP=1 -f /bootstrap/bootstrap.sql',
    'echo "bootstrap complete"',
  ].join('\n');
  platformJob(scope, ctx, self, {
    component: 'bootstrap',
    containers: [
      {
        name: 'bootstrap',
        image: 'postgres',
        command: ['/bin/bash', '-c', script],
        env: [
          { name: 'PGHOST', value: host },
          { name: 'PGPORT', value: String(port) },
          { name: 'PGDATABASE', value: 'postgres' },
          { name: 'PGSSLMODE', value: cfg.mode === 'external' ? cfg.sslMode : 'disable' },
          secretEnv('PGUSER', admin, 'username'),
          secretEnv('PGPASSWORD', admin, 'password'),
          ...plan.roles.map((r) => secretEnv(r.passwordEnv, rolesSecret(self.name), r.role)),
        ],
        volumeMounts: [{ name: 'sql', mountPath: '/bootstrap', readOnly: true }],
        writablePaths: ['/tmp'],
      },
    ],
    user: POSTGRES_USER,
    volumes: [{ name: 'sql', configMap: { name: `${self.name}-bootstrap-sql` } }],
  });
}

export function postgresDefinition(instance: PostgresInstanceName): ServiceDefinition {
  return {
    name: postgresServiceName(instance),
    enabled: () => true,
    declare: (ctx) => declare(instance, ctx),
    build: (scope, ctx, self) => {
      if (instanceConfig(ctx, instance).mode === 'internal') buildServer(scope, ctx, self);
      buildBootstrap(scope, ctx, self, instance);
    },
  };
}

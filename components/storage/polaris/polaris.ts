// Apache Polaris, the Iceberg REST catalog: metadata in its own database on the platform PostgreSQL
// (relational JDBC), table data in the `warehouse` bucket on the S3 store. A Job bootstraps the
// realm and its root credentials with the admin tool, then creates the catalog (path-style S3, no
// STS, so no credential vending), its grant and the namespaces through the management API, and a
// principal of its own for each catalog client (principals.ts): root's credentials reach this Job
// only. Server pods wait for the schema the Job creates before they start
// (see renderSchemaWaitScript). Internal only: no public host; Trino and Spark reach it over the
// in-cluster Service, naming the realm in a header the server requires.
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-28';
import { contentChecksum, platformConfigMap, platformDeployment, platformJob, platformService, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { memoryToBytes } from '../../platform/quantity';
import { literal, randomValue } from '../../platform/secrets';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import {
  catalogPlan,
  databaseSecretName,
  POLARIS_PORTS,
  POLARIS_REALM_HEADER,
  POLARIS_SERVICE,
  s3SecretName,
  WAREHOUSE_BUCKET,
} from '../contract';
import {
  BOOTSTRAP_DIR,
  CATALOG_SCRIPT,
  CatalogPlan,
  catalogBootstrapFiles,
  renderSchemaWaitScript,
  rootCredentialsFile,
} from './bootstrap';
import { CatalogClient, catalogClients, CLIENT_SECRETS_DIR, CLIENT_SECRETS_SECRET, planClientSecrets } from './principals';

/**
 * Root credentials of the realm, for the bootstrap Job alone. Not in the contract: no other
 * service can plan a Secret holding the same value.
 */
export const POLARIS_ROOT_SECRET = 'polaris-root';
export const POLARIS_ROOT_CLIENT_ID = 'root';
export const POLARIS_ROOT_SECRET_ID = 'polaris/root-client-secret';
const TOKEN_KEY_SECRET = 'polaris-token-key';

/** The region the internal S3 store answers to (SeaweedFS accepts any; clients need one). */
/** The image's user and group (runtime/server/src/main/docker/Dockerfile.jvm; same in the admin tool). */
const POLARIS_USER = { uid: 10000, gid: 10001 };
/** The application directory; Quarkus reads `config/application.properties` under the working directory, as the upstream chart mounts it. */
const APP_DIR = '/deployments';
const CONFIG_DIR = `${APP_DIR}/config`;
const ROOT_CREDENTIALS_DIR = '/etc/polaris-root';

/**
 * Polaris documents no minimum; its image (runtime/server/src/main/docker/Dockerfile.jvm, on
 * ubi9/openjdk-21-runtime) sizes the heap by run-java.sh's JAVA_MAX_MEM_RATIO, a share of the limit
 * (80% unless set), which on a small limit leaves too little for metaspace and threads: heapRatio
 * keeps 384Mi off-heap. Small: a 384 MiB heap on a 768Mi limit; the request is an idle catalog.
 */
const SERVER_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '250m', memory: '512Mi', cpuLimit: '1', memoryLimit: '768Mi' },
  medium: { replicas: 2, cpu: '500m', memory: '1Gi', cpuLimit: '2' },
  large: { replicas: 3, cpu: '1', memory: '2Gi', cpuLimit: '4' },
};
/** The admin tool is a JVM too; the other helper containers take HELPER_SIZING. */
const BOOTSTRAP_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '100m', memory: '384Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  medium: { replicas: 1, cpu: '100m', memory: '384Mi', cpuLimit: '1', memoryLimit: '512Mi' },
  large: { replicas: 1, cpu: '100m', memory: '384Mi', cpuLimit: '1', memoryLimit: '512Mi' },
};
const HELPER_SIZING: ComponentSizing = { replicas: 1, cpu: '10m', memory: '32Mi', cpuLimit: '200m', memoryLimit: '64Mi' };

/** The heap's share of the container limit (JAVA_MAX_MEM_RATIO), keeping 384Mi for everything else; 50 to 80%. */
export function heapRatio(sizing: ComponentSizing): number {
  const limitMi = memoryToBytes(sizing.memoryLimit ?? sizing.memory) / 2 ** 20;
  return Math.max(50, Math.min(80, Math.floor((100 * (limitMi - 384)) / limitMi)));
}

/** Polaris' declaration does not depend on the environment: its catalog settings are used at build time. */
function declare(): ServiceDeclaration {
  return withDefaults({
    name: POLARIS_SERVICE,
    layer: 'storage',
    description: 'Apache Polaris: the Iceberg REST catalog, metadata on PostgreSQL, data on S3 (internal only)',
    images: ['polaris', 'polarisAdminTool', 'curl', 'postgres'],
    // The bootstrap Job calls both ports; as pods of this service the self rules let it.
    ports: [
      { ...POLARIS_PORTS.api, http: true },
      { ...POLARIS_PORTS.management, http: true },
    ],
    // No publicHost: clients are in-cluster engines (Trino, Spark); the catalog is not exposed.
    metrics: { port: POLARIS_PORTS.management.name, path: '/q/metrics' },
    resources: { server: SERVER_SIZING, bootstrap: BOOTSTRAP_SIZING },
    databases: [{ instance: 'platform', database: 'polaris', access: 'owner' }],
    buckets: [{ name: WAREHOUSE_BUCKET, access: 'readwrite' }],
  });
}

/** The JDBC datasource, as both the server and the admin tool read it (credentials from the database Secret). */
function datasourceEnv(): k8s.EnvVar[] {
  const secret = databaseSecretName(POLARIS_SERVICE, 'platform');
  return [
    { name: 'POLARIS_PERSISTENCE_TYPE', value: 'relational-jdbc' },
    { name: 'POLARIS_PERSISTENCE_RELATIONAL_JDBC_DATABASE_TYPE', value: 'postgresql' },
    secretEnv('QUARKUS_DATASOURCE_JDBC_URL', secret, 'jdbc-url'),
    secretEnv('QUARKUS_DATASOURCE_USERNAME', secret, 'username'),
    secretEnv('QUARKUS_DATASOURCE_PASSWORD', secret, 'password'),
    // The image logs to ./logs by default; the root filesystem is read-only and stdout is collected.
    { name: 'QUARKUS_LOG_FILE_ENABLED', value: 'false' },
  ];
}

/** libpq settings for the schema wait, from the same database Secret. */
function libpqEnv(ctx: BuildContext): k8s.EnvVar[] {
  const secret = databaseSecretName(POLARIS_SERVICE, 'platform');
  const instance = ctx.config.postgres.platform;
  // A read-only probe: encryption as configured, without certificate checks that need a CA file.
  const sslMode = instance.mode === 'external' && instance.sslMode !== 'disable' ? 'require' : 'disable';
  return [
    secretEnv('PGHOST', secret, 'host'),
    secretEnv('PGPORT', secret, 'port'),
    secretEnv('PGDATABASE', secret, 'database'),
    secretEnv('PGUSER', secret, 'username'),
    secretEnv('PGPASSWORD', secret, 'password'),
    { name: 'PGSSLMODE', value: sslMode },
    { name: 'PGCONNECT_TIMEOUT', value: '5' },
  ];
}

/**
 * Settings env vars cannot carry (quoted feature keys) or that name mounted files. Everything
 * else is set in the environment, which takes precedence (Quarkus ordinals: env 300, this file 260).
 */
function applicationProperties(): string {
  return [
    '# Generated by the analytics platform.',
    '# Tokens are signed with one shared key, so any replica validates tokens any other issued.',
    'polaris.authentication.token-broker.type=symmetric-key',
    `polaris.authentication.token-broker.symmetric-key.file=${CONFIG_DIR}/symmetric.key`,
    '# Catalogs live on the S3 store only.',
    'polaris.features."SUPPORTED_CATALOG_STORAGE_TYPES"=["S3"]',
    '# Every client names the realm (token requests too); a request without the header is refused,',
    '# not served from the default realm.',
    `polaris.realm-context.header-name=${POLARIS_REALM_HEADER}`,
    'polaris.realm-context.require-header=true',
    "# The bootstrap sets each client principal's credentials to those of the client's Secret.",
    'polaris.features."ENABLE_CREDENTIAL_RESET"=true',
    '',
  ].join('\n');
}

function buildSecrets(ctx: BuildContext, realm: string, clients: CatalogClient[]): void {
  const namespace = ctx.namespaceOf(POLARIS_SERVICE);
  ctx.addSecret({
    name: POLARIS_ROOT_SECRET,
    namespace,
    service: POLARIS_SERVICE,
    data: {
      'client-id': literal(POLARIS_ROOT_CLIENT_ID),
      'client-secret': randomValue(POLARIS_ROOT_SECRET_ID),
      'credentials.json': {
        kind: 'template',
        ids: [POLARIS_ROOT_SECRET_ID],
        render: (values) => rootCredentialsFile(realm, POLARIS_ROOT_CLIENT_ID, values[POLARIS_ROOT_SECRET_ID]),
      },
    },
  });
  ctx.addSecret({
    name: TOKEN_KEY_SECRET,
    namespace,
    service: POLARIS_SERVICE,
    data: { 'symmetric.key': randomValue(`${POLARIS_SERVICE}/token-key`, 64) },
  });
  planClientSecrets(ctx, clients);
}

function buildServer(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, plan: CatalogPlan): void {
  const files = { 'application.properties': applicationProperties() };
  const config = platformConfigMap(scope, ctx, self, 'server', 'config', files);
  const s3 = s3SecretName(POLARIS_SERVICE);
  const management = POLARIS_PORTS.management.name;
  platformService(scope, ctx, self, { component: 'server', ports: [POLARIS_PORTS.api.name, management] });
  platformDeployment(scope, ctx, self, {
    component: 'server',
    user: POLARIS_USER,
    // Quarkus reads application.properties only at start: a change (the realm header rule) rolls the pods.
    annotations: { 'checksum/config': contentChecksum(files) },
    initContainers: [
      {
        name: 'wait-for-schema',
        image: 'postgres',
        command: ['/bin/sh', '-c', renderSchemaWaitScript()],
        env: libpqEnv(ctx),
        writablePaths: ['/tmp'],
        sizing: HELPER_SIZING,
      },
    ],
    containers: [
      {
        name: 'polaris',
        image: 'polaris',
        // Quarkus reads config/application.properties relative to the working directory.
        workingDir: APP_DIR,
        env: [
          ...datasourceEnv(),
          { name: 'POLARIS_REALM_CONTEXT_REALMS', value: plan.realm },
          // Polaris signs S3 requests with its own identity (the catalog has stsUnavailable).
          secretEnv('AWS_ACCESS_KEY_ID', s3, 'access-key'),
          secretEnv('AWS_SECRET_ACCESS_KEY', s3, 'secret-key'),
          { name: 'AWS_REGION', value: plan.s3.region },
          // No trace collector is declared; the SDK would otherwise export to localhost.
          { name: 'QUARKUS_OTEL_SDK_DISABLED', value: 'true' },
          { name: 'JAVA_MAX_MEM_RATIO', value: String(heapRatio(ctx.sizing(POLARIS_SERVICE, 'server'))) },
        ],
        ports: [POLARIS_PORTS.api.name, management],
        volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }],
        writablePaths: ['/tmp'],
        startup: { http: { path: '/q/health/live', port: management }, periodSeconds: 5, failureThreshold: 36 },
        readiness: { http: { path: '/q/health/ready', port: management }, periodSeconds: 10 },
        liveness: { http: { path: '/q/health/live', port: management }, periodSeconds: 20, failureThreshold: 3 },
      },
    ],
    volumes: [
      {
        name: 'config',
        projected: {
          defaultMode: 0o440,
          sources: [
            { configMap: { name: config.name, items: [{ key: 'application.properties', path: 'application.properties' }] } },
            { secret: { name: TOKEN_KEY_SECRET, items: [{ key: 'symmetric.key', path: 'symmetric.key' }] } },
          ],
        },
      },
    ],
  });
}

function buildBootstrap(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, plan: CatalogPlan, clients: CatalogClient[]): void {
  const files = platformConfigMap(scope, ctx, self, 'bootstrap', 'script', catalogBootstrapFiles(plan, clients));
  platformJob(scope, ctx, self, {
    component: 'bootstrap',
    user: POLARIS_USER,
    initContainers: [
      {
        // Creates the schema, the realm and its root principal; skips a realm that exists (1.7.0+).
        name: 'bootstrap-realm',
        image: 'polarisAdminTool',
        args: ['bootstrap', '--credentials-file', `${ROOT_CREDENTIALS_DIR}/credentials.json`],
        env: datasourceEnv(),
        volumeMounts: [{ name: 'root-credentials', mountPath: ROOT_CREDENTIALS_DIR, readOnly: true }],
        writablePaths: ['/tmp'],
      },
    ],
    containers: [
      {
        name: 'create-catalog',
        image: 'curl',
        command: ['/bin/sh', `${BOOTSTRAP_DIR}/${CATALOG_SCRIPT}`],
        env: [
          { name: 'POLARIS_URL', value: ctx.connect(POLARIS_SERVICE, POLARIS_SERVICE, POLARIS_PORTS.api.name).url() },
          { name: 'POLARIS_MANAGEMENT_URL', value: ctx.connect(POLARIS_SERVICE, POLARIS_SERVICE, POLARIS_PORTS.management.name).url() },
          { name: 'POLARIS_REALM', value: plan.realm },
          secretEnv('ROOT_CLIENT_ID', POLARIS_ROOT_SECRET, 'client-id'),
          secretEnv('ROOT_CLIENT_SECRET', POLARIS_ROOT_SECRET, 'client-secret'),
        ],
        volumeMounts: [
          { name: 'files', mountPath: BOOTSTRAP_DIR, readOnly: true },
          ...(clients.length ? [{ name: 'client-secrets', mountPath: CLIENT_SECRETS_DIR, readOnly: true }] : []),
        ],
        writablePaths: ['/tmp'],
        sizing: HELPER_SIZING,
      },
    ],
    volumes: [
      {
        name: 'root-credentials',
        secret: { secretName: POLARIS_ROOT_SECRET, defaultMode: 0o440, items: [{ key: 'credentials.json', path: 'credentials.json' }] },
      },
      { name: 'files', configMap: { name: files.name } },
      ...(clients.length ? [{ name: 'client-secrets', secret: { secretName: CLIENT_SECRETS_SECRET, defaultMode: 0o440 } }] : []),
    ],
  });
}

export const polarisDefinition: ServiceDefinition = {
  name: POLARIS_SERVICE,
  enabled: () => true,
  declare,
  build: (scope, ctx, self) => {
    const plan = catalogPlan(ctx, POLARIS_SERVICE);
    const clients = catalogClients(ctx.services);
    buildSecrets(ctx, plan.realm, clients);
    buildServer(scope, ctx, self, plan);
    buildBootstrap(scope, ctx, self, plan, clients);
  },
};

// OpenMetadata, the data catalog (catalog.<domain>): metadata in its own database on the platform
// PostgreSQL, its search index on OpenSearch, sign-in through Keycloak (confidential OIDC client).
// Migrations run as a plain Job (openmetadata-ops.sh migrate); server pods wait for the migration
// the image expects before they start. Bot tokens are signed with an RSA key derived from a
// generated seed, so they survive restarts; a bootstrap Job copies the ingestion bot's token into
// the Secret openmetadata-ingestion-bot for ingestion workflows (no pipeline service runs yet).
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { exemption } from '../../base/exemption';
import { standardLabels } from '../../base/labels';
import { ContainerSpec, platformConfigMap, platformDeployment, platformJob, platformService, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { memoryToBytes } from '../../platform/quantity';
import { literal, randomValue, SecretValueSource } from '../../platform/secrets';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import { databaseSecretName } from '../../storage/contract';
import { identityCa, identityCaVolume } from '../contract';
import {
  BOOTSTRAP_PRINCIPAL,
  BOOTSTRAP_SECRET,
  CALLBACK_PATH,
  CATALOG_HOST,
  catalogUrl,
  JWT_KEY_ID,
  KEYS_SECRET,
  OPENMETADATA_PORTS,
  OPENMETADATA_SERVICE,
  openmetadataEnv,
  SEARCH_SECRET,
} from './env';
import { derivedRsaKey, fernetKey, privateKeyPem, publicKeyPem, signJwt } from '../../platform/seeded-keys';
import {
  BOT_SCRIPT,
  IDENTITY_CA_DIR,
  JWT_DIR,
  KEYS_DIR,
  MIGRATION_DIR,
  OM_HOME,
  PREPARE_SCRIPT,
  renderBotSecretScript,
  renderPrepareScript,
  renderWaitScript,
  SCRIPTS_DIR,
  SEARCH_CA_DIR,
  TRUSTSTORE_DIR,
  WAIT_SCRIPT,
} from './scripts';
import {
  OPENSEARCH_PORTS,
  OPENSEARCH_SERVICE,
  SEARCH_PASSWORD_IDS,
  searchCertificateValue,
  searchSecurityEnabled,
} from '../opensearch/opensearch';
import { SEARCH_USERS } from '../opensearch/config';

export { OPENMETADATA_PORTS, OPENMETADATA_SERVICE } from './env';
/** The Secret the bootstrap Job writes (key `token`): the ingestion bot's JWT for ingestion workflows. */
export const INGESTION_BOT_SECRET = 'openmetadata-ingestion-bot';
export const INGESTION_BOT = 'ingestion-bot';

const JWT_SEED_ID = 'openmetadata/jwt-key-seed';
const FERNET_SEED_ID = 'openmetadata/fernet-seed';
const TRUSTSTORE_PASSWORD_ID = 'openmetadata/truststore-password';
const SEED_LENGTH = 64;
const JWT_KEY_LABEL = 'openmetadata-jwt';

/** The server image's user: `adduser -D openmetadata` on Alpine (docker/development/Dockerfile), uid and gid 1000. */
const OPENMETADATA_USER = { uid: 1000, gid: 1000 };
/** curlimages/curl runs as curl_user, 100:101. */
const CURL_USER = { uid: 100, gid: 101 };

/**
 * Small gives the heap OpenMetadata ships with, 1 GiB (OPENMETADATA_HEAP_OPTS "-Xmx1G -Xms1G",
 * open-metadata/OpenMetadata docker/docker-compose-quickstart/docker-compose.yml), as two thirds
 * of the limit (heapMegabytes). Off by default on k3d (openmetadata/profile.ts).
 */
const SERVER_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '250m', memory: '1Gi', cpuLimit: '2', memoryLimit: '1536Mi' },
  medium: { replicas: 2, cpu: '500m', memory: '2Gi', cpuLimit: '2', memoryLimit: '3Gi' },
  large: { replicas: 2, cpu: '1', memory: '3Gi', cpuLimit: '4', memoryLimit: '4Gi' },
};
const MIGRATE_SIZING: ComponentSizing = { replicas: 1, cpu: '250m', memory: '768Mi', cpuLimit: '2', memoryLimit: '1Gi' };
const sameOnEveryProfile = (sizing: ComponentSizing): Sized<ComponentSizing> => ({ small: sizing, medium: sizing, large: sizing });
/** The prepare step runs keytool, a JVM. */
const PREPARE_SIZING: ComponentSizing = { replicas: 1, cpu: '50m', memory: '128Mi', cpuLimit: '1', memoryLimit: '256Mi' };
const HELPER_SIZING: ComponentSizing = { replicas: 1, cpu: '10m', memory: '32Mi', cpuLimit: '200m', memoryLimit: '64Mi' };

function declare(): ServiceDeclaration {
  return withDefaults({
    name: OPENMETADATA_SERVICE,
    layer: 'governance',
    description: 'OpenMetadata: the data catalog (lineage, glossary, data quality), signing in through Keycloak',
    images: ['openmetadata', 'postgres', 'curl'],
    ports: [
      { ...OPENMETADATA_PORTS.http, http: true },
      { ...OPENMETADATA_PORTS.admin, http: true },
    ],
    edges: [{ to: OPENSEARCH_SERVICE, port: OPENSEARCH_PORTS.http.name }],
    publicHost: { name: CATALOG_HOST, port: OPENMETADATA_PORTS.http.name, signIn: 'native-oidc', redirectPaths: [CALLBACK_PATH] },
    // Dropwizard admin connector: Prometheus format (the upstream chart's ServiceMonitor).
    metrics: { port: OPENMETADATA_PORTS.admin.name, path: '/prometheus' },
    resources: {
      server: SERVER_SIZING,
      migrate: sameOnEveryProfile(MIGRATE_SIZING),
      bootstrap: sameOnEveryProfile(HELPER_SIZING),
    },
    databases: [{ instance: 'platform', database: 'openmetadata', access: 'owner' }],
    // Only the bootstrap Job's pod calls the API (to write the bot's Secret): only it may reach the API server.
    watchesApiServer: ['bootstrap'],
  });
}

const seeded = (ids: string[], render: (values: Record<string, string>) => string): SecretValueSource => ({
  kind: 'template',
  ids,
  seeds: Object.fromEntries(ids.map((id) => [id, SEED_LENGTH])),
  render,
});

const jwtKey = (values: Record<string, string>) => derivedRsaKey(values[JWT_SEED_ID], JWT_KEY_LABEL);

/** The bootstrap principal's token, signed like OpenMetadata's own user tokens (JWTTokenGenerator claims), without expiry. */
export function bootstrapClaims(issuer: string, domain: string): Record<string, unknown> {
  return {
    iss: issuer,
    sub: BOOTSTRAP_PRINCIPAL,
    preferred_username: BOOTSTRAP_PRINCIPAL,
    email: `${BOOTSTRAP_PRINCIPAL}@${domain}`,
    isBot: false,
    tokenType: 'OM_USER',
    iat: 1735689600,
  };
}

function buildSecrets(ctx: BuildContext): void {
  const namespace = ctx.namespaceOf(OPENMETADATA_SERVICE);
  const plan = (name: string, data: Record<string, SecretValueSource>) =>
    ctx.addSecret({ name, namespace, service: OPENMETADATA_SERVICE, data });
  plan(KEYS_SECRET, {
    'private_key.pem': seeded([JWT_SEED_ID], (v) => privateKeyPem(jwtKey(v))),
    'public_key.pem': seeded([JWT_SEED_ID], (v) => publicKeyPem(jwtKey(v))),
    'fernet-key': seeded([FERNET_SEED_ID], (v) => fernetKey(v[FERNET_SEED_ID])),
  });
  // Only the bootstrap Job mounts it. Whoever can read it could read the signing key beside it too.
  const claims = bootstrapClaims(catalogUrl(ctx), ctx.config.domain);
  plan(BOOTSTRAP_SECRET, { token: seeded([JWT_SEED_ID], (v) => signJwt(jwtKey(v), JWT_KEY_ID, claims)) });
  if (searchSecurityEnabled(ctx.config))
    plan(SEARCH_SECRET, {
      username: literal(SEARCH_USERS.openmetadata),
      password: randomValue(SEARCH_PASSWORD_IDS.openmetadata),
      'ca.crt': searchCertificateValue(ctx, 'caCertificate'),
      'truststore-password': randomValue(TRUSTSTORE_PASSWORD_ID),
    });
}

/** Two thirds of the memory limit for the heap; the rest is metaspace, threads and buffers. */
export function heapMegabytes(sizing: ComponentSizing): number {
  return Math.floor((memoryToBytes(sizing.memoryLimit ?? sizing.memory) / 2 ** 20) * (2 / 3));
}

/** Whether the pods need a trust store: the search CA's, or Keycloak's for the OIDC back channel (env.ts). */
const needsTruststore = (ctx: BuildContext): boolean =>
  searchSecurityEnabled(ctx.config) || identityCa(ctx, OPENMETADATA_SERVICE) !== undefined;

/** Files the server and the migration Job read: JWT keys as DER, the truststores, the expected migration. */
function prepareContainer(ctx: BuildContext): ContainerSpec {
  const security = searchSecurityEnabled(ctx.config);
  const identity = identityCa(ctx, OPENMETADATA_SERVICE) !== undefined;
  return {
    name: 'prepare',
    image: 'openmetadata',
    command: ['/bin/sh', `${SCRIPTS_DIR}/${PREPARE_SCRIPT}`],
    env: security ? [secretEnv('TRUSTSTORE_PASSWORD', SEARCH_SECRET, 'truststore-password')] : [],
    volumeMounts: [
      { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true },
      { name: 'keys', mountPath: KEYS_DIR, readOnly: true },
      { name: 'jwt', mountPath: JWT_DIR },
      { name: 'migration', mountPath: MIGRATION_DIR },
      ...(needsTruststore(ctx) ? [{ name: 'truststore', mountPath: TRUSTSTORE_DIR }] : []),
      ...(security ? [{ name: 'search-ca', mountPath: SEARCH_CA_DIR, readOnly: true }] : []),
      ...(identity ? [{ name: 'identity-ca', mountPath: IDENTITY_CA_DIR, readOnly: true }] : []),
    ],
    writablePaths: ['/tmp'],
    sizing: PREPARE_SIZING,
  };
}

function sharedVolumes(ctx: BuildContext, scripts: string): k8s.Volume[] {
  const security = searchSecurityEnabled(ctx.config);
  const identity = identityCa(ctx, OPENMETADATA_SERVICE);
  return [
    { name: 'scripts', configMap: { name: scripts, defaultMode: 0o555 } },
    {
      name: 'keys',
      secret: {
        secretName: KEYS_SECRET,
        defaultMode: 0o440,
        items: [
          { key: 'private_key.pem', path: 'private_key.pem' },
          { key: 'public_key.pem', path: 'public_key.pem' },
        ],
      },
    },
    { name: 'jwt', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
    { name: 'migration', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
    ...(needsTruststore(ctx) ? [{ name: 'truststore', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } }] : []),
    ...(security
      ? [{ name: 'search-ca', secret: { secretName: SEARCH_SECRET, defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }]
      : []),
    ...(identity ? [identityCaVolume('identity-ca', identity)] : []),
  ];
}

const serverFilesMounts = (ctx: BuildContext): k8s.VolumeMount[] => [
  { name: 'jwt', mountPath: JWT_DIR, readOnly: true },
  ...(needsTruststore(ctx) ? [{ name: 'truststore', mountPath: TRUSTSTORE_DIR, readOnly: true }] : []),
];

/** libpq settings for the migration wait, from the database Secret. */
function libpqEnv(ctx: BuildContext): k8s.EnvVar[] {
  const secret = databaseSecretName(OPENMETADATA_SERVICE, 'platform');
  const instance = ctx.config.postgres.platform;
  return [
    secretEnv('PGHOST', secret, 'host'),
    secretEnv('PGPORT', secret, 'port'),
    secretEnv('PGDATABASE', secret, 'database'),
    secretEnv('PGUSER', secret, 'username'),
    secretEnv('PGPASSWORD', secret, 'password'),
    { name: 'PGSSLMODE', value: instance.mode === 'external' && instance.sslMode !== 'disable' ? 'require' : 'disable' },
    { name: 'PGCONNECT_TIMEOUT', value: '5' },
  ];
}

function buildServer(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, scripts: string): void {
  const sizing = ctx.sizing(OPENMETADATA_SERVICE, 'server');
  const service = platformService(scope, ctx, self, {
    component: 'server',
    ports: [OPENMETADATA_PORTS.http.name, OPENMETADATA_PORTS.admin.name],
  });
  // Up to 1.13 the OIDC login state lives in the server's memory: a browser must come back to the replica it started on.
  if (sizing.replicas > 1)
    for (const [key, value] of Object.entries({
      cookie: 'true',
      'cookie.secure': 'true',
      'cookie.httponly': 'true',
      'cookie.samesite': 'lax',
    }))
      service.metadata.addAnnotation(`traefik.ingress.kubernetes.io/service.sticky.${key}`, value);
  const { http, admin } = OPENMETADATA_PORTS;
  platformDeployment(scope, ctx, self, {
    component: 'server',
    user: OPENMETADATA_USER,
    initContainers: [
      prepareContainer(ctx),
      {
        name: 'wait-for-migrations',
        image: 'postgres',
        command: ['/bin/sh', `${SCRIPTS_DIR}/${WAIT_SCRIPT}`],
        env: libpqEnv(ctx),
        volumeMounts: [
          { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true },
          { name: 'migration', mountPath: MIGRATION_DIR, readOnly: true },
        ],
        writablePaths: ['/tmp'],
        sizing: HELPER_SIZING,
      },
    ],
    containers: [
      {
        name: 'openmetadata',
        image: 'openmetadata',
        // The start script execs the JVM, so it is PID 1 and gets SIGTERM; it logs to ./logs.
        command: [`${OM_HOME}/bin/openmetadata-server-start.sh`, `${OM_HOME}/conf/openmetadata.yaml`],
        workingDir: OM_HOME,
        env: [
          ...openmetadataEnv(ctx),
          { name: 'OPENMETADATA_HEAP_OPTS', value: `-Xms${heapMegabytes(sizing)}m -Xmx${heapMegabytes(sizing)}m` },
        ],
        ports: [http.name, admin.name],
        volumeMounts: serverFilesMounts(ctx),
        writablePaths: [`${OM_HOME}/logs`, '/tmp'],
        // Dropwizard's health check on the admin connector, the documented one ("the Health Checks and
        // Metrics endpoints are available on port 8586", docs.open-metadata.org deployment/kubernetes).
        // Its own thread pool answers even when API requests queue (OpenMetadataServerHealthCheck).
        startup: { http: { path: '/healthcheck', port: admin.name }, periodSeconds: 10, failureThreshold: 60 },
        readiness: { http: { path: '/healthcheck', port: admin.name }, periodSeconds: 15, failureThreshold: 3 },
        liveness: { http: { path: '/healthcheck', port: admin.name }, periodSeconds: 30, failureThreshold: 5 },
      },
    ],
    volumes: sharedVolumes(ctx, scripts),
    terminationGracePeriodSeconds: 60,
  });
}

function buildMigrations(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, scripts: string): void {
  platformJob(scope, ctx, self, {
    component: 'migrate',
    user: OPENMETADATA_USER,
    initContainers: [prepareContainer(ctx)],
    containers: [
      {
        name: 'migrate',
        image: 'openmetadata',
        // Schema and search index mappings (OpenMetadataOperations migrate); no chart hook, a plain Job.
        command: [`${OM_HOME}/bootstrap/openmetadata-ops.sh`, 'migrate'],
        workingDir: OM_HOME,
        env: [...openmetadataEnv(ctx), { name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=70' }],
        volumeMounts: serverFilesMounts(ctx),
        writablePaths: [`${OM_HOME}/logs`, '/tmp'],
      },
    ],
    volumes: sharedVolumes(ctx, scripts),
  });
}

function buildBotSecretWriter(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const labels = standardLabels(ctx, self, 'bootstrap');
  const reason =
    'writes one Secret, the ingestion bot token it reads from OpenMetadata: get and patch are limited to that name; create cannot be limited by name in RBAC';
  const role = new k8s.KubeRole(scope, 'bot-secret-role', {
    metadata: { name: `${OPENMETADATA_SERVICE}-bot-secret`, labels, annotations: exemption('rbac-secrets-access', reason) },
    rules: [
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: [INGESTION_BOT_SECRET], verbs: ['get', 'patch'] },
    ],
  });
  new k8s.KubeRoleBinding(scope, 'bot-secret-binding', {
    metadata: { name: `${OPENMETADATA_SERVICE}-bot-secret`, labels, annotations: exemption('rbac-secrets-access', reason) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
    subjects: [{ kind: 'ServiceAccount', name: OPENMETADATA_SERVICE, namespace: ctx.namespaceOf(OPENMETADATA_SERVICE) }],
  });
}

function buildBootstrap(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, scripts: string): void {
  buildBotSecretWriter(scope, ctx, self);
  platformJob(scope, ctx, self, {
    component: 'bootstrap',
    user: CURL_USER,
    apiAccess: true,
    containers: [
      {
        name: 'ingestion-bot',
        image: 'curl',
        command: ['/bin/sh', `${SCRIPTS_DIR}/${BOT_SCRIPT}`],
        env: [
          { name: 'OM_URL', value: ctx.connect(OPENMETADATA_SERVICE, OPENMETADATA_SERVICE, OPENMETADATA_PORTS.http.name).url() },
          { name: 'BOT_NAME', value: INGESTION_BOT },
          { name: 'TARGET_NAME', value: INGESTION_BOT_SECRET },
        ],
        volumeMounts: [
          { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true },
          { name: 'bootstrap', mountPath: '/bootstrap', readOnly: true },
        ],
        writablePaths: ['/tmp'],
      },
    ],
    volumes: [
      { name: 'scripts', configMap: { name: scripts, defaultMode: 0o555 } },
      { name: 'bootstrap', secret: { secretName: BOOTSTRAP_SECRET, defaultMode: 0o440, items: [{ key: 'token', path: 'token' }] } },
    ],
  });
}

export const openmetadataDefinition: ServiceDefinition = {
  name: OPENMETADATA_SERVICE,
  enabled: (ctx) => ctx.config.governance.openmetadata.enabled,
  declare,
  build: (scope, ctx, self) => {
    buildSecrets(ctx);
    const scripts = platformConfigMap(scope, ctx, self, 'server', 'scripts', {
      [PREPARE_SCRIPT]: renderPrepareScript(searchSecurityEnabled(ctx.config), identityCa(ctx, OPENMETADATA_SERVICE) !== undefined),
      [WAIT_SCRIPT]: renderWaitScript(),
      [BOT_SCRIPT]: renderBotSecretScript(),
    }).name;
    buildServer(scope, ctx, self, scripts);
    buildMigrations(scope, ctx, self, scripts);
    buildBootstrap(scope, ctx, self, scripts);
  },
};

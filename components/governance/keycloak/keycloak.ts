// Keycloak, the identity provider: production mode on the platform PostgreSQL, issuing tokens for
// the public issuer https://identity.<domain>/realms/<realm> while services talk to it in-cluster
// (dynamic back channel). Users' TLS ends at Traefik, which forwards to plain HTTP; services use the
// back channel over HTTPS only (keycloak/tls.ts). Health and metrics on the management port. Replicas
// form one cluster over the database (jdbc-ping). The realm is reconciled on every realm change and hourly by
// keycloak-config-cli (keycloak/reconcile.ts); this file declares the service and runs the server.
//
// Read-only root filesystem: Keycloak re-augments into lib/quarkus when the build options differ
// from the image's (kc.sh runs `build` before `start`), which fails on a read-only root
// (keycloak#44632). So the pod builds once into an emptyDir: one init container copies the image's
// lib/quarkus there (the build starts from it: QuarkusEntryPoint reads quarkus-application.dat),
// a second runs `kc.sh build` with the build options into it (Quarkus empties and rewrites the
// directory, IoUtils.createOrEmptyDir), and the server runs `start --optimized` from it. The same
// approach as the Bitnami chart's prepare-write-dirs. Runtime writes go to data/ and /tmp.
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-28';
import { platformDeployment, platformService, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { memoryToBytes } from '../../platform/quantity';
import { literal, randomValue } from '../../platform/secrets';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import { databaseSecretName } from '../../storage/contract';
import { oidcClients } from './clients';
import {
  IDENTITY_HOST,
  issuerUrl,
  KEYCLOAK_PORTS,
  KEYCLOAK_SERVICE,
  LLDAP_PORTS,
  LLDAP_SERVICE,
  oidcClientSecretId,
  oidcSecretName,
} from '../contract';
import { KEYCLOAK_ADMIN_SECRET, planAdminSecret } from './admin';
import { buildRealmReconcile, REALM_SIZING } from './reconcile';
import { KEYCLOAK_TLS_SECRET, planKeycloakTls } from './tls';

/** The image's user (quarkus/container/Dockerfile: `USER 1000`, /opt/keycloak owned by 1000). */
export const KEYCLOAK_USER = { uid: 1000, gid: 1000 };
const HOME = '/opt/keycloak';
const AUGMENTED_DIR = `${HOME}/lib/quarkus`;
const SEED_DIR = '/augmented';
/** The back channel's certificate and key (KEYCLOAK_TLS_SECRET). */
const TLS_DIR = '/etc/keycloak-tls';

/**
 * Small: a 512 MiB heap (heapOptions on the 1Gi limit), the most kc.sh gives Keycloak outside a
 * container (-Xmx512m), beside its ~300 MB of non-heap memory (keycloak.org/high-availability/
 * concepts-memory-and-cpu-sizing); the request is a laptop's few sessions, well below the guide's
 * 1250 MB for 10,000 cached sessions, so the pod may grow to the limit.
 */
const SERVER_SIZING: Sized<ComponentSizing> = {
  // Start-up (and the build init container) is CPU-bound; the limit lets it burst.
  small: { replicas: 1, cpu: '250m', memory: '640Mi', cpuLimit: '2', memoryLimit: '1Gi' },
  medium: { replicas: 2, cpu: '500m', memory: '1536Mi', cpuLimit: '2' },
  large: { replicas: 3, cpu: '1', memory: '2Gi', cpuLimit: '4' },
};
const HELPER_SIZING: ComponentSizing = { replicas: 1, cpu: '10m', memory: '32Mi', cpuLimit: '500m', memoryLimit: '64Mi' };
/** Connections per replica; the platform PostgreSQL allows 100/200/400 for every service together. */
const DB_POOL_MAX = { small: 10, medium: 15, large: 20 } as const;

/**
 * The heap share of the container limit. Keycloak's container default is 70%
 * (kc.sh: -XX:MaxRAMPercentage=70 when KC_RUN_IN_CONTAINER); below 2Gi that leaves too little for
 * metaspace (up to 256m, kc.sh MaxMetaspaceSize), code cache and threads, so keep ~512Mi off-heap.
 */
export function heapOptions(memoryLimit: string): string {
  const limit = memoryToBytes(memoryLimit);
  const percent = Math.max(40, Math.min(70, Math.floor((100 * (limit - 512 * 2 ** 20)) / limit)));
  return `-XX:MaxRAMPercentage=${percent} -XX:MinRAMPercentage=${percent} -XX:InitialRAMPercentage=${Math.min(50, percent)}`;
}

function declare(ctx: Pick<BuildContext, 'config'>): ServiceDeclaration {
  const lldap = ctx.config.governance.directory.mode === 'lldap';
  return withDefaults({
    name: KEYCLOAK_SERVICE,
    layer: 'governance',
    description: 'Keycloak: single sign-on for every service, the platform realm reconciled from config',
    images: ['keycloak', 'keycloakConfigCli'],
    ports: [
      { ...KEYCLOAK_PORTS.http, http: true },
      KEYCLOAK_PORTS.https,
      { ...KEYCLOAK_PORTS.management, http: true },
      // JGroups between replicas; pods of one service reach each other on their own ports.
      KEYCLOAK_PORTS.cluster,
      KEYCLOAK_PORTS.failureDetection,
    ],
    publicHost: { name: IDENTITY_HOST, port: KEYCLOAK_PORTS.http.name, signIn: 'none' },
    metrics: { port: KEYCLOAK_PORTS.management.name, path: '/metrics' },
    resources: { server: SERVER_SIZING, realm: REALM_SIZING },
    databases: [{ instance: 'platform', database: 'keycloak', access: 'owner' }],
    edges: lldap ? [{ to: LLDAP_SERVICE, port: LLDAP_PORTS.ldap.name }] : [],
  });
}

/** Build options (persisted by `kc.sh build`); the server repeats them, so `--optimized` finds no difference. */
function buildOptions(): k8s.EnvVar[] {
  return [
    { name: 'KC_DB', value: 'postgres' },
    { name: 'KC_HEALTH_ENABLED', value: 'true' },
    { name: 'KC_METRICS_ENABLED', value: 'true' },
    { name: 'KC_CACHE', value: 'ispn' },
  ];
}

function heapEnv(ctx: BuildContext): k8s.EnvVar {
  const sizing = ctx.sizing(KEYCLOAK_SERVICE, 'server');
  return { name: 'JAVA_OPTS_KC_HEAP', value: heapOptions(sizing.memoryLimit ?? sizing.memory) };
}

function serverEnv(ctx: BuildContext): k8s.EnvVar[] {
  const db = databaseSecretName(KEYCLOAK_SERVICE, 'platform');
  return [
    ...buildOptions(),
    secretEnv('KC_DB_URL', db, 'jdbc-url'),
    secretEnv('KC_DB_USERNAME', db, 'username'),
    secretEnv('KC_DB_PASSWORD', db, 'password'),
    { name: 'KC_DB_POOL_MAX_SIZE', value: String(DB_POOL_MAX[ctx.config.sizing]) },
    // Hostname v2: the issuer is always the public URL; requests arriving in-cluster get
    // in-cluster token, JWKS and userinfo URLs (docs/guides/server/hostname.adoc, backchannel).
    { name: 'KC_HOSTNAME', value: new URL(issuerUrl(ctx.config)).origin },
    { name: 'KC_HOSTNAME_BACKCHANNEL_DYNAMIC', value: 'true' },
    // Edge TLS termination at Traefik, which sets and overwrites X-Forwarded-*: plain HTTP for it only.
    { name: 'KC_HTTP_ENABLED', value: 'true' },
    { name: 'KC_HTTP_PORT', value: String(KEYCLOAK_PORTS.http.port) },
    // The back channel: HTTPS with the certificate of the in-cluster names (PEM files, runtime options).
    { name: 'KC_HTTPS_PORT', value: String(KEYCLOAK_PORTS.https.port) },
    { name: 'KC_HTTPS_CERTIFICATE_FILE', value: `${TLS_DIR}/tls.crt` },
    { name: 'KC_HTTPS_CERTIFICATE_KEY_FILE', value: `${TLS_DIR}/tls.key` },
    { name: 'KC_HTTP_MANAGEMENT_PORT', value: String(KEYCLOAK_PORTS.management.port) },
    { name: 'KC_PROXY_HEADERS', value: 'xforwarded' },
    // Distributed caches: the jdbc-ping stack (the 26.x default, TCP, discovery through the
    // database), bound to the pod IP that other replicas reach it on.
    { name: 'KC_CACHE_STACK', value: 'jdbc-ping' },
    { name: 'KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'KC_CACHE_EMBEDDED_NETWORK_BIND_PORT', value: String(KEYCLOAK_PORTS.cluster.port) },
    secretEnv('KC_BOOTSTRAP_ADMIN_USERNAME', KEYCLOAK_ADMIN_SECRET, 'username'),
    secretEnv('KC_BOOTSTRAP_ADMIN_PASSWORD', KEYCLOAK_ADMIN_SECRET, 'password'),
    secretEnv('KC_BOOTSTRAP_ADMIN_CLIENT_ID', KEYCLOAK_ADMIN_SECRET, 'client-id'),
    secretEnv('KC_BOOTSTRAP_ADMIN_CLIENT_SECRET', KEYCLOAK_ADMIN_SECRET, 'client-secret'),
    heapEnv(ctx),
  ];
}

function buildSecrets(ctx: BuildContext): void {
  planAdminSecret(ctx);
  planKeycloakTls(ctx);
  // Each signing-in service reads its client credentials in its own namespace; the same random
  // id gives the reconcile Job the same value (keycloak/reconcile.ts).
  for (const plan of oidcClients(ctx.config, ctx.services))
    ctx.addSecret({
      name: oidcSecretName(plan.service),
      namespace: ctx.namespaceOf(plan.service),
      service: plan.service,
      data: { 'client-id': literal(plan.clientId), 'client-secret': randomValue(oidcClientSecretId(plan.clientId)) },
    });
}

function buildServer(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const { http, https, management, cluster, failureDetection } = KEYCLOAK_PORTS;
  const augmented = { name: 'augmented', mountPath: AUGMENTED_DIR };
  platformService(scope, ctx, self, { component: 'server', ports: [http.name, https.name, management.name] });
  platformDeployment(scope, ctx, self, {
    component: 'server',
    user: KEYCLOAK_USER,
    initContainers: [
      {
        name: 'copy-image-build',
        image: 'keycloak',
        command: ['/bin/sh', '-c', `set -eu; cp -R --preserve=mode,timestamps ${AUGMENTED_DIR}/. ${SEED_DIR}/`],
        volumeMounts: [{ name: 'augmented', mountPath: SEED_DIR }],
        sizing: HELPER_SIZING,
      },
      {
        name: 'build',
        image: 'keycloak',
        args: ['build'],
        env: [...buildOptions(), heapEnv(ctx)],
        volumeMounts: [augmented],
        writablePaths: [`${HOME}/data`, '/tmp'],
      },
    ],
    containers: [
      {
        name: 'keycloak',
        image: 'keycloak',
        args: ['start', '--optimized'],
        env: serverEnv(ctx),
        ports: [http.name, https.name, management.name, cluster.name, failureDetection.name],
        // Started --optimized, the server only reads the build.
        volumeMounts: [
          { ...augmented, readOnly: true },
          { name: 'tls', mountPath: TLS_DIR, readOnly: true },
        ],
        writablePaths: [`${HOME}/data`, '/tmp'],
        // The first start creates the schema and the master realm; allow five minutes.
        startup: { http: { path: '/health/started', port: management.name }, periodSeconds: 5, failureThreshold: 60 },
        readiness: { http: { path: '/health/ready', port: management.name }, periodSeconds: 10 },
        liveness: { http: { path: '/health/live', port: management.name }, periodSeconds: 20, failureThreshold: 3 },
      },
    ],
    volumes: [
      { name: 'augmented', emptyDir: {} },
      // Readable by the pod's group (fsGroup), as the image user reads the key.
      {
        name: 'tls',
        secret: {
          secretName: KEYCLOAK_TLS_SECRET,
          defaultMode: 0o440,
          items: ['tls.crt', 'tls.key'].map((key) => ({ key, path: key })),
        },
      },
    ],
  });
}

export const keycloakDefinition: ServiceDefinition = {
  name: KEYCLOAK_SERVICE,
  enabled: () => true,
  declare,
  build: (scope, ctx, self) => {
    buildSecrets(ctx);
    buildServer(scope, ctx, self);
    buildRealmReconcile(scope, ctx, self);
  },
};

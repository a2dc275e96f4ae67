// Trino, the federated SQL engine: Iceberg tables through Polaris, the warehouse database through a
// read-only role, and (when the AI layer runs its gateway) the AI functions, all authorized by OPA.
// Users sign in to the Web UI at `federation.<domain>` with Keycloak; in-cluster clients present
// Keycloak JWTs over HTTPS (the `https` port, a certificate of the platform's CA for Trino).
// Users' groups come from Keycloak through a group file the coordinator's sidecar keeps in sync
// (group-sync.ts), acting as Trino's own client's service account.
// On the small profile one coordinator also runs tasks; elsewhere a coordinator plans and workers,
// scaled by an HPA, run tasks and drain their running work before they stop.
import { createHash } from 'node:crypto';
import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { exemption } from '../../../policies/engine';
import { LLM_GATEWAY_KEY, LLM_GATEWAY_PORTS, LLM_GATEWAY_SERVICE, llmGatewayBaseUrl, llmGatewaySecretName } from '../../ai/contract';
import { objectName, standardLabels } from '../../base/labels';
import { platformConfigMap, platformDeployment, platformService, secretEnv } from '../../base/workload';
import { oidcClients } from '../../governance/keycloak/clients';
import { OPA_PORTS, OPA_SERVICE, oidcEndpoints, oidcSecretName } from '../../governance/contract';
import type { BuildContext } from '../../platform/context';
import { internalCertificates } from '../../platform/internal-ca';
import { randomValue, SecretValueSource } from '../../platform/secrets';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import { databaseSecretName, s3SecretName } from '../../storage/contract';
import { catalogPlan, POLARIS_PORTS, POLARIS_ROOT_CLIENT_ID, POLARIS_ROOT_SECRET_ID, POLARIS_SERVICE } from '../../storage/polaris/polaris';
import { INSTANCE_DATABASES } from '../../storage/postgres/bootstrap';
import { AI_CATALOG, AI_SCHEMA, aiCatalog, ICEBERG_CATALOG, icebergCatalog, POSTGRESQL_CATALOG, postgresqlCatalog } from './catalogs';
import {
  coordinatorConfig,
  groupProviderProperties,
  jvmConfig,
  logProperties,
  nodeProperties,
  opaAccessControl,
  SHUTDOWN_GRACE_SECONDS,
  TRINO_DATA,
  TRINO_ENV,
  TRINO_ETC,
  TRINO_MANAGEMENT_USER,
  WORKER_RULES_FILE,
  workerAccessControl,
  workerConfig,
  workerRules,
} from './config';
import {
  GROUP_FILE,
  GROUP_FILE_REFRESH_SECONDS,
  GROUP_SYNC_REALM_MANAGEMENT,
  GROUP_SYNC_SCRIPT,
  groupSyncPod,
  groupSyncScript,
  GroupSyncPod,
} from './group-sync';
import { drainScript } from './drain';
import { clusterMemory, NodeMemory, nodeMemory } from './memory';

export const TRINO_SERVICE = 'trino';
/**
 * `http`: workers, probes, the edge and the management user. `https`: in-cluster clients, which
 * present Keycloak JWTs over TLS with the coordinator's certificate (trino-config.ts).
 */
export const TRINO_PORTS = { http: { name: 'http', port: 8080 }, https: { name: 'https', port: 8443 } } as const;
/** Trino's OAuth2 callback (security/oauth2.html: "https://<trino-coordinator-domain-name>/oauth2/callback"). */
export const TRINO_CALLBACK_PATH = '/oauth2/callback';
/** The image's user and group (core/docker/Dockerfile: useradd trino --uid 1000 --gid 1000). */
const TRINO_USER = { uid: 1000, gid: 1000 };
/** The database every warehouse instance holds (INSTANCE_DATABASES); Trino reads it. */
const WAREHOUSE_DATABASE = INSTANCE_DATABASES.warehouse[0].database;
/** The bucket the Iceberg catalog keeps its tables in (Polaris' `warehouse` bucket). */
const WAREHOUSE_BUCKET = 'warehouse';

const INTERNAL_SECRET = 'trino-internal';
const POLARIS_SECRET = 'trino-polaris';
/** The coordinator's HTTPS certificate and key (`tls.pem`) and the CA clients trust (`ca.crt`). */
export const TRINO_TLS_SECRET = 'trino-tls';
export const TRINO_CA_KEY = 'ca.crt';
const TLS_PEM_KEY = 'tls.pem';
/** The seed the CA and the coordinator's certificate derive from. Rotation: a new id. */
const TLS_SEED_ID = 'trino/tls-ca-seed';
const TLS_SEED_LENGTH = 64;
const TLS_CA = { ca: { commonName: 'trino CA', keyLabel: 'trino-ca' }, leafKeyLabel: 'trino-coordinator' } as const;
const TLS_DIR = '/etc/trino-tls';
const CONFIG_CHECKSUM = 'checksum/trino-config';
/** Reports "starting" in /v1/info until the server is up (core/docker/bin/health-check). */
const HEALTH_CHECK = ['/usr/lib/trino/bin/health-check'];

/** How long a draining worker may take for the queries it still runs, beyond two grace periods. */
export const QUERY_DRAIN_SECONDS = 600;
/** Shutdown sleeps the grace period, waits for its tasks, sleeps it again (admin/graceful-shutdown.html). */
export const WORKER_TERMINATION_SECONDS = 2 * SHUTDOWN_GRACE_SECONDS + QUERY_DRAIN_SECONDS + 30;
/** Workers are added when their CPU is this busy on average (percent of the request). */
const WORKER_CPU_TARGET = 70;

/** Memory requests equal limits: the JVM heap is sized from the limit and touched in full. */
const COORDINATOR_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '500m', memory: '2Gi', cpuLimit: '2' },
  medium: { replicas: 1, cpu: '500m', memory: '4Gi', cpuLimit: '2' },
  large: { replicas: 1, cpu: '1', memory: '8Gi', cpuLimit: '4' },
};
/** `replicas` is the most workers run: it sizes the disruption budget and the spread; the HPA sets the count. */
const workerSizing = (replicas: number): Sized<ComponentSizing> => ({
  small: { replicas, cpu: '1', memory: '4Gi', cpuLimit: '2' },
  medium: { replicas, cpu: '1', memory: '8Gi', cpuLimit: '4' },
  large: { replicas, cpu: '2', memory: '16Gi', cpuLimit: '8' },
});

type ConfigOnly = Pick<BuildContext, 'config'>;

/** Workers run except on the small profile, where the coordinator schedules tasks on itself. */
export const runsWorkers = (ctx: ConfigOnly): boolean => ctx.config.sizing !== 'small';
/** The AI functions appear when the AI layer's gateway runs (components/ai/contract.ts). */
const aiEnabled = (ctx: Pick<BuildContext, 'services'>): boolean => ctx.services.some((s) => s.name === LLM_GATEWAY_SERVICE);

function declare(ctx: ConfigOnly): ServiceDeclaration {
  const workers = ctx.config.compute.trino.workers;
  return withDefaults({
    name: TRINO_SERVICE,
    layer: 'compute',
    description: 'Trino: federated SQL over Iceberg (Polaris) and the warehouse database, authorized by OPA',
    images: ['trino', 'python'],
    // Only the coordinator listens on `https` (workers have no such port to reach).
    // Other services reach the coordinator only: workers take 8080 from Trino pods alone (their
    // plain-HTTP management user could otherwise be used to shut them down).
    ports: [
      { ...TRINO_PORTS.http, http: true, servedBy: 'coordinator' },
      { ...TRINO_PORTS.https, servedBy: 'coordinator' },
    ],
    edges: [
      { to: POLARIS_SERVICE, port: POLARIS_PORTS.api.name },
      { to: OPA_SERVICE, port: OPA_PORTS.http.name },
      // The AI functions call the gateway whenever the AI layer runs it.
      { to: LLM_GATEWAY_SERVICE, port: LLM_GATEWAY_PORTS.http.name, ifEnabled: true },
    ],
    publicHost: { name: 'federation', port: TRINO_PORTS.http.name, signIn: 'native-oidc', redirectPaths: [TRINO_CALLBACK_PATH] },
    // The group sync's identity: no platform role (it never queries), only reading the directory.
    serviceAccount: { roles: [], realmManagement: GROUP_SYNC_REALM_MANAGEMENT },
    // Served to the fixed management user over in-cluster HTTP (trino-config.ts, TRINO_MANAGEMENT_USER).
    metrics: { port: TRINO_PORTS.http.name, path: '/metrics' },
    resources: { coordinator: COORDINATOR_SIZING, ...(runsWorkers(ctx) ? { worker: workerSizing(workers.max) } : {}) },
    databases: [{ instance: 'warehouse', database: WAREHOUSE_DATABASE, access: 'read' }],
    buckets: [{ name: WAREHOUSE_BUCKET, access: 'readwrite' }],
  });
}

/** The names clients reach the coordinator by: its Service in every in-cluster form. */
export function trinoDnsNames(ctx: Pick<BuildContext, 'ownHost' | 'namespaceOf'>): string[] {
  const ns = ctx.namespaceOf(TRINO_SERVICE);
  return [ctx.ownHost(TRINO_SERVICE, TRINO_SERVICE), `${TRINO_SERVICE}.${ns}.svc`, `${TRINO_SERVICE}.${ns}`, TRINO_SERVICE];
}

/** A Secret value holding PEMs of Trino's CA and certificate (components/platform/internal-ca.ts). */
function tlsValue(ctx: BuildContext, render: (pems: ReturnType<typeof internalCertificates>) => string): SecretValueSource {
  const dnsNames = trinoDnsNames(ctx);
  return {
    kind: 'template',
    ids: [TLS_SEED_ID],
    seeds: { [TLS_SEED_ID]: TLS_SEED_LENGTH },
    render: (values) => render(internalCertificates(values[TLS_SEED_ID], TLS_CA, dnsNames)),
  };
}

/**
 * The Secret a client of the `https` port mounts Trino's CA from (key TRINO_CA_KEY): Trino's own
 * in Trino's namespace (mount only that key), elsewhere a CA-only copy planned in the client's.
 */
export function trinoCaSecret(ctx: BuildContext, client: string): string {
  const namespace = ctx.namespaceOf(client);
  if (namespace === ctx.namespaceOf(TRINO_SERVICE)) return TRINO_TLS_SECRET;
  const name = `${client}-trino-ca`;
  ctx.addSecret({ name, namespace, service: client, data: { [TRINO_CA_KEY]: tlsValue(ctx, (pems) => pems.caCertificate) } });
  return name;
}

function planSecrets(ctx: BuildContext): void {
  const namespace = ctx.namespaceOf(TRINO_SERVICE);
  ctx.addSecret({
    name: TRINO_TLS_SECRET,
    namespace,
    service: TRINO_SERVICE,
    data: {
      // Certificate, then key: one file for Trino's PEM keystore.
      [TLS_PEM_KEY]: tlsValue(ctx, (pems) => `${pems.certificate}${pems.privateKey}`),
      [TRINO_CA_KEY]: tlsValue(ctx, (pems) => pems.caCertificate),
    },
  });
  ctx.addSecret({
    name: INTERNAL_SECRET,
    namespace,
    service: TRINO_SERVICE,
    data: { 'shared-secret': randomValue(`${TRINO_SERVICE}/internal-shared-secret`, 64) },
  });
  // Polaris' root principal: the same random id as Polaris' own Secret gives the same value.
  ctx.addSecret({
    name: POLARIS_SECRET,
    namespace,
    service: TRINO_SERVICE,
    data: {
      credential: {
        kind: 'template',
        ids: [POLARIS_ROOT_SECRET_ID],
        render: (values) => `${POLARIS_ROOT_CLIENT_ID}:${values[POLARIS_ROOT_SECRET_ID]}`,
      },
    },
  });
}

/** Credentials every node reads its catalogs with, and the cluster secret. */
function nodeEnv(ctx: BuildContext): k8s.EnvVar[] {
  const db = databaseSecretName(TRINO_SERVICE, 'warehouse');
  const s3 = s3SecretName(TRINO_SERVICE);
  return [
    secretEnv(TRINO_ENV.sharedSecret, INTERNAL_SECRET, 'shared-secret'),
    secretEnv(TRINO_ENV.polarisCredential, POLARIS_SECRET, 'credential'),
    secretEnv(TRINO_ENV.s3AccessKey, s3, 'access-key'),
    secretEnv(TRINO_ENV.s3SecretKey, s3, 'secret-key'),
    secretEnv(TRINO_ENV.warehouseJdbcUrl, db, 'jdbc-url'),
    secretEnv(TRINO_ENV.warehouseUser, db, 'username'),
    secretEnv(TRINO_ENV.warehousePassword, db, 'password'),
    ...(aiEnabled(ctx) ? [secretEnv(TRINO_ENV.llmGatewayKey, llmGatewaySecretName(TRINO_SERVICE), LLM_GATEWAY_KEY)] : []),
  ];
}

/** The path Trino's OpenAI client puts before `/chat/completions` (OpenAiClient appends `/v1/chat/completions` to its endpoint). */
const TRINO_OPENAI_PATH = '/v1';

/** The AI functions' endpoint: the gateway's OpenAI base URL without the path Trino adds itself. */
function aiEndpoint(ctx: BuildContext): string {
  const base = llmGatewayBaseUrl(ctx, TRINO_SERVICE);
  if (!base.endsWith(TRINO_OPENAI_PATH))
    throw new Error(
      `trino: the gateway serves the OpenAI API at ${base}, but Trino's AI functions call <endpoint>${TRINO_OPENAI_PATH}/chat/completions`,
    );
  return base.slice(0, -TRINO_OPENAI_PATH.length);
}

/** The catalog files every node loads (catalogs must be identical on all nodes). */
export function catalogFiles(ctx: BuildContext): Record<string, string> {
  const trino = ctx.config.compute.trino;
  const files: Record<string, string> = {
    [`${ICEBERG_CATALOG}.properties`]: icebergCatalog({
      plan: catalogPlan(ctx, TRINO_SERVICE),
      polarisUrl: ctx.connect(TRINO_SERVICE, POLARIS_SERVICE, POLARIS_PORTS.api.name).url(),
    }),
    [`${POSTGRESQL_CATALOG}.properties`]: postgresqlCatalog(),
  };
  if (aiEnabled(ctx))
    files[`${AI_CATALOG}.properties`] = aiCatalog({ endpoint: aiEndpoint(ctx), model: trino.ai.model, functions: trino.ai.functions });
  return files;
}

const memoryOf = (ctx: BuildContext, component: string): NodeMemory => {
  const sizing = ctx.sizing(TRINO_SERVICE, component);
  return nodeMemory(sizing.memoryLimit ?? sizing.memory);
};

/** The node memory and the cluster-wide query limits: tasks run on workers, or on the lone coordinator. */
export function memoryPlan(ctx: BuildContext) {
  const coordinator = memoryOf(ctx, 'coordinator');
  const worker = runsWorkers(ctx) ? memoryOf(ctx, 'worker') : undefined;
  const cluster = worker ? clusterMemory(worker, ctx.config.compute.trino.workers.min) : clusterMemory(coordinator, 1);
  return { coordinator, worker, cluster };
}

/** The server files of the coordinator. */
export function coordinatorFiles(ctx: BuildContext): Record<string, string> {
  const { coordinator, cluster } = memoryPlan(ctx);
  const oidc = oidcEndpoints(ctx, TRINO_SERVICE);
  const client = oidcClients(ctx.config, ctx.services).find((c) => c.service === TRINO_SERVICE);
  if (!client) throw new Error('trino: no OIDC client is planned for it');
  return {
    'node.properties': nodeProperties(ctx.config.prefix),
    'jvm.config': jvmConfig(coordinator),
    'config.properties': coordinatorConfig(TRINO_PORTS.http.port, {
      discoveryUri: ctx.connect(TRINO_SERVICE, TRINO_SERVICE, TRINO_PORTS.http.name).url(),
      includeCoordinator: !runsWorkers(ctx),
      memory: coordinator,
      cluster,
      oidc: {
        issuer: oidc.issuer,
        authorization: oidc.authorization,
        logout: oidc.logout,
        token: oidc.token,
        jwks: oidc.jwks,
        audience: client.clientId,
      },
      sqlPath: aiEnabled(ctx) ? [`${AI_CATALOG}.${AI_SCHEMA}`] : [],
      https: { port: TRINO_PORTS.https.port, keystorePath: `${TLS_DIR}/${TLS_PEM_KEY}` },
    }),
    'log.properties': logProperties(),
    'access-control.properties': opaAccessControl(ctx.connect(TRINO_SERVICE, OPA_SERVICE, OPA_PORTS.http.name).url()),
    'group-provider.properties': groupProviderProperties(GROUP_FILE, GROUP_FILE_REFRESH_SECONDS),
  };
}

/** The server files of a worker. */
export function workerFiles(ctx: BuildContext): Record<string, string> {
  const { worker, cluster } = memoryPlan(ctx);
  if (!worker) throw new Error('trino: the small profile runs no workers');
  return {
    'node.properties': nodeProperties(ctx.config.prefix),
    'jvm.config': jvmConfig(worker),
    'config.properties': workerConfig(TRINO_PORTS.http.port, {
      discoveryUri: ctx.connect(TRINO_SERVICE, TRINO_SERVICE, TRINO_PORTS.http.name).url(),
      memory: worker,
      cluster,
    }),
    'log.properties': logProperties(),
    'access-control.properties': workerAccessControl(),
    [WORKER_RULES_FILE]: workerRules(),
  };
}

const checksum = (files: Record<string, string>): string =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex');

/** /etc/trino: the node's files at the top, the catalogs under catalog/. */
function configVolume(serverMap: string, server: Record<string, string>, catalogMap: string, catalogs: Record<string, string>): k8s.Volume {
  return {
    name: 'config',
    projected: {
      defaultMode: 0o440,
      sources: [
        { configMap: { name: serverMap, items: Object.keys(server).map((key) => ({ key, path: key })) } },
        { configMap: { name: catalogMap, items: Object.keys(catalogs).map((key) => ({ key, path: `catalog/${key}` })) } },
      ],
    },
  };
}

/** Only the certificate and key file: the CA copy is for clients. */
const tlsVolume = (): k8s.Volume => ({
  name: 'tls',
  secret: { secretName: TRINO_TLS_SECRET, defaultMode: 0o440, items: [{ key: TLS_PEM_KEY, path: TLS_PEM_KEY }] },
});

interface NodeSpec {
  component: 'coordinator' | 'worker';
  files: Record<string, string>;
  catalogs: Record<string, string>;
  catalogMap: string;
  env: k8s.EnvVar[];
  terminationGracePeriodSeconds?: number;
  /** The coordinator's group sync, and what else rolls the pod when it changes (its script). */
  groupSync?: { pod: GroupSyncPod; files: Record<string, string> };
  /** The coordinator serves clients over HTTPS with the certificate of TRINO_TLS_SECRET. */
  https?: boolean;
}

function nodeDeployment(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, spec: NodeSpec): k8s.KubeDeployment {
  const serverMap = platformConfigMap(scope, ctx, self, spec.component, 'config', spec.files);
  const sync = spec.groupSync;
  return platformDeployment(scope, ctx, self, {
    component: spec.component,
    // One coordinator at a time: two during a rollout would be two clusters behind one Service.
    strategy: spec.component === 'coordinator' ? 'Recreate' : undefined,
    // The image's user, which the group sync shares: the group file it writes is Trino's to read.
    user: TRINO_USER,
    // Trino (and the group sync) read their files only at start: a change rolls the pods.
    annotations: { [CONFIG_CHECKSUM]: checksum({ ...spec.files, ...spec.catalogs, ...sync?.files }) },
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    initContainers: sync?.pod.initContainers,
    containers: [
      {
        name: 'trino',
        image: 'trino',
        env: spec.env,
        ports: spec.https ? [TRINO_PORTS.http.name, TRINO_PORTS.https.name] : [TRINO_PORTS.http.name],
        volumeMounts: [
          { name: 'config', mountPath: TRINO_ETC, readOnly: true },
          ...(spec.https ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : []),
          ...(sync ? [sync.pod.trinoMount] : []),
        ],
        // The data directory and the JVM's temporary files (native libraries are unpacked there).
        writablePaths: [TRINO_DATA, '/tmp'],
        startup: { exec: HEALTH_CHECK, periodSeconds: 5, failureThreshold: 60 },
        readiness: { exec: HEALTH_CHECK, periodSeconds: 10 },
        liveness: { http: { path: '/v1/info', port: TRINO_PORTS.http.name }, periodSeconds: 20, failureThreshold: 6 },
      },
      ...(sync?.pod.sidecars ?? []),
    ],
    volumes: [
      configVolume(serverMap.name, spec.files, spec.catalogMap, spec.catalogs),
      ...(spec.https ? [tlsVolume()] : []),
      ...(sync?.pod.volumes ?? []),
    ],
  });
}

function buildCoordinator(
  scope: Construct,
  ctx: BuildContext,
  self: ServiceDeclaration,
  catalogMap: string,
  catalogs: Record<string, string>,
): void {
  const oidc = oidcSecretName(TRINO_SERVICE);
  // The Service is named after Trino itself: clients, the route and the workers' discovery reach the coordinator.
  platformService(scope, ctx, self, {
    component: 'coordinator',
    ports: [TRINO_PORTS.http.name, TRINO_PORTS.https.name],
    name: TRINO_SERVICE,
  });
  const syncFiles = { [GROUP_SYNC_SCRIPT]: groupSyncScript() };
  const syncMap = platformConfigMap(scope, ctx, self, 'coordinator', 'group-sync', syncFiles);
  const deployment = nodeDeployment(scope, ctx, self, {
    component: 'coordinator',
    files: coordinatorFiles(ctx),
    catalogs,
    catalogMap,
    env: [
      ...nodeEnv(ctx),
      secretEnv(TRINO_ENV.oidcClientId, oidc, 'client-id'),
      secretEnv(TRINO_ENV.oidcClientSecret, oidc, 'client-secret'),
    ],
    groupSync: { pod: groupSyncPod(ctx, TRINO_SERVICE, syncMap.name), files: syncFiles },
    https: true,
  });
  const [key, reason] = Object.entries(
    exemption(
      'minimum-replicas',
      'a Trino cluster has exactly one coordinator: a second replica would be a second, separate cluster; query capacity and redundancy come from the workers',
    ),
  )[0];
  deployment.metadata.addAnnotation(key, reason);
}

/**
 * Workers drain before they stop: the preStop hook asks the worker to shut down gracefully (as the
 * fixed management user, allowed by the workers' rules file) and waits for the Trino process to
 * exit; the termination grace period covers two grace periods and the longest query allowed to finish.
 */
function buildWorkers(
  scope: Construct,
  ctx: BuildContext,
  self: ServiceDeclaration,
  catalogMap: string,
  catalogs: Record<string, string>,
): void {
  const { min, max } = ctx.config.compute.trino.workers;
  const name = objectName(TRINO_SERVICE, 'worker');
  const deployment = nodeDeployment(scope, ctx, self, {
    component: 'worker',
    files: workerFiles(ctx),
    catalogs,
    catalogMap,
    env: nodeEnv(ctx),
    terminationGracePeriodSeconds: WORKER_TERMINATION_SECONDS,
  });
  const shutdown = drainScript({ port: TRINO_PORTS.http.port, user: TRINO_MANAGEMENT_USER });
  deployment.addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/lifecycle', { preStop: { exec: { command: ['/bin/bash', '-c', shutdown] } } }),
  );
  if (max === min) return;
  // The autoscaler owns the count: a fixed spec.replicas would reset it on every apply.
  deployment.addJsonPatch(JsonPatch.remove('/spec/replicas'));
  const [key, reason] = Object.entries(
    exemption('minimum-replicas', `replicas are set by the HorizontalPodAutoscaler ${name} (minReplicas ${min}, maxReplicas ${max})`),
  )[0];
  deployment.metadata.addAnnotation(key, reason);
  new k8s.KubeHorizontalPodAutoscalerV2(scope, 'worker-hpa', {
    metadata: { name, labels: standardLabels(ctx, self, 'worker') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: WORKER_CPU_TARGET } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
        // One worker at a time, and not before the previous one could drain: never two draining at once.
        scaleDown: {
          stabilizationWindowSeconds: 600,
          policies: [{ type: 'Pods', value: 1, periodSeconds: WORKER_TERMINATION_SECONDS }],
        },
      },
    },
  });
}

export const trinoDefinition: ServiceDefinition = {
  name: TRINO_SERVICE,
  enabled: () => true,
  declare,
  build: (scope, ctx, self) => {
    planSecrets(ctx);
    const catalogs = catalogFiles(ctx);
    const catalogMap = platformConfigMap(scope, ctx, self, 'catalog', 'properties', catalogs);
    buildCoordinator(scope, ctx, self, catalogMap.name, catalogs);
    if (runsWorkers(ctx)) buildWorkers(scope, ctx, self, catalogMap.name, catalogs);
  },
};

// Trino's server files, generated per node role: node.properties, jvm.config, config.properties,
// log.properties and the access control. Every properties key is checked against the documented
// list (trino/server-keys.ts). Secrets appear only as `${ENV:NAME}` references
// (security/secrets.html), filled from Kubernetes Secrets in the pod environment.
import { OPA_DECISIONS, TRINO_MANAGEMENT_USER } from '../../governance/contract';
import { ClusterMemory, dataSize, NodeMemory } from './memory';
import { PropertyEntries, renderProperties } from './properties';
import { SERVER_FILE_KEYS } from './server-keys';

/** Where the image reads its configuration (run-trino: `launcher run --etc-dir /etc/trino`). */
export const TRINO_ETC = '/etc/trino';
/** The data directory (the launcher's var/ files); an emptyDir, the root filesystem is read-only. */
export const TRINO_DATA = '/data/trino';
export const WORKER_RULES_FILE = 'worker-rules.json';

/** The environment variables the properties files reference; each is filled from a Secret. */
export const TRINO_ENV = {
  sharedSecret: 'TRINO_INTERNAL_SHARED_SECRET',
  oidcClientId: 'TRINO_OIDC_CLIENT_ID',
  oidcClientSecret: 'TRINO_OIDC_CLIENT_SECRET',
  polarisCredential: 'POLARIS_CREDENTIAL',
  s3AccessKey: 'S3_ACCESS_KEY',
  s3SecretKey: 'S3_SECRET_KEY',
  warehouseJdbcUrl: 'WAREHOUSE_JDBC_URL',
  warehouseUser: 'WAREHOUSE_USER',
  warehousePassword: 'WAREHOUSE_PASSWORD',
  llmGatewayKey: 'LLM_GATEWAY_API_KEY',
} as const;

export const envRef = (name: string): string => `\${ENV:${name}}`;

/**
 * The identity management endpoints (/metrics, /v1/info/state, ...) get over plain in-cluster HTTP
 * (`management.user`): Prometheus scrapes and the workers' preStop hook need no token. It is still
 * authorized: on the coordinator by OPA (ReadSystemInformation), on workers by their rules file.
 * Named in the governance contract, whose access model grants it.
 */
export { TRINO_MANAGEMENT_USER };
/** shutdown.grace-period: how long a draining worker waits for the coordinator to notice, before and after its tasks (admin/graceful-shutdown.html). */
export const SHUTDOWN_GRACE_SECONDS = 60;

/** The claim Trino takes the user name from: Keycloak's login name, as OPA policies name users. */
export const PRINCIPAL_CLAIM = 'preferred_username';

export interface OidcSettings {
  /** The public issuer every token names (`iss`). */
  issuer: string;
  /** Browser-facing endpoints, on the identity host. */
  authorization: string;
  logout: string;
  /** Server-to-server endpoints, in-cluster. */
  token: string;
  jwks: string;
  /** The client id Trino's tokens are issued to (`aud`, Keycloak's audience mapper). */
  audience: string;
  /** The PEM CA the server-to-server endpoints' certificate is checked with; absent: the JVM's default trust. */
  caFile?: string;
}

interface NodeSettings {
  discoveryUri: string;
  memory: NodeMemory;
  cluster: ClusterMemory;
}

export interface CoordinatorSettings extends NodeSettings {
  /** The small profile: the coordinator is the only node and runs tasks itself. */
  includeCoordinator: boolean;
  oidc: OidcSettings;
  /** `catalog.schema` entries the SQL path holds by default (the AI functions' schema). */
  sqlPath: string[];
  /** The in-cluster clients' HTTPS listener. */
  https: HttpsListener;
}

export interface HttpsListener {
  port: number;
  /**
   * A PEM file with the certificate and its unencrypted private key: Trino reads PEM keystores
   * directly and needs a keystore password only for an encrypted key (security/inspect-pem.html).
   */
  keystorePath: string;
}

/** node.properties: all nodes share the environment; node.id is the pod name (run-trino sets -Dnode.id=$HOSTNAME). */
export function nodeProperties(prefix: string): string {
  // The environment name takes lowercase letters, digits and "_" only.
  return renderProperties('node.properties', SERVER_FILE_KEYS.node, [
    ['node.environment', prefix.replace(/-/g, '_')],
    ['node.data-dir', TRINO_DATA],
  ]);
}

/**
 * jvm.config: the image's defaults (core/docker/default/etc/jvm.config) with the heap fixed from
 * the container limit instead of MaxRAMPercentage. No heap dump on OOM: a dump the size of the heap
 * would fill the emptyDir and get the pod evicted; the JVM exits and the pod restarts.
 */
export function jvmConfig(memory: NodeMemory): string {
  return [
    '-server',
    '-agentpath:/usr/lib/trino/bin/libjvmkill.so',
    `-Xms${memory.heapMiB}M`,
    `-Xmx${memory.heapMiB}M`,
    '-XX:G1HeapRegionSize=32M',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:-OmitStackTraceInFastThrow',
    `-XX:ReservedCodeCacheSize=${memory.codeCacheMiB}M`,
    '-XX:PerMethodRecompilationCutoff=10000',
    '-XX:PerBytecodeRecompilationCutoff=10000',
    '-Djdk.attach.allowAttachSelf=true',
    '-Djdk.nio.maxCachedBufferSize=2000000',
    '-XX:+EnableDynamicAgentLoading',
    '-XX:+UnlockDiagnosticVMOptions',
    // https://bugs.openjdk.org/browse/JDK-8329528
    '-XX:G1NumCollectionsKeepPinned=10000000',
    '',
  ].join('\n');
}

function memoryEntries(s: NodeSettings): PropertyEntries {
  return [
    ['query.max-memory', dataSize(s.cluster.maxMemoryMiB)],
    ['query.max-total-memory', dataSize(s.cluster.maxTotalMemoryMiB)],
    ['query.max-memory-per-node', dataSize(s.memory.maxMemoryPerNodeMiB)],
    ['memory.heap-headroom-per-node', dataSize(s.memory.heapHeadroomMiB)],
  ];
}

/** What every node shares: the port, discovery, the cluster secret, request logs off (stdout is collected). */
function commonEntries(port: number, s: NodeSettings): PropertyEntries {
  return [
    ['http-server.http.port', port],
    ['discovery.uri', s.discoveryUri],
    // Signs node-to-node requests; required with any authentication (security/internal-communication.html).
    ['internal-communication.shared-secret', envRef(TRINO_ENV.sharedSecret)],
    ['http-server.log.enabled', false],
    ['management.user', TRINO_MANAGEMENT_USER],
    ...memoryEntries(s),
  ];
}

/**
 * The coordinator: OAuth2 sign-in for the Web UI and bearer JWTs for clients, both validated
 * against the identity provider's keys fetched in-cluster. Trino authenticates only requests it
 * counts as secure; plain HTTP is refused (allow-insecure-over-http=false): with it on, Trino would
 * trust the `X-Trino-User` header of any unauthenticated request (AuthenticationFilter uses only
 * the insecure authenticator over HTTP). Two ways in:
 * - the edge ends the users' TLS and forwards to plain HTTP with `X-Forwarded-Proto: https`, which
 *   process-forwarded counts as secure;
 * - in-cluster clients connect to the HTTPS listener with a Keycloak JWT, trusting the platform's
 *   CA. They cannot use plain HTTP with a forwarded header: Trino builds every `nextUri` from the
 *   request's (forwarded) scheme, so the client would open TLS to the plain port.
 * Plain HTTP stays for the workers (internal communication, signed with the shared secret), the
 * probes, the edge and the management user.
 */
export function coordinatorConfig(port: number, s: CoordinatorSettings): string {
  const o = s.oidc;
  return renderProperties('config.properties', SERVER_FILE_KEYS.config, [
    ['coordinator', true],
    ['node-scheduler.include-coordinator', s.includeCoordinator],
    ...commonEntries(port, s),
    ['http-server.process-forwarded', true],
    ['http-server.https.enabled', true],
    ['http-server.https.port', s.https.port],
    ['http-server.https.keystore.path', s.https.keystorePath],
    ['http-server.authentication.allow-insecure-over-http', false],
    ['http-server.authentication.type', 'OAUTH2,JWT'],
    ['http-server.authentication.oauth2.issuer', o.issuer],
    // Endpoints are given, not discovered: discovery would fetch the public issuer from inside the cluster.
    ['http-server.authentication.oauth2.oidc.discovery', false],
    ['http-server.authentication.oauth2.auth-url', o.authorization],
    ['http-server.authentication.oauth2.token-url', o.token],
    ['http-server.authentication.oauth2.jwks-url', o.jwks],
    ['http-server.authentication.oauth2.end-session-url', o.logout],
    ['http-server.authentication.oauth2.client-id', envRef(TRINO_ENV.oidcClientId)],
    ['http-server.authentication.oauth2.client-secret', envRef(TRINO_ENV.oidcClientSecret)],
    ['http-server.authentication.oauth2.scopes', 'openid'],
    ['http-server.authentication.oauth2.principal-field', PRINCIPAL_CLAIM],
    // The back channel is HTTPS (jwt.html: an http:// key URL is "a severe security risk"); the
    // OAuth2 client (token, keys) and the JWT key client trust the identity provider's CA, a PEM
    // file (admin/properties-http-client.html, prefixes `oauth2-jwk` and `jwk`). By default the
    // OAuth2 one ignores any trust store set for internal communication (OAuth2ServiceModule).
    ...(o.caFile
      ? ([
          ['oauth2-jwk.http-client.trust-store-path', o.caFile],
          ['jwk.http-client.trust-store-path', o.caFile],
        ] as PropertyEntries)
      : []),
    // Keycloak signs JWTs: validated locally with the keys, never sent to userinfo.
    ['http-server.authentication.jwt.key-file', o.jwks],
    ['http-server.authentication.jwt.required-issuer', o.issuer],
    ['http-server.authentication.jwt.required-audience', o.audience],
    ['http-server.authentication.jwt.principal-field', PRINCIPAL_CLAIM],
    ['web-ui.authentication.type', 'OAUTH2'],
    ...(s.sqlPath.length ? ([['sql.path', s.sqlPath.join(',')]] as PropertyEntries) : []),
  ]);
}

/** A worker: tasks only, no client authentication (clients never reach it), graceful shutdown on request. */
export function workerConfig(port: number, s: NodeSettings): string {
  return renderProperties('config.properties', SERVER_FILE_KEYS.config, [
    ['coordinator', false],
    ...commonEntries(port, s),
    ['shutdown.grace-period', `${SHUTDOWN_GRACE_SECONDS}s`],
  ]);
}

/**
 * group-provider.properties (coordinator only: groups are resolved where access control runs,
 * security/group-file.html "a file on the coordinator"): users' groups come from a file the group
 * sync sidecar rewrites atomically. Trino re-reads it at most every refresh period; the file must
 * exist when Trino starts (FileGroupConfig: @FileExists), which the sync's init container ensures.
 */
export function groupProviderProperties(groupFile: string, refreshSeconds: number): string {
  return renderProperties('group-provider.properties', SERVER_FILE_KEYS.groupProvider, [
    ['group-provider.name', 'file'],
    ['file.group-file', groupFile],
    ['file.refresh-period', `${refreshSeconds}s`],
  ]);
}

export const logProperties = (): string => '# Generated by the analytics platform.\nio.trino=INFO\n';

/** The coordinator asks OPA for every decision; the URIs are the governance layer's decision paths. */
export function opaAccessControl(opaUrl: string): string {
  return renderProperties('access-control.properties', SERVER_FILE_KEYS.opaAccessControl, [
    ['access-control.name', 'opa'],
    ['opa.policy.uri', `${opaUrl}${OPA_DECISIONS.allow}`],
    ['opa.policy.batched-uri', `${opaUrl}${OPA_DECISIONS.batch}`],
    ['opa.policy.row-filters-uri', `${opaUrl}${OPA_DECISIONS.rowFilters}`],
    ['opa.policy.batch-column-masking-uri', `${opaUrl}${OPA_DECISIONS.batchColumnMasks}`],
    // Requests carry user names and queries: not logged.
    ['opa.log-requests', false],
    ['opa.log-responses', false],
    // GRANT/REVOKE/roles are denied without asking OPA: access lives in the access model only.
    ['opa.allow-permission-management-operations', false],
  ]);
}

/**
 * Workers check no queries (the coordinator does); their access control only has to let the
 * management user shut the worker down and read its metrics. The `default` access control would
 * refuse the shutdown (admin/graceful-shutdown.html), so a file access control with exactly that
 * rule is used, as the upstream chart does.
 */
export function workerAccessControl(): string {
  return renderProperties('access-control.properties', SERVER_FILE_KEYS.fileAccessControl, [
    ['access-control.name', 'file'],
    ['security.config-file', `${TRINO_ETC}/${WORKER_RULES_FILE}`],
  ]);
}

export const workerRules = (): string =>
  `${JSON.stringify({ system_information: [{ user: TRINO_MANAGEMENT_USER, allow: ['read', 'write'] }] }, null, 2)}\n`;

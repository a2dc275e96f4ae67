// The documented keys of the server files (node.properties, config.properties, the access
// control files) the platform writes, with the pages they come from (Trino 483 documentation).
// Checked like the catalog files (trino/catalog-keys.ts, trino/properties.ts).
import type { DocumentedKeys } from './catalog-keys';

const DOCS = 'https://trino.io/docs/483';

const documented = (sources: string[], ...groups: (readonly string[])[]): DocumentedKeys => ({
  sources,
  keys: new Set(groups.flat()),
});

/** installation/deployment.html#node-properties */
const NODE = ['node.environment', 'node.id', 'node.data-dir'] as const;

/** installation/deployment.html#config-properties, admin/properties-resource-management.html, admin/graceful-shutdown.html */
const SERVER = [
  'coordinator',
  'node-scheduler.include-coordinator',
  'http-server.http.port',
  'discovery.uri',
  'query.max-memory',
  'query.max-memory-per-node',
  'query.max-total-memory',
  'memory.heap-headroom-per-node',
  'shutdown.grace-period',
] as const;

/** admin/properties-http-server.html, admin/properties-logging.html */
const HTTP_SERVER = [
  'http-server.process-forwarded',
  'http-server.https.enabled',
  'http-server.https.port',
  'http-server.https.keystore.path',
  'http-server.https.keystore.key',
  'http-server.authentication.type',
  'http-server.authentication.allow-insecure-over-http',
  'internal-communication.shared-secret',
  'internal-communication.https.required',
  'http-server.log.enabled',
  'http-server.log.path',
  'http-server.log.max-size',
] as const;

/** security/oauth2.html, "OAuth2 configuration properties" */
const OAUTH2 = [
  'http-server.authentication.oauth2.issuer',
  'http-server.authentication.oauth2.access-token-issuer',
  'http-server.authentication.oauth2.auth-url',
  'http-server.authentication.oauth2.token-url',
  'http-server.authentication.oauth2.jwks-url',
  'http-server.authentication.oauth2.userinfo-url',
  'http-server.authentication.oauth2.client-id',
  'http-server.authentication.oauth2.client-secret',
  'http-server.authentication.oauth2.additional-audiences',
  'http-server.authentication.oauth2.require-audience',
  'http-server.authentication.oauth2.scopes',
  'http-server.authentication.oauth2.challenge-timeout',
  'http-server.authentication.oauth2.state-key',
  'http-server.authentication.oauth2.user-mapping.pattern',
  'http-server.authentication.oauth2.principal-field',
  'http-server.authentication.oauth2.oidc.discovery',
  'http-server.authentication.oauth2.oidc.use-userinfo-endpoint',
  'http-server.authentication.oauth2.end-session-url',
  'http-server.authentication.oauth2.refresh-tokens',
] as const;

/** security/jwt.html */
const JWT = [
  'http-server.authentication.jwt.key-file',
  'http-server.authentication.jwt.required-issuer',
  'http-server.authentication.jwt.required-audience',
  'http-server.authentication.jwt.principal-field',
  'http-server.authentication.jwt.user-mapping.pattern',
] as const;

/** admin/properties-http-client.html: the OAuth2 (`oauth2-jwk`) and JWT (`jwk`) key clients' trust. */
const HTTP_CLIENT = ['oauth2-jwk.http-client.trust-store-path', 'jwk.http-client.trust-store-path'] as const;

/** admin/properties-web-interface.html, security/file-system-access-control.html (fixed management user), admin/properties-sql-environment.html */
const UI_AND_MANAGEMENT = [
  'web-ui.enabled',
  'web-ui.authentication.type',
  'web-ui.session-timeout',
  'management.user',
  'management.user.https-enabled',
  'sql.path',
] as const;

/** security/opa-access-control.html, "OPA access control configuration properties" (checked against OpaConfig). */
const OPA = [
  'access-control.name',
  'opa.policy.uri',
  'opa.policy.row-filters-uri',
  'opa.policy.column-masking-uri',
  'opa.policy.batch-column-masking-uri',
  'opa.policy.batched-uri',
  'opa.log-requests',
  'opa.log-responses',
  'opa.allow-permission-management-operations',
] as const;

/** security/group-file.html, "Group file configuration" */
const GROUP_PROVIDER = ['group-provider.name', 'file.group-file', 'file.refresh-period'] as const;

/** security/file-system-access-control.html, "Configuration" */
const FILE_ACCESS_CONTROL = ['access-control.name', 'security.config-file', 'security.refresh-period'] as const;

export const SERVER_FILE_KEYS = {
  node: documented([`${DOCS}/installation/deployment.html`], NODE),
  config: documented(
    [
      `${DOCS}/installation/deployment.html`,
      `${DOCS}/admin/properties-resource-management.html`,
      `${DOCS}/admin/graceful-shutdown.html`,
      `${DOCS}/admin/properties-http-server.html`,
      `${DOCS}/admin/properties-logging.html`,
      `${DOCS}/security/oauth2.html`,
      `${DOCS}/security/jwt.html`,
      `${DOCS}/admin/properties-http-client.html`,
      `${DOCS}/admin/properties-web-interface.html`,
      `${DOCS}/security/file-system-access-control.html`,
      `${DOCS}/admin/properties-sql-environment.html`,
    ],
    SERVER,
    HTTP_SERVER,
    OAUTH2,
    JWT,
    HTTP_CLIENT,
    UI_AND_MANAGEMENT,
  ),
  opaAccessControl: documented([`${DOCS}/security/opa-access-control.html`], OPA),
  fileAccessControl: documented([`${DOCS}/security/file-system-access-control.html`], FILE_ACCESS_CONTROL),
  groupProvider: documented([`${DOCS}/security/group-file.html`], GROUP_PROVIDER),
} as const satisfies Record<string, DocumentedKeys>;

// The environment OpenMetadata's conf/openmetadata.yaml reads (variable names from that file and the
// upstream chart's templates/secrets.yaml, openmetadata-helm-charts 1.13.1), for the server and the
// migration Job alike. Values that are secrets are references to Secrets, never literals.
import type { k8s } from 'cdk8s-plus-28';
import type { PlatformConfig } from '../../../environments/schema';
import { secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { publicOrigin } from '../../platform/routes';
import { databaseSecretName } from '../../storage/contract';
import { identityCa, jvmTrustOptions, oidcEndpoints, oidcSecretName } from '../contract';
import { demoUsers } from '../keycloak/realm';
import { OPENSEARCH_PORTS, OPENSEARCH_SERVICE, searchSecurityEnabled } from '../opensearch/opensearch';
import { IDENTITY_TRUSTSTORE_FILE, JWT_DIR, TRUSTSTORE_FILE } from './scripts';

export const OPENMETADATA_SERVICE = 'openmetadata';
export const OPENMETADATA_PORTS = { http: { name: 'http', port: 8585 }, admin: { name: 'admin', port: 8586 } } as const;
export const CATALOG_HOST = 'catalog';
/** OpenMetadata's OIDC callback path (oidcConfiguration.callbackUrl). */
export const CALLBACK_PATH = '/callback';

/** Secrets this service plans (see openmetadata.ts). */
export const KEYS_SECRET = 'openmetadata-keys';
export const SEARCH_SECRET = 'openmetadata-search';
export const BOOTSTRAP_SECRET = 'openmetadata-bootstrap';
/** The kid of the JWT signing key (jwtTokenConfiguration.keyId): any stable name. */
export const JWT_KEY_ID = 'platform-openmetadata-1';
/** The admin principal the bootstrap Job signs in as; created as an admin at start-up (authorizer adminPrincipals). */
export const BOOTSTRAP_PRINCIPAL = 'platform-bootstrap';

export const catalogUrl = (ctx: BuildContext): string => publicOrigin(ctx.config, { name: CATALOG_HOST });

/**
 * OpenMetadata administrators, by the principal taken from their token (preferred_username): the
 * bootstrap principal and the realm's demo administrator where there is one. Everyone else the
 * realm lets sign in gets a default user; more administrators are granted in OpenMetadata itself.
 */
export const adminPrincipals = (config: PlatformConfig): string[] => [
  BOOTSTRAP_PRINCIPAL,
  ...demoUsers(config)
    .filter((u) => u.role === 'admin')
    .map((u) => u.username),
];

/** A YAML flow list as openmetadata.yaml's ${VAR} substitution expects it: [a, b]. */
const list = (values: string[]): string => `[${values.map((v) => JSON.stringify(v)).join(',')}]`;

const value = (name: string, v: string): k8s.EnvVar => ({ name, value: v });

function databaseEnv(ctx: BuildContext): k8s.EnvVar[] {
  const secret = databaseSecretName(OPENMETADATA_SERVICE, 'platform');
  const instance = ctx.config.postgres.platform;
  const sslMode = instance.mode === 'external' ? instance.sslMode : 'disable';
  return [
    value('DB_DRIVER_CLASS', 'org.postgresql.Driver'),
    value('DB_SCHEME', 'postgresql'),
    secretEnv('DB_HOST', secret, 'host'),
    secretEnv('DB_PORT', secret, 'port'),
    secretEnv('OM_DATABASE', secret, 'database'),
    secretEnv('DB_USER', secret, 'username'),
    secretEnv('DB_USER_PASSWORD', secret, 'password'),
    // The default is MySQL's (allowPublicKeyRetrieval, useSSL); pgjdbc takes sslmode.
    value('DB_PARAMS', `sslmode=${sslMode}`),
    value('DB_CONNECTION_POOL_MAX_SIZE', ctx.config.sizing === 'small' ? '20' : '50'),
    value('DB_CONNECTION_POOL_MIN_SIZE', '2'),
    value('DB_CONNECTION_POOL_INITIAL_SIZE', '2'),
  ];
}

function searchEnv(ctx: BuildContext): k8s.EnvVar[] {
  const { host, port } = ctx.connect(OPENMETADATA_SERVICE, OPENSEARCH_SERVICE, OPENSEARCH_PORTS.http.name);
  const common = [value('SEARCH_TYPE', 'opensearch'), value('ELASTICSEARCH_HOST', host), value('ELASTICSEARCH_PORT', String(port))];
  if (!searchSecurityEnabled(ctx.config)) return [...common, value('ELASTICSEARCH_SCHEME', 'http')];
  return [
    ...common,
    value('ELASTICSEARCH_SCHEME', 'https'),
    secretEnv('ELASTICSEARCH_USER', SEARCH_SECRET, 'username'),
    secretEnv('ELASTICSEARCH_PASSWORD', SEARCH_SECRET, 'password'),
    // SearchUtils.createElasticSearchSSLContext loads this store when the scheme is https.
    value('ELASTICSEARCH_TRUST_STORE_PATH', TRUSTSTORE_FILE),
    secretEnv('ELASTICSEARCH_TRUST_STORE_PASSWORD', SEARCH_SECRET, 'truststore-password'),
  ];
}

/** Confidential OIDC through Keycloak: the browser goes to the public issuer, the server talks to the back channel. */
function authenticationEnv(ctx: BuildContext): k8s.EnvVar[] {
  const oidc = oidcEndpoints(ctx, OPENMETADATA_SERVICE);
  const client = oidcSecretName(OPENMETADATA_SERVICE);
  const url = catalogUrl(ctx);
  const callback = `${url}${CALLBACK_PATH}`;
  return [
    value('AUTHORIZER_ADMIN_PRINCIPALS', list(adminPrincipals(ctx.config))),
    value('AUTHORIZER_PRINCIPAL_DOMAIN', ctx.config.domain),
    value('AUTHORIZER_ENFORCE_PRINCIPAL_DOMAIN', 'false'),
    value('AUTHENTICATION_PROVIDER', 'custom-oidc'),
    value('CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME', 'Keycloak'),
    value('AUTHENTICATION_CLIENT_TYPE', 'confidential'),
    // Keycloak's keys for user tokens (back channel) and OpenMetadata's own for bot tokens.
    value('AUTHENTICATION_PUBLIC_KEYS', list([oidc.jwks, `http://localhost:${OPENMETADATA_PORTS.http.port}/api/v1/system/config/jwks`])),
    value('AUTHENTICATION_AUTHORITY', oidc.issuer),
    secretEnv('AUTHENTICATION_CLIENT_ID', client, 'client-id'),
    value('AUTHENTICATION_CALLBACK_URL', callback),
    // The principal is the Keycloak user name; email and sub only when it is missing.
    value('AUTHENTICATION_JWT_PRINCIPAL_CLAIMS', list(['preferred_username', 'email', 'sub'])),
    // Keycloak decides who may sign in (the client's allowed roles); a first sign-in creates the OpenMetadata user.
    value('AUTHENTICATION_ENABLE_SELF_SIGNUP', 'true'),
    value('OIDC_TYPE', 'Keycloak'),
    secretEnv('OIDC_CLIENT_ID', client, 'client-id'),
    secretEnv('OIDC_CLIENT_SECRET', client, 'client-secret'),
    value('OIDC_SCOPE', 'openid email profile'),
    // Served by Keycloak in-cluster; the issuer in it is the public one, which tokens carry.
    value('OIDC_DISCOVERY_URI', oidc.discovery),
    value('OIDC_USE_NONCE', 'true'),
    value('OIDC_PREFERRED_JWS', 'RS256'),
    value('OIDC_RESPONSE_TYPE', 'code'),
    value('OIDC_DISABLE_PKCE', 'false'),
    value('OIDC_CALLBACK', callback),
    value('OIDC_SERVER_URL', url),
    value('OIDC_CLIENT_AUTH_METHOD', 'client_secret_post'),
    // A catalog session lasts as long as the SSO session may.
    value('OIDC_SESSION_EXPIRY', String(ctx.config.governance.sessions.ssoMaxSeconds)),
    // The back channel (discovery, token, keys) is HTTPS: its clients use the JVM's default trust,
    // made Keycloak's CA (the prepare step writes the store), the way OpenMetadata documents for a
    // Keycloak with a private CA (OPENMETADATA_OPTS, which openmetadata-server-start.sh passes to java).
    // The search client keeps its own store (ELASTICSEARCH_TRUST_STORE_PATH).
    ...(identityCa(ctx, OPENMETADATA_SERVICE) ? [value('OPENMETADATA_OPTS', jvmTrustOptions(IDENTITY_TRUSTSTORE_FILE))] : []),
  ];
}

function keysEnv(ctx: BuildContext): k8s.EnvVar[] {
  return [
    value('RSA_PUBLIC_KEY_FILE_PATH', `${JWT_DIR}/public_key.der`),
    value('RSA_PRIVATE_KEY_FILE_PATH', `${JWT_DIR}/private_key.der`),
    value('JWT_ISSUER', catalogUrl(ctx)),
    value('JWT_KEY_ID', JWT_KEY_ID),
    secretEnv('FERNET_KEY', KEYS_SECRET, 'fernet-key'),
  ];
}

/** Everything the server and `openmetadata-ops.sh migrate` read. */
export function openmetadataEnv(ctx: BuildContext): k8s.EnvVar[] {
  return [
    value('SERVER_PORT', String(OPENMETADATA_PORTS.http.port)),
    value('SERVER_ADMIN_PORT', String(OPENMETADATA_PORTS.admin.port)),
    value('LOG_LEVEL', 'INFO'),
    ...databaseEnv(ctx),
    ...searchEnv(ctx),
    ...authenticationEnv(ctx),
    ...keysEnv(ctx),
    // No Airflow (or other pipeline service) yet: ingestion runs outside OpenMetadata with the bot's token.
    value('PIPELINE_SERVICE_CLIENT_ENABLED', 'false'),
    // Metrics stay local (Prometheus format on the admin port); no CloudWatch.
    value('EVENT_MONITOR', 'prometheus'),
  ];
}

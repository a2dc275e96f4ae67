// How other services reach the governance layer: names, ports, the issuer and back channel, the
// OIDC client Secrets, the OPA decision paths and the role groups. Declared here once; consumers
// (Trino, Superset, JupyterHub, ...) derive their settings from these functions.
import { PLATFORM_ROLES, PlatformRole } from './schema';
import type { PlatformConfig } from '../../environments/schema';
import type { BuildContext } from '../platform/context';
import { FORWARD_AUTH_SERVICE, IDENTITY_SERVICE } from '../platform/graph';
import { publicOrigin } from '../platform/routes';

export const KEYCLOAK_SERVICE = IDENTITY_SERVICE;
export const KEYCLOAK_PORTS = {
  /** Plain HTTP for the edge only: Traefik ends the users' TLS and forwards here. */
  http: { name: 'http', port: 8080 },
  /** The back channel (tokens, keys, userinfo, admin API) over TLS with the certificate of keycloak/tls.ts. */
  https: { name: 'https', port: 8443 },
  /** Health and metrics (Keycloak 26 management interface). */
  management: { name: 'management', port: 9000 },
  /** JGroups (jdbc-ping discovery) between replicas. */
  cluster: { name: 'jgroups', port: 7800 },
  /** FD_SOCK2 failure detection: the cluster port plus jgroups.fd.port-offset (50000) (server guide, caching network ports). */
  failureDetection: { name: 'jgroups-fd', port: 57800 },
} as const;
/** The functional host of the identity provider. */
export const IDENTITY_HOST = 'identity';

export const OPA_SERVICE = 'opa';
export const OPA_PORTS = { http: { name: 'http', port: 8181 }, diagnostics: { name: 'diagnostics', port: 8282 } } as const;
/** Decision paths (OPA REST data API) Trino's OPA access control and the assistant call. */
export const OPA_DECISIONS = {
  /** opa.policy.uri: one operation, `{"result": true|false}`. */
  allow: '/v1/data/trino/allow',
  /** opa.policy.batched-uri: the indexes of the filter resources the identity may see. */
  batch: '/v1/data/trino/batch',
  /** opa.policy.row-filters-uri: `[{"expression": "..."}]`. */
  rowFilters: '/v1/data/trino/rowFilters',
  /** opa.policy.batch-column-masking-uri: `[{"index": n, "viewExpression": {"expression": "..."}}]`. */
  batchColumnMasks: '/v1/data/trino/batchColumnMasks',
  /** The NL-to-SQL assistant slot: may this identity use it. */
  assistant: '/v1/data/assistant/allow',
} as const;

export const OAUTH2_PROXY_SERVICE = FORWARD_AUTH_SERVICE;
export const OAUTH2_PROXY_PORTS = { http: { name: 'http', port: 4180 }, metrics: { name: 'metrics', port: 44180 } } as const;
/** oauth2-proxy's own paths (sign-in start, callback, sign-out) on every protected host. */
export const OAUTH2_PATH_PREFIX = '/oauth2/';
/** oauth2-proxy's callback path, on every host it protects. */
export const OAUTH2_CALLBACK_PATH = `${OAUTH2_PATH_PREFIX}callback`;
/** The Traefik file-provider service that reaches oauth2-proxy. */
export const OAUTH2_PROXY_BACKEND = OAUTH2_PROXY_SERVICE;

export const LLDAP_SERVICE = 'lldap';
export const LLDAP_PORTS = { ldap: { name: 'ldap', port: 3890 }, http: { name: 'http', port: 17170 } } as const;
/** Secret (governance namespace) with the LLDAP admin DN password Keycloak binds with: keys `bind-dn`, `password`. */
export const LLDAP_BIND_SECRET = 'lldap-bind';
export const LLDAP_ADMIN_PASSWORD_ID = 'lldap/admin-password';

/**
 * The role every user receives through the realm's default roles. It is a floor for users with no
 * other platform role: OPA ignores it for anyone holding another one, so a viewer stays a viewer.
 */
export const DEFAULT_ROLE: PlatformRole = 'analyst';

/** The realm role (and `groups` claim entry) of a platform role. */
export const roleGroup = (prefix: string, role: PlatformRole): string => `${prefix}-${role}`;
export const allRoleGroups = (prefix: string): string[] => PLATFORM_ROLES.map((r) => roleGroup(prefix, r));
export const teamGroup = (team: string): string => `team-${team}`;
export const projectGroup = (project: string): string => `project-${project}`;
/** The token claim carrying roles, teams and projects together. */
export const GROUPS_CLAIM = 'groups';

/** The public issuer: what browsers are sent to and what every token's `iss` says. */
export const issuerUrl = (config: PlatformConfig): string =>
  `${publicOrigin(config, { name: IDENTITY_HOST })}/realms/${config.governance.realm}`;

/**
 * Keycloak's back channel as `from` reaches it: HTTPS on the in-cluster `https` port (the client
 * trusts identityCa), or an identity provider outside the platform at its configured URL.
 */
const backchannelOrigin = (ctx: BuildContext, from: string): string =>
  ctx.connect(from, KEYCLOAK_SERVICE, KEYCLOAK_PORTS.https.name).url('https');

/** The realm on the in-cluster back channel (token, JWKS, userinfo from server to server), as `from` reaches it. */
export const backchannelRealmUrl = (ctx: BuildContext, from: string): string =>
  `${backchannelOrigin(ctx, from)}/realms/${ctx.config.governance.realm}`;

/** OIDC endpoints split as services need them: authorization on the public host, the rest in-cluster. */
export function oidcEndpoints(ctx: BuildContext, from: string) {
  const back = `${backchannelRealmUrl(ctx, from)}/protocol/openid-connect`;
  // An identity provider outside the platform has one URL, for browsers and servers alike.
  const issuer = ctx.services.some((s) => s.name === KEYCLOAK_SERVICE) ? issuerUrl(ctx.config) : backchannelRealmUrl(ctx, from);
  return {
    issuer,
    authorization: `${issuer}/protocol/openid-connect/auth`,
    logout: `${issuer}/protocol/openid-connect/logout`,
    token: `${back}/token`,
    jwks: `${back}/certs`,
    userinfo: `${back}/userinfo`,
    /** The discovery document on the back channel (its `issuer` is still the public one). */
    discovery: `${backchannelRealmUrl(ctx, from)}/.well-known/openid-configuration`,
  };
}

/** The realm's admin REST API on the back channel (the group sync reads users, roles and groups there). */
export const adminRealmUrl = (ctx: BuildContext, from: string): string =>
  `${backchannelOrigin(ctx, from)}/admin/realms/${ctx.config.governance.realm}`;

/** Keycloak's name for a client's service-account user (ServiceAccountConstants.SERVICE_ACCOUNT_USER_PREFIX); its `preferred_username`. */
export const serviceAccountUsername = (clientId: string): string => `service-account-${clientId}`;

/**
 * The identity Trino's management endpoints act as over plain in-cluster HTTP (`management.user`:
 * Prometheus scraping /metrics). Trino checks it like any identity (ReadSystemInformation), so the
 * access model lets it read system information and nothing else.
 */
export const TRINO_MANAGEMENT_USER = 'trino-management';

/** The Secret a service reads its OIDC client credentials from, in its own namespace: keys `client-id`, `client-secret`. */
export const oidcSecretName = (service: string): string => `${service}-oidc`;
export const OIDC_SECRET_KEYS = ['client-id', 'client-secret'] as const;
/** The random value id of a client's secret, shared by the realm Secret and the consumer's Secret. */
export const oidcClientSecretId = (clientId: string): string => `keycloak/client/${clientId}`;

// Plans other layers use, derived where their service lives: the edge's forward-auth middlewares
// and routers, and the realm's OIDC clients. Those modules import this one back, so their top-level
// code reads none of its bindings (only their functions do, once called): whichever module loads
// first, every binding is defined before anything is built.
export { forwardAuthConfig } from './oauth2-proxy/forward-auth';
export { oidcClients } from './keycloak/clients';
export type { OidcClientPlan } from './keycloak/clients';
// The CA of Keycloak's back channel, for its clients: a CA-only Secret in the client's namespace
// (identityCa, undefined for an identity provider outside the platform), a volume with just that
// file, and for Java clients a PKCS12 trust store written at start (truststoreScript, jvmTrustOptions).
export { IDENTITY_CA_KEY, identityCa, identityCaVolume, jvmTrustOptions, TRUSTSTORE_TYPE, truststoreScript } from './keycloak/tls';
export type { IdentityCa } from './keycloak/tls';

// oauth2-proxy: sign-in for the services that have none of their own (`forward-auth` public hosts).
// Traefik asks it about every request to such a host (governance/oauth2-proxy/forward-auth.ts); it answers from
// an encrypted session cookie shared across the domain, and sends browsers without one through
// Keycloak. One confidential client (`oauth2-proxy`, governance/clients.ts) serves every protected
// host, each with its own callback, so one sign-in opens all hosts the user's roles allow.
// Stateless: the session lives in the cookie, so replicas need no shared store.
import { Construct } from 'constructs';
import { platformDeployment, platformService, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { publicHttpsPort } from '../../platform/routes';
import { randomValue } from '../../platform/secrets';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import {
  GROUPS_CLAIM,
  IdentityCa,
  identityCa,
  OAUTH2_PATH_PREFIX,
  OAUTH2_PROXY_PORTS,
  OAUTH2_PROXY_SERVICE,
  oidcEndpoints,
  oidcSecretName,
} from '../contract';
import { sessionCookieName } from './forward-auth';

/** The distroless `nonroot` user the image runs as (Makefile DOCKER_BUILD_RUNTIME_IMAGE gcr.io/distroless/static:nonroot). */
const OAUTH2_PROXY_USER = { uid: 65532, gid: 65532 };
const COOKIE_SECRET = `${OAUTH2_PROXY_SERVICE}-cookie`;
/** The client secret and cookie secret, as files (the --*-file flags), not in the environment. */
const SECRETS_DIR = '/etc/oauth2-proxy';
/**
 * oauth2-proxy needs 16, 24 or 32 bytes; 32 alphanumeric characters decode as base64url to 24
 * bytes, and would be taken raw as 32 otherwise (pkg/encryption/utils.go SecretBytes).
 */
const COOKIE_SECRET_LENGTH = 32;
/** Keycloak's CA, beside the secrets in SECRETS_DIR (the provider's back channel is HTTPS). */
const PROVIDER_CA_FILE = 'identity-ca.crt';

/**
 * How often the session is refreshed against Keycloak: a minute before the access token expires
 * (docs configuration/sessions: cookie_refresh := Access-Token lifespan - 1m), so no request
 * passes with a token about to lapse; half the lifespan for tokens of two minutes or less, and at
 * most half the SSO session, so a refresh always happens before the session ends.
 */
export function cookieRefreshSeconds(accessTokenSeconds: number, ssoMaxSeconds: number): number {
  const beforeExpiry = Math.max(accessTokenSeconds - 60, Math.ceil(accessTokenSeconds / 2));
  return Math.min(beforeExpiry, Math.floor(ssoMaxSeconds / 2));
}

/**
 * No documented minimum: the upstream chart ships `resources: {}` (oauth2-proxy/manifests,
 * helm/oauth2-proxy/values.yaml, whose commented example is 300Mi for busy sites). Sessions live in
 * cookies, not in the process, so a laptop's few sign-ins take a few tens of MiB.
 */
const SERVER_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '25m', memory: '48Mi', cpuLimit: '500m', memoryLimit: '96Mi' },
  medium: { replicas: 2, cpu: '50m', memory: '64Mi', cpuLimit: '1', memoryLimit: '128Mi' },
  large: { replicas: 3, cpu: '100m', memory: '128Mi', cpuLimit: '2', memoryLimit: '256Mi' },
};

function declare(): ServiceDeclaration {
  return withDefaults({
    name: OAUTH2_PROXY_SERVICE,
    layer: 'governance',
    description: 'oauth2-proxy: Keycloak sign-in and role checks for the public hosts Traefik protects with forward-auth',
    images: ['oauth2Proxy'],
    ports: [
      { ...OAUTH2_PROXY_PORTS.http, http: true },
      { ...OAUTH2_PROXY_PORTS.metrics, http: true },
    ],
    // Code redemption, keys, userinfo and refresh on Keycloak's in-cluster back channel: an edge
    // implied for the forward-auth provider (platform/graph.ts).
    // No publicHost: Traefik reaches it in-cluster, also for `/oauth2/` on every protected host.
    metrics: { port: OAUTH2_PROXY_PORTS.metrics.name, path: '/metrics' },
    resources: { server: SERVER_SIZING },
  });
}

const seconds = (s: number) => `${s}s`;

/** Every setting as a flag (docs configuration/overview, v7.15); the secrets are files from Secrets. */
export function oauth2ProxyArgs(ctx: BuildContext): string[] {
  const { config } = ctx;
  const oidc = oidcEndpoints(ctx, OAUTH2_PROXY_SERVICE);
  const ca = identityCa(ctx, OAUTH2_PROXY_SERVICE);
  const { accessTokenSeconds, ssoMaxSeconds } = config.governance.sessions;
  const cookieDomain = `.${config.domain}`;
  // A k3d cluster on a host port other than 443 puts the port in every URL the browser comes back to.
  const port = publicHttpsPort(config);
  const ports = port === 443 ? [] : [`${cookieDomain}:${port}`];
  return [
    `--http-address=0.0.0.0:${OAUTH2_PROXY_PORTS.http.port}`,
    `--metrics-address=0.0.0.0:${OAUTH2_PROXY_PORTS.metrics.port}`,
    `--proxy-prefix=${OAUTH2_PATH_PREFIX.replace(/\/$/, '')}`,
    '--provider=keycloak-oidc',
    `--provider-display-name=Keycloak (${config.governance.realm})`,
    // Tokens carry the public issuer; the browser goes to the public host, the server stays
    // in-cluster, so no endpoint is discovered through the edge (skip discovery needs login,
    // redeem and JWKS URLs; pkg/providers/providers.go).
    `--oidc-issuer-url=${oidc.issuer}`,
    '--skip-oidc-discovery=true',
    `--login-url=${oidc.authorization}`,
    `--redeem-url=${oidc.token}`,
    `--oidc-jwks-url=${oidc.jwks}`,
    `--profile-url=${oidc.userinfo}`,
    // Every provider call (redeem, keys, profile, validate) is HTTPS, trusting only Keycloak's CA.
    ...(ca ? [`--provider-ca-file=${SECRETS_DIR}/${PROVIDER_CA_FILE}`] : []),
    // After a refresh the new access token is checked here (providers/oidc.go ValidateSession).
    `--validate-url=${oidc.userinfo}`,
    '--code-challenge-method=S256',
    `--client-secret-file=${SECRETS_DIR}/client-secret`,
    `--cookie-secret-file=${SECRETS_DIR}/cookie-secret`,
    `--oidc-groups-claim=${GROUPS_CLAIM}`,
    // Who may pass is decided per host by role group (`allowed_groups`), not by e-mail domain.
    '--email-domain=*',
    // Behind Traefik: X-Forwarded-Host/Proto/Uri give the callback and return URLs. Only Traefik
    // can reach the port (the NetworkPolicy derived from the edge), so every forwarded header
    // comes from it; pod addresses are not known in advance to name in --trusted-proxy-ip.
    '--reverse-proxy=true',
    // Authenticated: 202 with the identity headers Traefik copies to the request (forward-auth.ts).
    '--upstream=static://202',
    '--set-xauthrequest=true',
    // Straight to Keycloak, without oauth2-proxy's own "Sign in with" page.
    '--skip-provider-button=true',
    `--whitelist-domain=${cookieDomain}`,
    ...ports.map((p) => `--whitelist-domain=${p}`),
    `--cookie-name=${sessionCookieName(config.prefix)}`,
    `--cookie-domain=${cookieDomain}`,
    '--cookie-secure=true',
    '--cookie-httponly=true',
    '--cookie-samesite=lax',
    // The session ends with the Keycloak SSO session at the latest, and is refreshed against
    // Keycloak before each access token expires, so a sign-out or disabled user there ends it here.
    `--cookie-expire=${seconds(ssoMaxSeconds)}`,
    `--cookie-refresh=${seconds(cookieRefreshSeconds(accessTokenSeconds, ssoMaxSeconds))}`,
    // Several hosts or tabs may start a sign-in at once; one CSRF cookie per flow keeps them apart.
    '--cookie-csrf-per-request=true',
    '--cookie-csrf-expire=5m',
    '--silence-ping-logging=true',
  ];
}

function buildSecrets(ctx: BuildContext): void {
  ctx.addSecret({
    name: COOKIE_SECRET,
    namespace: ctx.namespaceOf(OAUTH2_PROXY_SERVICE),
    service: OAUTH2_PROXY_SERVICE,
    data: { 'cookie-secret': randomValue(`${OAUTH2_PROXY_SERVICE}/cookie-secret`, COOKIE_SECRET_LENGTH) },
  });
}

function build(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  buildSecrets(ctx);
  const http = OAUTH2_PROXY_PORTS.http.name;
  // The OIDC client Secret is planned by Keycloak's realm (keys client-id, client-secret).
  const client = oidcSecretName(OAUTH2_PROXY_SERVICE);
  const ca: IdentityCa | undefined = identityCa(ctx, OAUTH2_PROXY_SERVICE);
  platformService(scope, ctx, self, { component: 'server', ports: [http, OAUTH2_PROXY_PORTS.metrics.name] });
  platformDeployment(scope, ctx, self, {
    component: 'server',
    user: OAUTH2_PROXY_USER,
    containers: [
      {
        name: 'oauth2-proxy',
        image: 'oauth2Proxy',
        args: oauth2ProxyArgs(ctx),
        // Flags can also come from OAUTH2_PROXY_<FLAG> (docs configuration/overview); the client id
        // is not secret but lives with the client secret, where the realm plans it.
        env: [secretEnv('OAUTH2_PROXY_CLIENT_ID', client, 'client-id')],
        ports: [http, OAUTH2_PROXY_PORTS.metrics.name],
        volumeMounts: [{ name: 'secrets', mountPath: SECRETS_DIR, readOnly: true }],
        // /ping answers while the process runs; /ready also checks the session store.
        readiness: { http: { path: '/ready', port: http }, periodSeconds: 10, timeoutSeconds: 2 },
        liveness: { http: { path: '/ping', port: http }, periodSeconds: 20, timeoutSeconds: 2 },
      },
    ],
    volumes: [
      {
        name: 'secrets',
        projected: {
          defaultMode: 0o440,
          sources: [
            { secret: { name: client, items: [{ key: 'client-secret', path: 'client-secret' }] } },
            { secret: { name: COOKIE_SECRET, items: [{ key: 'cookie-secret', path: 'cookie-secret' }] } },
            // The certificate only, never the key beside it in Keycloak's Secret.
            ...(ca ? [{ secret: { name: ca.secretName, items: [{ key: ca.key, path: PROVIDER_CA_FILE }] } }] : []),
          ],
        },
      },
    ],
  });
}

export const oauth2ProxyDefinition: ServiceDefinition = {
  name: OAUTH2_PROXY_SERVICE,
  enabled: () => true,
  declare,
  build,
};

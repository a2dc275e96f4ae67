// The Traefik side of forward-auth, derived from the public hosts: for every `forward-auth` service
// a forwardAuth middleware (the one its Ingress names, platform/routes.ts) that asks oauth2-proxy
// whether the browser's session may reach that service, and a router that sends `/oauth2/` on its
// host to oauth2-proxy, so the sign-in callback lands on the host being signed into.
//
// The middleware calls oauth2-proxy's catch-all path, which answers 202 from its static upstream
// for an allowed session, 302 to Keycloak for a browser without one (401 for an XHR), and 403 for a
// session outside the allowed groups. Traefik hands non-2xx answers to the client as they are
// (oauth2-proxy docs integrations/traefik, "ForwardAuth with static upstreams"). The other
// documented pattern, an `errors` middleware turning 401 into a sign-in redirect, would also catch
// the protected service's own 401s (LLDAP's UI answers its API calls with 401 until its own login)
// and redirect those in a loop.
import type { BuildContext } from '../../platform/context';
import { publicHostName, signInMiddleware } from '../../platform/routes';
import { allowedRolesOf, ServiceDeclaration } from '../../platform/service';
// The contract re-exports forwardAuthConfig, so this module is in an import cycle with it: its
// top-level code must not read the contract's bindings (functions may).
import { OAUTH2_PATH_PREFIX, OAUTH2_PROXY_BACKEND, OAUTH2_PROXY_PORTS, OAUTH2_PROXY_SERVICE, roleGroup } from '../contract';

/** The session cookie, shared by every protected host of the domain. */
export const sessionCookieName = (prefix: string): string => `_${prefix}_oauth2`;
/**
 * A session cookie over 4000 bytes is split into `<name>_0`, `<name>_1`, ... (oauth2-proxy
 * pkg/sessions/cookie/session_store.go). Keycloak tokens with groups make two parts usual; four
 * leave room.
 */
const SPLIT_COOKIE_PARTS = 4;

/**
 * What oauth2-proxy returns with `--set-xauthrequest` and the service receives. Traefik deletes
 * each listed header from the client's request before copying it from the answer, so a browser
 * cannot forge them (pkg/middlewares/auth/forward.go).
 */
export const IDENTITY_HEADERS = [
  'X-Auth-Request-User',
  'X-Auth-Request-Email',
  'X-Auth-Request-Groups',
  'X-Auth-Request-Preferred-Username',
] as const;

/** Above any Ingress route of the host, whose priority is the length of its rule (Traefik v3 routers). */
const OAUTH2_ROUTE_PRIORITY = 1000;

export const forwardAuthServices = (services: ServiceDeclaration[]): ServiceDeclaration[] =>
  services.filter((s) => s.publicHost?.signIn === 'forward-auth');

/** The groups-claim entries that may pass: the role groups of the host's allowed roles, every role by default. */
export function allowedGroups(prefix: string, decl: ServiceDeclaration): string[] {
  return allowedRolesOf(decl.publicHost!).map((role) => roleGroup(prefix, role));
}

const oauth2RouterName = (service: string): string => `oauth2-${service}`;

/** The forwardAuth middleware of one service. */
function signInMiddlewareFor(ctx: Pick<BuildContext, 'config' | 'connect'>, decl: ServiceDeclaration, edge: string) {
  const cookie = sessionCookieName(ctx.config.prefix);
  const groups = allowedGroups(ctx.config.prefix, decl).map(encodeURIComponent).join(',');
  return {
    forwardAuth: {
      // `allowed_groups` is read from the query of the request oauth2-proxy receives (oauthproxy.go checkAllowedGroups).
      address: `${ctx.connect(edge, OAUTH2_PROXY_SERVICE, OAUTH2_PROXY_PORTS.http.name).url()}/?allowed_groups=${groups}`,
      // The websecure entrypoint trusts no upstream proxy, so it has already replaced any
      // X-Forwarded-* a client sent; `true` keeps its values for oauth2-proxy, which builds the
      // callback and return URLs from them (Traefik v3.6 forwardauth docs, trustForwardHeader).
      trustForwardHeader: true,
      authResponseHeaders: [...IDENTITY_HEADERS],
      // A session refreshed during the check comes back as Set-Cookie on the 202; without this Traefik drops it.
      addAuthCookiesToResponse: [cookie, ...Array.from({ length: SPLIT_COOKIE_PARTS }, (_, i) => `${cookie}_${i}`)],
    },
  };
}

/**
 * Traefik's dynamic configuration for every `forward-auth` service, or undefined when there is
 * none (or no oauth2-proxy to ask), so no file is written.
 */
export function forwardAuthConfig(
  ctx: Pick<BuildContext, 'config' | 'services' | 'connect' | 'reaches'>,
  edge: string,
): object | undefined {
  const protectedServices = forwardAuthServices(ctx.services);
  if (!protectedServices.length || !ctx.reaches(OAUTH2_PROXY_SERVICE)) return undefined;
  const middlewares: Record<string, object> = {};
  const routers: Record<string, object> = {};
  for (const decl of protectedServices) {
    middlewares[signInMiddleware(decl.name)] = signInMiddlewareFor(ctx, decl, edge);
    const host = publicHostName(decl.publicHost!, ctx.config.domain);
    routers[oauth2RouterName(decl.name)] = {
      rule: `Host(\`${host}\`) && PathPrefix(\`${OAUTH2_PATH_PREFIX}\`)`,
      entryPoints: ['websecure'],
      service: OAUTH2_PROXY_BACKEND,
      priority: OAUTH2_ROUTE_PRIORITY,
      // The default certificate of the TLS store (tls.yml), like the Ingress routes.
      tls: {},
    };
  }
  return {
    http: {
      middlewares,
      routers,
      services: {
        // The Host header is passed on (the default): oauth2-proxy derives the callback from it.
        [OAUTH2_PROXY_BACKEND]: {
          loadBalancer: { servers: [{ url: ctx.connect(edge, OAUTH2_PROXY_SERVICE, OAUTH2_PROXY_PORTS.http.name).url() }] },
        },
      },
    },
  };
}

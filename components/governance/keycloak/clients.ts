// The OIDC clients the realm holds, derived from the service declarations: one confidential
// client per `native-oidc` service (its redirect paths on its own host), one for oauth2-proxy,
// through which every `forward-auth` service signs in (the callback on each protected host), and
// one per service acting as itself (`serviceAccount`): its sign-in client when it has one, else a
// client with the service account and no browser flow. oauth2-proxy serves a single client, and
// one client gives one sign-in for all protected hosts. A client whose service connects to a
// service with a client of its own carries that client in its tokens' audience.
import type { PlatformRole } from '../schema';
import type { PlatformConfig } from '../../../environments/schema';
import { effectiveEdges } from '../../platform/graph';
import { publicOrigin } from '../../platform/routes';
import { allowedRolesOf, ServiceDeclaration } from '../../platform/service';
// The contract re-exports oidcClients, so this module is in an import cycle with it: its top-level
// code must not read the contract's bindings (functions may).
import { OAUTH2_CALLBACK_PATH, OAUTH2_PROXY_SERVICE } from '../contract';

export interface OidcClientPlan {
  clientId: string;
  /** The service that holds the client secret (its `<service>-oidc` Secret). */
  service: string;
  /** The services whose users sign in through this client. */
  signsIn: string[];
  redirectUris: string[];
  webOrigins: string[];
  postLogoutRedirectUris: string[];
  /** Roles allowed to sign in, per service signing in through this client. */
  allowedRoles: Record<string, PlatformRole[]>;
  /** Users sign in through it (authorization code flow); off for a client that is only a machine identity. */
  browserSignIn: boolean;
  /** The client's own identity (client credentials grant), as the service declares it. */
  serviceAccount?: ServiceDeclaration['serviceAccount'];
  /** Other clients its access tokens name in `aud`: those of the services its service connects to. */
  audiences: string[];
}

export function oidcClients(config: PlatformConfig, services: ServiceDeclaration[]): OidcClientPlan[] {
  const clients = signInClients(config, services);
  for (const s of services) {
    if (!s.serviceAccount) continue;
    const own = clients.find((c) => c.service === s.name);
    if (own) own.serviceAccount = s.serviceAccount;
    else
      clients.push({
        clientId: s.name,
        service: s.name,
        signsIn: [],
        redirectUris: [],
        webOrigins: [],
        postLogoutRedirectUris: [],
        allowedRoles: {},
        browserSignIn: false,
        serviceAccount: s.serviceAccount,
        audiences: [],
      });
  }
  // A token sent to another service must name it (Trino: jwt.required-audience); the edges say who calls whom.
  for (const c of clients) {
    const decl = services.find((s) => s.name === c.service);
    const targets = decl ? effectiveEdges(decl, config, services).map((e) => e.to) : [];
    c.audiences = [...new Set(clients.filter((t) => t !== c && targets.includes(t.service)).map((t) => t.clientId))];
  }
  return clients;
}

function signInClients(config: PlatformConfig, services: ServiceDeclaration[]): OidcClientPlan[] {
  const clients: OidcClientPlan[] = [];
  const forwardAuth = services.filter((s) => s.publicHost?.signIn === 'forward-auth');
  for (const s of services) {
    const host = s.publicHost;
    if (host?.signIn !== 'native-oidc') continue;
    const origin = publicOrigin(config, host);
    clients.push({
      clientId: s.name,
      service: s.name,
      signsIn: [s.name],
      redirectUris: (host.redirectPaths ?? []).map((path) => `${origin}${path}`),
      webOrigins: [origin],
      postLogoutRedirectUris: [`${origin}/*`],
      allowedRoles: { [s.name]: allowedRolesOf(host) },
      browserSignIn: true,
      audiences: [],
    });
  }
  // The provider has its client whenever it runs, so it starts even before anything is protected.
  if (forwardAuth.length || services.some((s) => s.name === OAUTH2_PROXY_SERVICE)) {
    const origins = forwardAuth.map((s) => publicOrigin(config, s.publicHost!));
    clients.push({
      clientId: OAUTH2_PROXY_SERVICE,
      service: OAUTH2_PROXY_SERVICE,
      signsIn: forwardAuth.map((s) => s.name),
      redirectUris: origins.map((o) => `${o}${OAUTH2_CALLBACK_PATH}`),
      webOrigins: origins,
      postLogoutRedirectUris: origins.map((o) => `${o}/*`),
      allowedRoles: Object.fromEntries(forwardAuth.map((s) => [s.name, allowedRolesOf(s.publicHost!)])),
      browserSignIn: true,
      audiences: [],
    });
  }
  return clients;
}

// The service graph: declared edges plus the ones implied by declarations (a database use is an
// edge to its PostgreSQL instance, a bucket use an edge to the S3 gateway, a public host an edge
// from the edge proxy). Checked before anything is built.
import type { PlatformConfig } from '../../environments/schema';
import { postgresServiceName, POSTGRES_PORT, S3_PORT, S3_SERVICE } from '../storage/contract';
import { publicHostName } from './routes';
import type { EdgeDecl, ServiceDeclaration } from './service';

/** The service that terminates TLS and routes public hosts. */
export const EDGE_SERVICE = 'traefik';
/** The identity provider `native-oidc` services talk to on its back channel. */
export const IDENTITY_SERVICE = 'keycloak';
/** The back channel is TLS only: signing keys and tokens never cross the network in plain HTTP. */
export const IDENTITY_BACKCHANNEL_PORT = 'https';
/** The forward-auth provider the edge asks before routing to a `forward-auth` service. */
export const FORWARD_AUTH_SERVICE = 'oauth2-proxy';
export const FORWARD_AUTH_PORT = 'http';

export interface ExternalEndpoint {
  cidrs: string[];
  ports: number[];
}

/** A service the platform does not run, reached outside it: its base URL and the ranges it lives in. */
export interface ExternalService {
  url: string;
  cidrs: string[];
}
export type ExternalServices = Record<string, ExternalService>;

export function impliedEdges(
  decl: ServiceDeclaration,
  config: PlatformConfig,
  all: ServiceDeclaration[],
  external: ExternalServices = {},
): EdgeDecl[] {
  const edges: EdgeDecl[] = [];
  for (const db of decl.databases) {
    if (config.postgres[db.instance].mode === 'internal') edges.push({ to: postgresServiceName(db.instance), port: POSTGRES_PORT.name });
  }
  if (decl.buckets.length && config.objectStorage.mode === 'internal') edges.push({ to: S3_SERVICE, port: S3_PORT.name });
  // Every holder of an OIDC client (a native-oidc app, a machine identity, the forward-auth provider)
  // exchanges codes and fetches tokens and keys on the identity provider's back channel, in-cluster.
  // Missing providers are reported once, as the signing-in service's problem (graphProblems).
  const enabled = (name: string) => all.some((s) => s.name === name) || name in external;
  const holdsClient = decl.publicHost?.signIn === 'native-oidc' || decl.serviceAccount !== undefined || decl.name === FORWARD_AUTH_SERVICE;
  if (holdsClient && decl.name !== IDENTITY_SERVICE && enabled(IDENTITY_SERVICE))
    edges.push({ to: IDENTITY_SERVICE, port: IDENTITY_BACKCHANNEL_PORT });
  if (decl.name === EDGE_SERVICE && enabled(FORWARD_AUTH_SERVICE) && all.some((s) => s.publicHost?.signIn === 'forward-auth'))
    edges.push({ to: FORWARD_AUTH_SERVICE, port: FORWARD_AUTH_PORT });
  if (decl.name === EDGE_SERVICE)
    for (const target of all) {
      const host = target.publicHost;
      // A host on an undeclared port is reported once, as the target's problem.
      if (host && target.ports.some((p) => p.name === host.port)) edges.push({ to: target.name, port: host.port });
    }
  return edges;
}

export function impliedExternalEndpoints(decl: ServiceDeclaration, config: PlatformConfig): ExternalEndpoint[] {
  const out = [...decl.externalEndpoints];
  for (const db of decl.databases) {
    const instance = config.postgres[db.instance];
    if (instance.mode === 'external') out.push({ cidrs: instance.cidrs, ports: [instance.port] });
  }
  const s3 = config.objectStorage;
  if (decl.buckets.length && s3.mode === 'external') {
    const url = new URL(s3.endpoint);
    out.push({ cidrs: s3.cidrs, ports: [Number(url.port || (url.protocol === 'https:' ? 443 : 80))] });
  }
  return out;
}

const dedupe = (edges: EdgeDecl[]) => [...new Map(edges.map((e) => [`${e.to}:${e.port}`, e])).values()];

/** Every connection a service opens, declared or implied; an `ifEnabled` edge only while its target runs. */
export function effectiveEdges(
  decl: ServiceDeclaration,
  config: PlatformConfig,
  all: ServiceDeclaration[],
  external: ExternalServices = {},
): EdgeDecl[] {
  const declared = decl.edges.filter((e) => !e.ifEnabled || all.some((s) => s.name === e.to) || e.to in external);
  return dedupe([...declared, ...impliedEdges(decl, config, all, external)]);
}

/** Problems with the graph as a whole, each naming the service and what it refers to. */
export function graphProblems(services: ServiceDeclaration[], config: PlatformConfig, external: ExternalServices = {}): string[] {
  const problems: string[] = [];
  const byName = new Map<string, ServiceDeclaration>();
  for (const s of services) {
    if (byName.has(s.name)) problems.push(`service "${s.name}" is declared twice`);
    byName.set(s.name, s);
    const portNames = s.ports.map((p) => p.name);
    if (new Set(portNames).size !== portNames.length) problems.push(`service "${s.name}": port names repeat (${portNames.join(', ')})`);
    if (s.publicHost && !portNames.includes(s.publicHost.port))
      problems.push(`service "${s.name}": public host port "${s.publicHost.port}" is not one of its ports (${portNames.join(', ')})`);
    if (s.metrics && !portNames.includes(s.metrics.port))
      problems.push(`service "${s.name}": metrics port "${s.metrics.port}" is not one of its ports (${portNames.join(', ')})`);
  }
  const hosts = new Map<string, string>();
  for (const s of services) {
    for (const edge of effectiveEdges(s, config, services, external)) {
      const target = byName.get(edge.to);
      if (!target && edge.to in external) continue;
      if (!target)
        problems.push(
          `the ${s.layer} layer's "${s.name}" connects to "${edge.to}" (port "${edge.port}"), but no layer of this platform runs ` +
            `"${edge.to}" and no external endpoint is configured for it: add the layer that runs "${edge.to}", or give its endpoint as external.${edge.to}`,
        );
      else if (!target.ports.some((p) => p.name === edge.port))
        problems.push(`service "${s.name}": connects to "${edge.to}" on port "${edge.port}", which "${edge.to}" does not declare`);
    }
    if (!s.publicHost) continue;
    const other = hosts.get(s.publicHost.name);
    if (other) problems.push(`public host "${publicHostName(s.publicHost, config.domain)}" is claimed by both "${other}" and "${s.name}"`);
    hosts.set(s.publicHost.name, s.name);
    if (s.publicHost.signIn === 'forward-auth' && !byName.has(FORWARD_AUTH_SERVICE) && !(FORWARD_AUTH_SERVICE in external))
      problems.push(`service "${s.name}": signs in with forward-auth, but no forward-auth provider (${FORWARD_AUTH_SERVICE}) is enabled`);
    if (s.publicHost.signIn === 'native-oidc' && !byName.has(IDENTITY_SERVICE) && !(IDENTITY_SERVICE in external))
      problems.push(`service "${s.name}": signs in with native-oidc, but the identity provider (${IDENTITY_SERVICE}) is not enabled`);
    if (s.publicHost.signIn === 'native-oidc' && !s.publicHost.redirectPaths?.length)
      problems.push(`service "${s.name}": signs in with native-oidc but declares no redirectPaths for its OIDC client`);
    // Keycloak has no per-client role gate without custom flows: only oauth2-proxy enforces allowedRoles.
    if (s.publicHost.signIn === 'native-oidc' && s.publicHost.allowedRoles)
      problems.push(`service "${s.name}": allowedRoles is enforced only for forward-auth sign-in; a native-oidc service maps roles itself`);
    if (s.publicHost.signIn === 'none' && (s.publicHost.redirectPaths || s.publicHost.allowedRoles))
      problems.push(`service "${s.name}": declares redirectPaths or allowedRoles but its sign-in is "none"`);
  }
  if (services.some((s) => s.publicHost) && !byName.has(EDGE_SERVICE))
    problems.push(`public hosts are declared but the edge service "${EDGE_SERVICE}" is not enabled`);
  return problems;
}

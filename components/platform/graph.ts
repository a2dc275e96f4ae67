// The service graph: declared edges plus the ones implied by declarations (a database use is an
// edge to its PostgreSQL instance, a bucket use an edge to the S3 gateway, a public host an edge
// from the edge proxy). Checked before anything is built.
import type { PlatformConfig } from '../../environments/schema';
import { postgresServiceName, POSTGRES_PORT, S3_PORT, S3_SERVICE } from '../storage/contract';
import { publicHostName } from './routes';
import type { EdgeDecl, ServiceDeclaration } from './service';

/** The service that terminates TLS and routes public hosts. */
export const EDGE_SERVICE = 'traefik';

export interface ExternalEndpoint {
  cidrs: string[];
  ports: number[];
}

export function impliedEdges(decl: ServiceDeclaration, config: PlatformConfig, all: ServiceDeclaration[]): EdgeDecl[] {
  const edges: EdgeDecl[] = [];
  for (const db of decl.databases) {
    if (config.postgres[db.instance].mode === 'internal') edges.push({ to: postgresServiceName(db.instance), port: POSTGRES_PORT.name });
  }
  if (decl.buckets.length && config.objectStorage.mode === 'internal') edges.push({ to: S3_SERVICE, port: S3_PORT.name });
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

/** Every connection a service opens, declared or implied. */
export function effectiveEdges(decl: ServiceDeclaration, config: PlatformConfig, all: ServiceDeclaration[]): EdgeDecl[] {
  return dedupe([...decl.edges, ...impliedEdges(decl, config, all)]);
}

/** Problems with the graph as a whole, each naming the service and what it refers to. */
export function graphProblems(services: ServiceDeclaration[], config: PlatformConfig): string[] {
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
    for (const edge of effectiveEdges(s, config, services)) {
      const target = byName.get(edge.to);
      if (!target) problems.push(`service "${s.name}": connects to "${edge.to}", which is not enabled`);
      else if (!target.ports.some((p) => p.name === edge.port))
        problems.push(`service "${s.name}": connects to "${edge.to}" on port "${edge.port}", which "${edge.to}" does not declare`);
    }
    if (!s.publicHost) continue;
    const other = hosts.get(s.publicHost.name);
    if (other) problems.push(`public host "${publicHostName(s.publicHost, config.domain)}" is claimed by both "${other}" and "${s.name}"`);
    hosts.set(s.publicHost.name, s.name);
    if (s.publicHost.signIn === 'forward-auth' && !services.some((p) => p.name === 'oauth2-proxy'))
      problems.push(`service "${s.name}": signs in with forward-auth, but no forward-auth provider (oauth2-proxy) is enabled`);
  }
  if (services.some((s) => s.publicHost) && !byName.has(EDGE_SERVICE))
    problems.push(`public hosts are declared but the edge service "${EDGE_SERVICE}" is not enabled`);
  return problems;
}

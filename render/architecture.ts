// The architecture page (docs/architecture.md), generated from the platform model so it cannot drift
// from what is built: the layers, their services and every connection the graph allows (declared and
// implied edges, the same ones the network policies are derived from) as a Mermaid diagram and tables.
// `architectureDoc` is pure (a build in, Markdown out); `architectureReference` picks the inputs that
// `npm run docs` and the staleness test use. Nothing here loads Pulumi.
import type { PlatformBuild } from '../components/platform/build';
import { effectiveEdges } from '../components/platform/graph';
import { namespaceName, Placement, PLACEMENTS } from '../components/platform/layers';
import type { ServiceDeclaration } from '../components/platform/service';
import { loadPlatformConfig } from '../environments/load';
import { ENVIRONMENTS } from '../environments/schema';
import { buildPlatform } from '../stacks/build';
import { LAYER_DEFINITIONS } from '../stacks/charts';
import { COMPOSITIONS } from '../stacks/compositions';
import { loadEnvironment } from './render-environment';

/** One connection of the graph: `from` opens connections to `to` on its port `port`. */
export interface ArchitectureEdge {
  from: string;
  to: string;
  port: string;
  /** The port's number, when `to` runs in the platform. */
  portNumber?: number;
  /** `declared`: in the service's `edges`; `implied`: derived from its declaration (graph.ts). */
  kind: 'declared' | 'implied';
}

/** Which services one environment runs, from its configuration. */
export interface EnvironmentServices {
  environment: string;
  services: { name: string; layer: Placement; enabled: boolean }[];
}

const MERMAID_KEYWORDS = new Set([
  'end',
  'graph',
  'flowchart',
  'subgraph',
  'direction',
  'style',
  'class',
  'classDef',
  'click',
  'linkStyle',
]);

/** A Mermaid node id for a name: letters, digits and `_` only, never a keyword. */
export function mermaidId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, '_');
  return MERMAID_KEYWORDS.has(id) ? `${id}_` : id;
}

/** Text inside a quoted Mermaid label, with the characters Mermaid would read as syntax or HTML as entities. */
const mermaidText = (text: string): string => text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

/** Text inside a Markdown table cell. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Code-point order: the same on every machine, whatever its locale. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const layerIndex = (layer: Placement): number => PLACEMENTS.indexOf(layer);
const byLayerThenName = (a: { layer: Placement; name: string }, b: { layer: Placement; name: string }): number =>
  layerIndex(a.layer) - layerIndex(b.layer) || compare(a.name, b.name);

/** The services of a build, in layer order and by name within a layer. */
export function architectureServices(build: PlatformBuild): ServiceDeclaration[] {
  return build.services.map((s) => s.declaration).sort(byLayerThenName);
}

/** Every effective edge of a build, each marked declared or implied, by source, target and port. */
export function architectureEdges(build: PlatformBuild): ArchitectureEdge[] {
  const all = build.services.map((s) => s.declaration);
  const byName = new Map(all.map((d) => [d.name, d]));
  return architectureServices(build).flatMap((decl) =>
    effectiveEdges(decl, build.config, all, build.external)
      .map((edge): ArchitectureEdge => ({
        from: decl.name,
        to: edge.to,
        port: edge.port,
        portNumber: byName.get(edge.to)?.ports.find((p) => p.name === edge.port)?.port,
        kind: decl.edges.some((d) => d.to === edge.to && d.port === edge.port) ? 'declared' : 'implied',
      }))
      .sort((a, b) => compare(a.to, b.to) || compare(a.port, b.port)),
  );
}

/** `postgres:5432`, or the port name alone for a service outside the platform. */
export const edgeLabel = (edge: ArchitectureEdge): string =>
  edge.portNumber === undefined ? edge.port : `${edge.port}:${edge.portNumber}`;

/** The Mermaid line of an edge: solid when declared, dotted when implied. */
export const mermaidEdge = (edge: ArchitectureEdge): string =>
  `${mermaidId(edge.from)} ${edge.kind === 'declared' ? '-->' : '-.->'}|"${mermaidText(edgeLabel(edge))}"| ${mermaidId(edge.to)}`;

/** `federation.<domain>`: hosts are named by function, the domain is the environment's. */
const hostPattern = (decl: ServiceDeclaration): string | undefined => (decl.publicHost ? `${decl.publicHost.name}.<domain>` : undefined);

const signInOf = (decl: ServiceDeclaration): string => {
  const host = decl.publicHost;
  if (!host) return '';
  return host.signIn === 'forward-auth' && host.allowedRoles ? `forward-auth (${host.allowedRoles.join(', ')})` : host.signIn;
};

function mermaidDiagram(build: PlatformBuild, services: ServiceDeclaration[], edges: ArchitectureEdge[]): string[] {
  const ids = new Map<string, string>();
  const claim = (id: string, owner: string) => {
    const other = ids.get(id);
    if (other !== undefined && other !== owner)
      throw new Error(`architecture diagram: "${owner}" and "${other}" both become the Mermaid id "${id}"`);
    ids.set(id, owner);
  };
  for (const placement of PLACEMENTS) claim(placement, `the ${placement} layer`);
  const lines = ['```mermaid', 'flowchart LR'];
  for (const placement of PLACEMENTS) {
    lines.push(`  subgraph ${placement}["${placement} layer (${namespaceName(build.config.prefix, placement)})"]`);
    const members = services.filter((s) => s.layer === placement);
    for (const decl of members) {
      const id = mermaidId(decl.name);
      claim(id, decl.name);
      const host = hostPattern(decl);
      const label = host ? `${mermaidText(decl.name)}<br/>${mermaidText(host)}` : mermaidText(decl.name);
      lines.push(`    ${id}["${label}"]${host ? ':::public' : ''}`);
    }
    if (!members.length) {
      const id = `${placement}__none`;
      claim(id, `the ${placement} layer's placeholder`);
      lines.push(`    ${id}["no services"]:::empty`);
    }
    lines.push('  end');
  }
  const running = new Set(services.map((s) => s.name));
  const outside = [...new Set(edges.filter((e) => !running.has(e.to)).map((e) => e.to))].sort(compare);
  if (outside.length) {
    claim('external', 'the external subgraph');
    lines.push('  subgraph external["outside the platform (external endpoints)"]');
    for (const name of outside) {
      claim(mermaidId(name), name);
      lines.push(`    ${mermaidId(name)}["${mermaidText(name)}"]:::external`);
    }
    lines.push('  end');
  }
  for (const edge of edges) lines.push(`  ${mermaidEdge(edge)}`);
  lines.push(
    '  classDef public stroke-width:3px',
    '  classDef empty stroke-dasharray:4 4,fill:none,color:#888',
    '  classDef external stroke-dasharray:2 2',
    '```',
  );
  return lines;
}

function environmentTable(environments: EnvironmentServices[]): string[] {
  if (!environments.length) return [];
  const rows = new Map<string, { name: string; layer: Placement }>();
  for (const env of environments) for (const s of env.services) rows.set(s.name, { name: s.name, layer: s.layer });
  const lines = [
    '## Services per environment',
    '',
    "From each environment's profile and its committed `Pulumi.<env>.yaml`. A service without a mark is",
    "available but off in that environment's configuration.",
    '',
    `| layer | service | ${environments.map((e) => e.environment).join(' | ')} |`,
    `|---|---|${environments.map(() => '---').join('|')}|`,
  ];
  for (const row of [...rows.values()].sort(byLayerThenName)) {
    const marks = environments.map((e) => (e.services.some((s) => s.name === row.name && s.enabled) ? '✓' : ''));
    lines.push(`| ${row.layer} | \`${row.name}\` | ${marks.join(' | ')} |`);
  }
  return [...lines, ''];
}

/** The architecture page of a build (and, when given, which services each environment runs). */
export function architectureDoc(build: PlatformBuild, environments: EnvironmentServices[] = []): string {
  const services = architectureServices(build);
  const edges = architectureEdges(build);
  const lines = [
    '# Architecture',
    '',
    '<!-- Generated by `npm run docs` from the platform model (render/architecture.ts); do not edit. -->',
    '',
    `The layers of the platform, the services the \`${build.config.environment}\` environment runs in them with its default`,
    'configuration, and every connection the model allows between them. The edges are the ones the network',
    'policies at both ends are derived from (components/platform/graph.ts): what a service declares, plus what',
    'its declarations imply. A connection that is not drawn here is denied in the cluster.',
    '',
    'Legend:',
    '',
    '- one box per layer, labelled with its namespace; a layer without services shows a dashed "no services" box',
    '- a thick border: the service has a public host, `<function>.<domain>`, routed by the edge',
    '- solid arrow `-->`: an edge the service declares',
    '- dotted arrow `-.->`: an edge implied by its declarations: a database use to its PostgreSQL instance, a bucket use',
    "  to the S3 gateway, an OIDC client to the identity provider's back channel, the edge proxy to every public host",
    '  and to the forward-auth provider',
    '- arrow labels: the port name on the target service and its number',
    '',
    ...mermaidDiagram(build, services, edges),
    '',
    '## Services',
    '',
    '| layer | service | description | public host | sign-in |',
    '|---|---|---|---|---|',
  ];
  for (const placement of PLACEMENTS) {
    const members = services.filter((s) => s.layer === placement);
    if (!members.length) lines.push(`| ${placement} | _no services_ |  |  |  |`);
    for (const decl of members) {
      const host = hostPattern(decl);
      lines.push(
        `| ${placement} | \`${decl.name}\` | ${cell(decl.description)} | ${host ? `\`${host}\`` : ''} | ${cell(signInOf(decl))} |`,
      );
    }
  }
  lines.push('', '## Connections', '', '| from | to | port | edge |', '|---|---|---|---|');
  for (const edge of edges) lines.push(`| \`${edge.from}\` | \`${edge.to}\` | \`${edgeLabel(edge)}\` | ${edge.kind} |`);
  lines.push('', ...environmentTable(environments));
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/** Which services each environment runs, from its profile and committed stack file (no build, so no image lock needed). */
export function servicesByEnvironment(): EnvironmentServices[] {
  return ENVIRONMENTS.map((environment) => {
    const config = loadEnvironment(environment);
    return {
      environment,
      services: COMPOSITIONS[config.environment].layers.flatMap((placement) =>
        LAYER_DEFINITIONS[placement].services.map((d) => ({ name: d.name, layer: placement, enabled: d.enabled({ config }) })),
      ),
    };
  });
}

/** docs/architecture.md: the k3d environment with its default configuration (deterministic, no lock file), and every environment's services. */
export function architectureReference(): string {
  return architectureDoc(buildPlatform(loadPlatformConfig({ environment: 'k3d' })), servicesByEnvironment());
}

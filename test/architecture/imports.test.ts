// The import graph's architecture rules, read from the sources with the TypeScript compiler:
// (a) a file of one layer (components/<layer>/) imports another layer only through that layer's
//     contract.ts or schema.ts;
// (b) the platform model (components/platform/) imports no layer file other than a contract.ts or
//     schema.ts, and nothing under policies/;
// (c) the secure constructs (components/base/) import no layer file and nothing under policies/;
// (d) a layer file imports nothing under policies/ (an exemption annotation is components/base/exemption.ts).
// Every import counts, `import type` and `export ... from` included. A violation is listed as
// `<importer> -> <imported>`, repository-relative.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { PLACEMENTS } from '../../components/platform/layers';

const ROOT = path.join(__dirname, '../..');
const SCANNED = ['components', 'stacks', 'render', 'bin', 'policies', 'environments'];

export interface ImportEdge {
  from: string;
  to: string;
}

export type Rule = 'layer-through-contract' | 'platform-imports-no-service' | 'base-imports-no-layer' | 'layer-imports-no-policy';

const posix = (p: string): string => p.split(path.sep).join('/');

/** Every module specifier a source names: imports, `import type`, `export ... from`, `import x = require()`, `require()`, `import()` and `import('...').T`. */
export function moduleSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      out.push(node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) out.push(e.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      out.push(node.argument.literal.text);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      out.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The repository file a relative specifier names, or undefined; bare specifiers are packages (tsconfig has no `paths`). */
function resolveRelative(importer: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(importer), specifier);
  for (const candidate of [`${base}.ts`, `${base}.d.ts`, path.join(base, 'index.ts'), base])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return undefined;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** The import graph of the scanned folders, with the relative specifiers that name no file. */
export function importGraph(root: string = ROOT): { edges: ImportEdge[]; unresolved: string[] } {
  const edges: ImportEdge[] = [];
  const unresolved: string[] = [];
  for (const file of SCANNED.flatMap((d) => sourceFiles(path.join(root, d)))) {
    const from = posix(path.relative(root, file));
    for (const specifier of moduleSpecifiers(file, fs.readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (target) edges.push({ from, to: posix(path.relative(root, target)) });
      else unresolved.push(`${from} -> ${specifier}`);
    }
  }
  return { edges, unresolved };
}

const LAYER_FILE = /^components\/([^/]+)\/(.+)$/;
const PUBLIC_FILES = new Set(['contract.ts', 'schema.ts']);

/** The layer a file belongs to and its path inside the layer, for files under components/<layer>/. */
function layerFile(file: string, layers: readonly string[]): { layer: string; rest: string } | undefined {
  const m = LAYER_FILE.exec(file);
  return m && layers.includes(m[1]) ? { layer: m[1], rest: m[2] } : undefined;
}

/** The edges that break a rule, as `<importer> -> <imported>`, per rule. */
export function violations(edges: ImportEdge[], layers: readonly string[] = PLACEMENTS): Record<Rule, string[]> {
  const found: Record<Rule, string[]> = {
    'layer-through-contract': [],
    'platform-imports-no-service': [],
    'base-imports-no-layer': [],
    'layer-imports-no-policy': [],
  };
  const seen = new Set<string>();
  for (const { from, to } of edges) {
    const edge = `${from} -> ${to}`;
    if (seen.has(edge)) continue;
    seen.add(edge);
    const source = layerFile(from, layers);
    const target = layerFile(to, layers);
    const toPolicy = to.startsWith('policies/');
    const toPublic = target !== undefined && PUBLIC_FILES.has(target.rest);
    if (source && target && target.layer !== source.layer && !toPublic) found['layer-through-contract'].push(edge);
    if (source && toPolicy) found['layer-imports-no-policy'].push(edge);
    if (from.startsWith('components/platform/') && ((target && !toPublic) || toPolicy)) found['platform-imports-no-service'].push(edge);
    if (from.startsWith('components/base/') && (target || toPolicy)) found['base-imports-no-layer'].push(edge);
  }
  for (const list of Object.values(found)) list.sort();
  return found;
}

describe('the import checker', () => {
  it('reads imports, type imports, re-exports and dynamic imports', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "import * as c from './c';",
      "import './side-effect';",
      "export { d } from './d';",
      "export * from './e';",
      "export type { F } from './f';",
      "import g = require('./g');",
      "const h = require('./h');",
      "const i = import('./i');",
      "let j: import('./j').J;",
      'const k = require(`./k`);',
      'const dynamic = require(someName);',
    ].join('\n');
    expect(moduleSpecifiers('x.ts', text)).toEqual([
      './a',
      '../b',
      './c',
      './side-effect',
      './d',
      './e',
      './f',
      './g',
      './h',
      './i',
      './j',
      './k',
    ]);
  });

  it('flags a service importing another layer past its contract, and nothing allowed', () => {
    const edges: ImportEdge[] = [
      { from: 'components/edge/traefik/traefik.ts', to: 'components/governance/oauth2-proxy/forward-auth.ts' },
      { from: 'components/edge/traefik/traefik.ts', to: 'components/governance/contract.ts' },
      { from: 'components/edge/traefik/traefik.ts', to: 'components/edge/traefik/tls.ts' },
      { from: 'components/edge/traefik/traefik.ts', to: 'components/base/exemption.ts' },
      { from: 'components/edge/traefik/traefik.ts', to: 'policies/engine.ts' },
      { from: 'components/compute/layer.ts', to: 'components/storage/schema.ts' },
      { from: 'components/compute/trino/trino.ts', to: 'components/storage/polaris/polaris.ts' },
      { from: 'stacks/layers.ts', to: 'components/storage/polaris/polaris.ts' },
    ];
    expect(violations(edges)).toEqual({
      'layer-through-contract': [
        'components/compute/trino/trino.ts -> components/storage/polaris/polaris.ts',
        'components/edge/traefik/traefik.ts -> components/governance/oauth2-proxy/forward-auth.ts',
      ],
      'platform-imports-no-service': [],
      'base-imports-no-layer': [],
      'layer-imports-no-policy': ['components/edge/traefik/traefik.ts -> policies/engine.ts'],
    });
  });

  it('flags the platform importing a service or a policy, and base importing any layer file', () => {
    const edges: ImportEdge[] = [
      { from: 'components/platform/graph.ts', to: 'components/storage/contract.ts' },
      { from: 'components/platform/service.ts', to: 'components/governance/schema.ts' },
      { from: 'components/platform/pulumi/layer-resource.ts', to: 'components/governance/keycloak/keycloak.ts' },
      { from: 'components/platform/build.ts', to: 'policies/engine.ts' },
      { from: 'components/platform/build.ts', to: 'components/base/workload.ts' },
      { from: 'components/base/workload.ts', to: 'components/platform/context.ts' },
      { from: 'components/base/labels.ts', to: 'components/governance/contract.ts' },
      { from: 'components/base/labels.ts', to: 'policies/rules/types.ts' },
    ];
    expect(violations(edges)).toEqual({
      'layer-through-contract': [],
      'platform-imports-no-service': [
        'components/platform/build.ts -> policies/engine.ts',
        'components/platform/pulumi/layer-resource.ts -> components/governance/keycloak/keycloak.ts',
      ],
      'base-imports-no-layer': [
        'components/base/labels.ts -> components/governance/contract.ts',
        'components/base/labels.ts -> policies/rules/types.ts',
      ],
      'layer-imports-no-policy': [],
    });
  });
});

describe('the import graph', () => {
  const { edges, unresolved } = importGraph();
  const found = violations(edges);

  it('knows every layer folder under components/', () => {
    const folders = fs
      .readdirSync(path.join(ROOT, 'components'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !['platform', 'base'].includes(e.name))
      .map((e) => e.name);
    expect([...folders].sort()).toEqual([...PLACEMENTS].sort());
  });

  it('gives every layer its contract, schema slice, chart and Pulumi class', () => {
    const missing = PLACEMENTS.flatMap((layer) =>
      ['contract.ts', 'schema.ts', 'layer.ts', 'resource.ts']
        .map((file) => `components/${layer}/${file}`)
        .filter((file) => !fs.existsSync(path.join(ROOT, file))),
    );
    expect(missing).toEqual([]);
  });

  it('is read from the sources: every relative import names a file', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(unresolved).toEqual([]);
  });

  it('(a) a layer imports another layer only through its contract.ts or schema.ts', () => {
    expect(found['layer-through-contract']).toEqual([]);
  });

  it('(b) components/platform/ imports no service and no policy', () => {
    expect(found['platform-imports-no-service']).toEqual([]);
  });

  it('(c) components/base/ imports no layer file and no policy', () => {
    expect(found['base-imports-no-layer']).toEqual([]);
  });

  it('(d) a layer imports nothing under policies/', () => {
    expect(found['layer-imports-no-policy']).toEqual([]);
  });
});

// A light structural check of the Rego files (rego-engine.test.ts runs them in a real engine): the package
// and import lines, the rules the TypeScript mirror implements (both ways), the decision paths
// Trino and the assistant call, and that the rules stay data-driven (no role, group, catalog or
// operation knowledge in string literals beyond Trino's protocol).
import { ACCESS_DATA_PATH } from '../../../../components/governance/opa/access-model';
import { OPA_DECISIONS } from '../../../../components/governance/contract';
import { regoModules } from '../../../../components/governance/opa/opa';
import { MIRRORED_RULES } from './access-evaluator';

const modules = regoModules();
const packageOf = (source: string) => /^package ([a-z_.]+)$/m.exec(source)?.[1];
const byPackage = Object.fromEntries(Object.values(modules).map((source) => [packageOf(source), source]));
/** Lines outside comments. */
const code = (source: string) =>
  source
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
/** Names of rules and functions defined at the top level (a line starting with a name and a head). */
const definedRules = (source: string): Set<string> =>
  new Set(
    [...code(source).matchAll(/^(?:default )?([A-Za-z_][A-Za-z0-9_]*)(?:\(| :=| contains | if\b| =)/gm)]
      .map((m) => m[1])
      .filter((name) => !['package', 'import'].includes(name)),
  );

describe('the Rego modules', () => {
  it('are trino.rego, assistant.rego and system.authz.rego, each in the package of its name, importing rego.v1', () => {
    expect(Object.keys(modules)).toEqual(['assistant.rego', 'system.authz.rego', 'trino.rego']);
    for (const [file, source] of Object.entries(modules)) {
      expect([file, packageOf(source)]).toEqual([file, file.replace(/\.rego$/, '')]);
      expect([file, /^import rego\.v1$/m.test(source)]).toEqual([file, true]);
    }
  });

  it('define exactly the rules the TypeScript evaluator mirrors', () => {
    for (const pkg of Object.keys(MIRRORED_RULES) as (keyof typeof MIRRORED_RULES)[])
      expect([pkg, [...definedRules(byPackage[pkg])].sort()]).toEqual([pkg, [...MIRRORED_RULES[pkg]].sort()]);
  });

  it('answer every decision path of the contract with a rule of that package', () => {
    for (const decision of Object.values(OPA_DECISIONS)) {
      const [, , , pkg, rule] = decision.split('/');
      expect([decision, definedRules(byPackage[pkg] ?? '').has(rule)]).toEqual([decision, true]);
    }
  });

  it('deny by default', () => {
    for (const source of Object.values(modules)) expect(code(source)).toMatch(/^default allow := false$/m);
  });

  it('read their data at the path opa run mounts the compiled model on', () => {
    expect(code(byPackage.trino)).toMatch(new RegExp(`^model := data\\.${ACCESS_DATA_PATH}$`, 'm'));
    expect(code(byPackage.assistant)).toContain(`data.${ACCESS_DATA_PATH}.assistantGroups`);
  });

  it('hold no role, group, catalog or schema name: the only string literals are protocol fields and template markers', () => {
    const protocol = new Set([
      '*',
      'catalog',
      'schema',
      'read',
      'null',
      'targetResource',
      'FilterColumns',
      'GetRowFilters',
      'GetColumnMask',
      'POST',
      'GET',
    ]);
    const markers = new Set(['{type}', '{column}', '', '\\"', '\\"\\"', 'expression', 'index', 'viewExpression']);
    for (const [file, source] of Object.entries(modules)) {
      const literals = [...code(source).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
      const unexpected = literals.filter((l) => !protocol.has(l) && !markers.has(l));
      expect([file, unexpected]).toEqual([file, []]);
    }
  });

  it('are balanced in braces, brackets and parentheses and indented with tabs as opa fmt writes them', () => {
    for (const [file, source] of Object.entries(modules)) {
      const text = code(source).replace(/"((?:[^"\\]|\\.)*)"/g, '""');
      for (const [open, close] of ['{}', '[]', '()'])
        expect([file, open, text.split(open).length - text.split(close).length]).toEqual([file, open, 0]);
      expect([file, /^ +\S/m.test(text)]).toEqual([file, false]);
    }
  });
});

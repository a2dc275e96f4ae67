// Every rule has passing and failing fixtures, and each behaves: a failing fixture produces a
// finding of that rule, a passing one produces none. A rule without either fails this suite.
// So do the checks `check` runs beside the rules (schema, references), judged as `check` reads files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../components/platform/kube-object';
import { evaluate } from '../../policies/engine';
import { RULES } from '../../policies/registry';
import { contextForFixture } from './fixture-contexts';
import { packPolicies } from '../../policies/crossguard';
import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { validateResource, validateStack } from './crossguard-harness';
import { checkObjects, loadObjects } from '../../policies/check';
import { configFor } from '../helpers/build';

const PACK = packPolicies();

/** The type token the Kubernetes provider gives an object. */
const typeToken = (o: KubeObject) => {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['core', o.apiVersion];
  return `kubernetes:${group}/${version}:${o.kind}`;
};

/** As the engine passes them: Secret values wrapped as secrets. */
const asEngineProps = (o: KubeObject): Record<string, any> => {
  if (o.kind !== 'Secret') return o;
  const wrap = (data: Record<string, string> | undefined) =>
    data &&
    Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: v }]),
    );
  return { ...o, data: wrap(o.data as Record<string, string>), stringData: wrap(o.stringData as Record<string, string>) };
};

/** The findings the CrossGuard policy of a rule reports for a fixture. */
function throughCrossGuard(id: string, objects: KubeObject[], file: string): string[] {
  const rule = RULES.find((r) => r.id === id)!;
  const policy = PACK.find((p) => p.name === id)!;
  const config = contextForFixture(rule, file);
  if (rule.scope === 'object')
    return objects.flatMap((o) => validateResource(policy as ResourceValidationPolicy, typeToken(o), asEngineProps(o), config));
  return validateStack(
    policy as StackValidationPolicy,
    objects.map((o) => ({ type: typeToken(o), props: asEngineProps(o) })),
    config,
  ).map((f) => f.message);
}

const ROOT = path.join(__dirname, '../fixtures/policies');
const fixturesOf = (id: string) =>
  fs.existsSync(path.join(ROOT, id)) ? fs.readdirSync(path.join(ROOT, id)).filter((f) => f.endsWith('.yaml')) : [];
const load = (id: string, file: string): KubeObject[] =>
  parseAllDocuments(fs.readFileSync(path.join(ROOT, id, file), 'utf8'))
    .map((d) => d.toJSON())
    .filter(Boolean);

/** The checks `check` reports beside the rules. */
const CHECKS = ['schema', 'references'];

/**
 * The mandatory findings of a check for a fixture, read and judged as `npm run check` does (k3d):
 * a partial set, unless the file is named `<pass|fail>.complete.<case>.yaml` (--complete).
 */
function throughCheck(id: string, file: string): string[] {
  const complete = file.split('.').includes('complete');
  return checkObjects(loadObjects([path.join(ROOT, id, file)]), configFor('k3d'), { complete })
    .violations.filter((v) => v.rule === id && v.enforcement === 'mandatory')
    .map((v) => `${v.object}: ${v.message}`);
}

describe('policy fixtures', () => {
  it('exist for every rule and check: at least one passing and one failing', () => {
    const missing = [...RULES.map((r) => r.id), ...CHECKS].flatMap((id) => {
      const files = fixturesOf(id);
      return [
        ...(files.some((f) => f.startsWith('pass.')) ? [] : [`${id}: no pass.*.yaml`]),
        ...(files.some((f) => f.startsWith('fail.')) ? [] : [`${id}: no fail.*.yaml`]),
      ];
    });
    expect(missing).toEqual([]);
  });

  it('belong to rules or checks that exist', () => {
    const ids = new Set([...RULES.map((r) => r.id), ...CHECKS]);
    expect(fs.readdirSync(ROOT).filter((dir) => !ids.has(dir))).toEqual([]);
  });

  describe.each(CHECKS)('the %s check', (id) => {
    const files = fixturesOf(id);
    it.each(files.filter((f) => f.startsWith('fail.')))('flags %s with a mandatory finding', (file) => {
      expect(throughCheck(id, file).length).toBeGreaterThan(0);
    });
    it.each(files.filter((f) => f.startsWith('pass.')))('has no mandatory finding on %s', (file) => {
      expect(throughCheck(id, file)).toEqual([]);
    });
  });

  describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    const files = fixturesOf(id);
    it.each(files.filter((f) => f.startsWith('fail.')))('flags %s', (file) => {
      const found = evaluate(load(id, file), [rule], contextForFixture(rule, file)).violations.filter((v) => v.rule === id);
      expect(found.length).toBeGreaterThan(0);
    });
    it.each(files.filter((f) => f.startsWith('pass.')))('accepts %s', (file) => {
      expect(evaluate(load(id, file), [rule], contextForFixture(rule, file)).violations.filter((v) => v.rule === id)).toEqual([]);
    });
    it.each(files.filter((f) => f.startsWith('fail.')))('flags %s through the CrossGuard pack', (file) => {
      expect(throughCrossGuard(id, load(id, file), file).length).toBeGreaterThan(0);
    });
    it.each(files.filter((f) => f.startsWith('pass.')))('accepts %s through the CrossGuard pack', (file) => {
      expect(throughCrossGuard(id, load(id, file), file)).toEqual([]);
    });
  });
});

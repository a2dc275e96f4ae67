// Every rule has passing and failing fixtures, and each behaves: a failing fixture produces a
// finding of that rule, a passing one produces none. A rule without either fails this suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../components/platform/kube-object';
import { evaluate } from '../../policies/engine';
import { RULES } from '../../policies/registry';
import { contextForFixture } from './fixture-contexts';

const ROOT = path.join(__dirname, '../fixtures/policies');
const fixturesOf = (id: string) =>
  fs.existsSync(path.join(ROOT, id)) ? fs.readdirSync(path.join(ROOT, id)).filter((f) => f.endsWith('.yaml')) : [];
const load = (id: string, file: string): KubeObject[] =>
  parseAllDocuments(fs.readFileSync(path.join(ROOT, id, file), 'utf8'))
    .map((d) => d.toJSON())
    .filter(Boolean);

describe('policy fixtures', () => {
  it('exist for every rule: at least one passing and one failing', () => {
    const missing = RULES.flatMap((rule) => {
      const files = fixturesOf(rule.id);
      return [
        ...(files.some((f) => f.startsWith('pass.')) ? [] : [`${rule.id}: no pass.*.yaml`]),
        ...(files.some((f) => f.startsWith('fail.')) ? [] : [`${rule.id}: no fail.*.yaml`]),
      ];
    });
    expect(missing).toEqual([]);
  });

  it('belong to rules that exist', () => {
    const ids = new Set(RULES.map((r) => r.id));
    expect(fs.readdirSync(ROOT).filter((dir) => !ids.has(dir))).toEqual([]);
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
  });
});

// The decision corpus through the TypeScript mirror: every case's expected decision, over data that
// is the compiler's output. rego-engine.test.ts runs the same cases through a real Rego engine, so
// the mirror and the Rego are held to one set of answers.
import { ACCESS_DATA_PATH } from '../../../../components/governance/opa/access-model';
import { OPA_DECISIONS } from '../../../../components/governance/contract';
import { ACCESS_MODEL_FILE, comparison, loadCorpus, mirrorDecision, RULES } from './decision-corpus';
import { testModel } from './trino-requests';
import * as fs from 'node:fs';

const corpus = loadCorpus();

describe('the decision corpus', () => {
  it('runs over the access model the compiler makes from the test config (regenerate-access-model.ts rewrites it)', () => {
    expect(JSON.parse(fs.readFileSync(ACCESS_MODEL_FILE, 'utf8'))).toEqual({ [ACCESS_DATA_PATH]: testModel() });
  });

  it('names each case once', () => {
    const ids = corpus.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('expects only decisions the policies answer, and each case expects one', () => {
    for (const c of corpus) {
      expect([c.id, Object.keys(c.expect).length > 0]).toEqual([c.id, true]);
      expect([c.id, Object.keys(c.expect).filter((rule) => !(RULES as readonly string[]).includes(rule))]).toEqual([c.id, []]);
    }
  });

  it('answers every decision path of the contract, and OPA API authorization, both ways (true and false, empty and not)', () => {
    const paths = [...Object.values(OPA_DECISIONS).map((p) => `data.${p.split('/').slice(3).join('.')}`), 'data.system.authz.allow'];
    expect([...paths].sort()).toEqual([...RULES].sort());
    for (const rule of RULES) {
      const values = corpus.flatMap((c) => (rule in c.expect ? [c.expect[rule]] : []));
      const kinds = new Set(values.map((v) => (Array.isArray(v) ? v.length > 0 : v)));
      expect([rule, [...kinds].sort()]).toEqual([rule, [false, true]]);
    }
  });

  it('catches admins being filtered: admins in the groups that have row filters expect none', () => {
    const admin = corpus.filter(
      (c) =>
        c.expect['data.trino.rowFilters'] !== undefined &&
        c.input.context.identity.groups.includes('platform-admin') &&
        c.input.context.identity.groups.some((g: string) => ['platform-viewer', 'project-risk'].includes(g)),
    );
    expect(admin.length).toBeGreaterThanOrEqual(3);
    for (const c of admin) expect([c.id, c.expect['data.trino.rowFilters']]).toEqual([c.id, []]);
  });

  it.each(corpus.map((c) => [c.id, c] as const))('the mirror decides %s as expected', (_id, c) => {
    for (const { rule, expected, actual } of comparison(c, (rule) => mirrorDecision(rule, c)))
      expect([rule, actual]).toEqual([rule, expected]);
  });
});

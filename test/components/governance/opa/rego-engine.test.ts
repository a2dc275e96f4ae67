// The Rego itself in a real engine (regocheck, or OPA where the users' workflow installs it): the
// *_test.rego unit tests beside the policies, and every case of the decision corpus, whose expected
// answers decision-corpus.test.ts also holds the TypeScript mirror to. A scratch copy of trino.rego
// that lets row filters reach admins shows both can fail. In CI a missing engine fails this suite.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describeWithTools } from '../../../support/tools';
import { ACCESS_MODEL_FILE, comparison, CorpusCase, loadCorpus, RULES } from './decision-corpus';
import { definedTests, Engine, evaluateCases, findEngine, INSTALL_HINT, REGO_DIR, regoFiles, runRegoTests } from './rego-engine';

const engine = findEngine();
const corpus = loadCorpus();
const { policies, tests } = regoFiles(REGO_DIR);

const decide = (e: Engine, policyFiles: string[]) =>
  evaluateCases(
    e,
    policyFiles,
    corpus.map((c) => ({ data: c.data, input: c.input })),
    RULES,
  );

/** The cases whose engine answer differs from the expected one. */
const mismatches = (results: Record<string, unknown>[]): string[] =>
  corpus.flatMap((c: CorpusCase, i) =>
    comparison(c, (rule) => results[i][rule])
      .filter(({ expected, actual }) => !isDeepStrictEqual(expected, actual))
      .map(({ rule }) => `${c.id} (${rule})`),
  );

/** A copy of the Rego folder with one change to trino.rego; the change must apply. */
function mutatedRego(from: string, to: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rego-mutant-'));
  for (const file of [...policies, ...tests]) fs.copyFileSync(file, path.join(dir, path.basename(file)));
  const file = path.join(dir, 'trino.rego');
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes(from)) throw new Error(`trino.rego no longer contains ${JSON.stringify(from)}: update the mutation`);
  fs.writeFileSync(file, source.replace(from, to));
  return dir;
}

describeWithTools(
  [engine?.command ?? 'regocheck'],
  `the Rego in a real engine (${engine?.kind ?? 'none found'})`,
  () => {
    const e = engine!;

    it('passes every test_ rule of the *_test.rego files, and runs them all', () => {
      const run = runRegoTests(e, [...policies, ...tests], ACCESS_MODEL_FILE);
      expect({ failed: run.failed, output: run.failed.length ? run.output : '' }).toEqual({ failed: [], output: '' });
      expect(run.passed.sort()).toEqual(definedTests(tests).sort());
      expect(run.passed.length).toBeGreaterThanOrEqual(40);
    });

    describe('decides every corpus case as expected (the mirror is held to the same answers)', () => {
      let results: Record<string, unknown>[] = [];
      beforeAll(() => {
        results = decide(e, policies);
      });

      it.each(corpus.map((c, i) => [c.id, c, i] as const))('%s', (_id, c, i) => {
        for (const { rule, expected, actual } of comparison(c, (rule) => results[i][rule]))
          expect([rule, actual]).toEqual([rule, expected]);
      });
    });

    describe('fails on a trino.rego whose row filters reach admins (scratch copy without `not is_admin`)', () => {
      let dir = '';
      beforeAll(() => {
        dir = mutatedRego('\tnot is_admin\n\ttable := input.action.resource.table\n', '\ttable := input.action.resource.table\n');
      });
      afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

      it('in the corpus: exactly the cases of admins in filtered groups', () => {
        const mutant = regoFiles(dir);
        expect(mismatches(decide(e, mutant.policies))).toEqual([
          'admin.json: admin in the viewer and risk groups still gets no row filter (data.trino.rowFilters)',
          'row-filters.json: admin in the viewer group gets no filter (data.trino.rowFilters)',
          'row-filters.json: admin in the risk project gets no filter (data.trino.rowFilters)',
        ]);
      });

      it('in the Rego unit tests', () => {
        const mutant = regoFiles(dir);
        const run = runRegoTests(e, [...mutant.policies, ...mutant.tests], ACCESS_MODEL_FILE);
        expect(run.failed).toEqual(['trino_test.test_admin_gets_no_row_filter_even_in_the_role_and_project_groups_that_have_one']);
      });
    });
  },
  INSTALL_HINT,
);

// The decision corpus (test/fixtures/opa-decisions/cases): Trino, assistant and OPA API requests
// with the data they are decided over and the expected decision, run by both the TypeScript mirror
// (access-evaluator.ts) and a real Rego engine (rego-engine.ts). A case file holds
// {"about", "data": <data file, relative to it>, "cases": [{"name", "dataOverride"?, "input",
// "expect": {"data.<package>.<rule>": value}}]}; `dataOverride` replaces top-level keys of the
// access model for that case (a model the compiler would make from another config).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccessData } from '../../../../components/governance/opa/access-model';
import { ACCESS_DATA_PATH } from '../../../../components/governance/opa/access-model';
import { assistantPolicy, authzPolicy, trinoPolicy, TrinoInput } from './access-evaluator';

export const CORPUS_DIR = path.join(__dirname, '../../../fixtures/opa-decisions');
export const CASES_DIR = path.join(CORPUS_DIR, 'cases');
/** The data document the Rego unit tests and the corpus run over, as OPA loads it: `{"access_model": ...}`. */
export const ACCESS_MODEL_FILE = path.join(CORPUS_DIR, 'access-model.json');

/** The decisions a case may expect, by their path in OPA's data tree. */
export const RULES = [
  'data.trino.allow',
  'data.trino.batch',
  'data.trino.rowFilters',
  'data.trino.batchColumnMasks',
  'data.assistant.allow',
  'data.system.authz.allow',
] as const;
export type Rule = (typeof RULES)[number];

/** Decisions that are Rego sets: their order is not part of the answer. */
const SET_RULES: ReadonlySet<Rule> = new Set(['data.trino.batch', 'data.trino.rowFilters', 'data.trino.batchColumnMasks']);

export interface CorpusCase {
  /** `<case file>: <case name>`. */
  id: string;
  file: string;
  name: string;
  /** The whole data document (`{"access_model": ...}`), the override applied. */
  data: { [ACCESS_DATA_PATH]: AccessData };
  input: any;
  expect: Partial<Record<Rule, unknown>>;
}

const readJson = (file: string): any => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Every case of every case file, in file and case order. */
export function loadCorpus(): CorpusCase[] {
  const files = fs
    .readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.flatMap((file) => {
    const doc = readJson(path.join(CASES_DIR, file));
    const base = readJson(path.resolve(CASES_DIR, doc.data));
    return (doc.cases as any[]).map((c) => ({
      id: `${file}: ${c.name}`,
      file,
      name: c.name,
      data: { [ACCESS_DATA_PATH]: { ...base[ACCESS_DATA_PATH], ...(c.dataOverride ?? {}) } },
      input: c.input,
      expect: c.expect,
    }));
  });
}

/** Keys sorted at every level, so two equal JSON values print the same. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );

/** A decision as compared: sets in a fixed order, everything else as it is. */
export function normalize(rule: Rule, value: unknown): unknown {
  if (!SET_RULES.has(rule) || !Array.isArray(value)) return value;
  return [...value].sort((a, b) => (canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0));
}

/** One decision through the TypeScript mirror. */
export function mirrorDecision(rule: Rule, c: Pick<CorpusCase, 'data' | 'input'>): unknown {
  const model = c.data[ACCESS_DATA_PATH];
  switch (rule) {
    case 'data.assistant.allow':
      return assistantPolicy(model, c.input);
    case 'data.system.authz.allow':
      return authzPolicy(model, c.input);
    default:
      return trinoPolicy(model, c.input as TrinoInput)[
        rule.replace('data.trino.', '') as 'allow' | 'batch' | 'rowFilters' | 'batchColumnMasks'
      ];
  }
}

/** The rules a case expects, with the expected value and the one given, both normalized. */
export function comparison(c: CorpusCase, decide: (rule: Rule) => unknown): { rule: Rule; expected: unknown; actual: unknown }[] {
  return (Object.keys(c.expect) as Rule[]).map((rule) => ({
    rule,
    expected: normalize(rule, c.expect[rule]),
    actual: normalize(rule, decide(rule)),
  }));
}

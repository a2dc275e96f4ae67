// A real Rego engine for the tests: regocheck (regorus, built from ../shared/tools/regocheck by
// scripts/install-regocheck.sh, which .ci/run calls; $REGOCHECK names another binary) or, where
// that is absent and `opa` is installed (the users' GitHub workflow sets it up), OPA itself. Both
// run the *_test.rego files and evaluate corpus cases; the results come back in one shape.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Rule } from './decision-corpus';

export interface Engine {
  kind: 'regocheck' | 'opa';
  /** A command name on PATH or a path to the binary. */
  command: string;
}

export const REGO_DIR = path.join(__dirname, '../../../../components/governance/opa/rego');
export const INSTALL_HINT = 'bash scripts/install-regocheck.sh, as .ci/run does; or an `opa` binary on PATH';

const onPath = (tool: string): boolean => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0;

/** regocheck ($REGOCHECK, else on PATH), else OPA on PATH; undefined when there is neither. */
export function findEngine(): Engine | undefined {
  if (process.env.REGOCHECK) return { kind: 'regocheck', command: process.env.REGOCHECK };
  if (onPath('regocheck')) return { kind: 'regocheck', command: 'regocheck' };
  if (onPath('opa')) return { kind: 'opa', command: 'opa' };
  return undefined;
}

/** The .rego files of a folder, policies and tests: [policies, tests]. */
export function regoFiles(dir: string): { policies: string[]; tests: string[] } {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.rego'))
    .sort()
    .map((f) => path.join(dir, f));
  return { policies: files.filter((f) => !f.endsWith('_test.rego')), tests: files.filter((f) => f.endsWith('_test.rego')) };
}

/** The test rules the test files define, as `<package>.<rule>` (what the engine must report as run). */
export function definedTests(testFiles: string[]): string[] {
  return testFiles.flatMap((file) => {
    const source = fs.readFileSync(file, 'utf8');
    const pkg = /^package (\S+)$/m.exec(source)?.[1];
    return [...new Set([...source.matchAll(/^(test_[A-Za-z0-9_]+)/gm)].map((m) => `${pkg}.${m[1]}`))];
  });
}

function run(engine: Engine, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(engine.command, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${engine.command} ${args[0]}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface TestRun {
  passed: string[];
  failed: string[];
  /** What the engine printed, for the failure message. */
  output: string;
}

/** Runs the test_* rules of the files over the data file (`regocheck test` or `opa test`). */
export function runRegoTests(engine: Engine, files: string[], dataFile: string): TestRun {
  if (engine.kind === 'regocheck') {
    const { stdout, stderr } = run(engine, ['test', '-d', dataFile, ...files]);
    const named = (prefix: string) =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith(`${prefix} data.`))
        .map((line) => line.slice(`${prefix} data.`.length).split(':')[0]);
    return { passed: named('PASS'), failed: named('FAIL'), output: stdout + stderr };
  }
  const { stdout, stderr } = run(engine, ['test', '--format=json', ...files, dataFile]);
  let results: { package: string; name: string; fail?: boolean; error?: unknown; skip?: boolean }[] = [];
  try {
    results = JSON.parse(stdout);
  } catch {
    // A compile error prints no JSON: no test ran, and the output says why.
  }
  const id = (r: { package: string; name: string }) => `${r.package.replace(/^data\./, '')}.${r.name}`;
  return {
    passed: results.filter((r) => !r.fail && !r.error && !r.skip).map(id),
    failed: results.filter((r) => r.fail || r.error).map(id),
    output: stdout + stderr,
  };
}

export interface EngineCase {
  data: unknown;
  input: unknown;
}

/** The value of each rule for each case, as the engine gives it; an undefined decision is `{"undefined": true}`. */
export function evaluateCases(engine: Engine, policies: string[], cases: EngineCase[], rules: readonly Rule[]): Record<string, unknown>[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rego-engine-'));
  try {
    const datas = [...new Set(cases.map((c) => JSON.stringify(c.data)))];
    if (engine.kind === 'regocheck') {
      // One process for every case: regocheck batch loads the policies once per data document.
      const spec = {
        datas: datas.map((d) => JSON.parse(d)),
        rules,
        cases: cases.map((c) => ({ d: datas.indexOf(JSON.stringify(c.data)), input: c.input })),
      };
      const specFile = path.join(tmp, 'spec.json');
      fs.writeFileSync(specFile, JSON.stringify(spec));
      const { status, stdout, stderr } = run(engine, ['batch', '-i', specFile, ...policies]);
      if (status !== 0) throw new Error(`regocheck batch failed (${status}): ${stderr}`);
      return JSON.parse(stdout);
    }
    // OPA: one `opa eval` per data document, the inputs beside the data and a module that decides
    // each of them, every decision in a comprehension so an undefined one comes back as [].
    const runner = path.join(tmp, 'corpus_run.rego');
    const row = rules.map((rule) => `\t${JSON.stringify(rule)}: [v | v := ${rule} with input as case_input]`).join(',\n');
    fs.writeFileSync(
      runner,
      `package corpus_run\n\nimport rego.v1\n\nrow(case_input) := {\n${row}\n}\n\nresults := [row(c) | some c in data.corpus_inputs]\n`,
    );
    const results: Record<string, unknown>[] = new Array(cases.length);
    datas.forEach((data, d) => {
      const indexes = cases.flatMap((c, i) => (JSON.stringify(c.data) === data ? [i] : []));
      const dataFile = path.join(tmp, `data-${d}.json`);
      fs.writeFileSync(dataFile, JSON.stringify({ ...JSON.parse(data), corpus_inputs: indexes.map((i) => cases[i].input) }));
      const files = [...policies, runner, dataFile].flatMap((file) => ['--data', file]);
      const { status, stdout, stderr } = run(engine, ['eval', '--format=json', ...files, 'data.corpus_run.results']);
      if (status !== 0) throw new Error(`opa eval failed (${status}): ${stderr}`);
      const rows: Record<string, unknown[]>[] = JSON.parse(stdout).result[0].expressions[0].value;
      indexes.forEach((i, k) => {
        results[i] = Object.fromEntries(rules.map((rule) => [rule, rows[k][rule].length ? rows[k][rule][0] : { undefined: true }]));
      });
    });
    return results;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// npm run check -- <dir or files...> [--env <env>] [--config <stack file>] [--complete] [--format table|json] [--output <file>]
// npm run check -- --list-rules [--format table|json] [--output <file>]
// Exit 1 when any mandatory finding remains.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkObjects, formatTable, loadObjects, yamlFiles } from '../policies/check';
import type { PolicyReport, Violation } from '../policies/engine';
import { RULES } from '../policies/registry';
import { PROVIDED_OUTSIDE } from '../policies/validation/references';
import type { Severity } from '../policies/rules/types';
import { ENVIRONMENTS } from '../environments/schema';
import { loadEnvironment } from '../render/render-environment';
import { runCli } from './cli';

const USAGE = `Usage: npm run check -- <dir or files...> [--env <${ENVIRONMENTS.join('|')}>] [--config <stack file>] [--complete] [--format table|json] [--output <file>]
       npm run check -- --list-rules [--format table|json] [--output <file>]

Checks Kubernetes YAML (a render, or any manifests) against the Kubernetes schema, the references
between objects and every policy rule of the environment. Exits 1 when a mandatory finding remains.

Options:
  --env <name>       the environment whose enforcement applies: ${ENVIRONMENTS.join(', ')} (default k3d)
  --config <file>    the stack file with overrides (default Pulumi.<env>.yaml when it exists)
  --format <f>       table (default; findings sorted by severity) or json (only JSON on stdout:
                     { rules, counts, violations })
  --output <file>    write the report to this file instead of stdout (stdout gets the counts);
                     an existing file is replaced only when it is an earlier report
  --complete         the files are the whole deployment (as the platform's render is). Without it
                     they are a partial set, and a missing object of a kind the cluster or an
                     operator may provide is advisory (mandatory with --complete):
                     ${Object.keys(PROVIDED_OUTSIDE).join(', ')}.
                     Other missing references (ConfigMaps, Services, ServiceAccounts, claims,
                     Roles) are mandatory either way. See docs/policies.md, "Partial sets".
  --list-rules       list the rules with their metadata instead of checking
  -h, --help         show this help`;

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low'];

/** Most severe first; mandatory before advisory; then by rule and object, so reports diff well. */
export function sortFindings(violations: Violation[]): Violation[] {
  return [...violations].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      Number(b.enforcement === 'mandatory') - Number(a.enforcement === 'mandatory') ||
      a.rule.localeCompare(b.rule) ||
      a.object.localeCompare(b.object) ||
      a.message.localeCompare(b.message),
  );
}

function counts(report: PolicyReport) {
  const mandatory = report.violations.filter((v) => v.enforcement === 'mandatory').length;
  return {
    findings: report.violations.length,
    mandatory,
    advisory: report.violations.length - mandatory,
    bySeverity: Object.fromEntries(SEVERITY_ORDER.map((s) => [s, report.violations.filter((v) => v.severity === s).length])),
  };
}

/** Whether a file holds a report this command wrote earlier (so replacing it loses nothing of the user's). */
function isEarlierReport(text: string): boolean {
  try {
    const json = JSON.parse(text);
    return Boolean(json) && typeof json === 'object' && (Array.isArray(json.violations) || Array.isArray(json.rules));
  } catch {
    const first = text.split('\n', 1)[0];
    return /^(ENFORCEMENT +SEVERITY +RULE|no findings \()/.test(first) || RULES.some((r) => first.startsWith(`${r.id} `));
  }
}

/** Refuses an --output that is a directory, lies in no directory, or is a file of the user's. */
function checkOutput(file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new Error(`--output: "${file}": the directory "${dir}" does not exist; create it or choose another path`);
  if (!fs.existsSync(file)) return;
  if (fs.statSync(file).isDirectory()) throw new Error(`--output: "${file}" is a directory; expected a file path for the report`);
  if (!isEarlierReport(fs.readFileSync(file, 'utf8')))
    throw new Error(`--output: "${file}" exists and is not an earlier check report; choose another path or remove it yourself`);
}

runCli(
  {
    name: 'check',
    usage: USAGE,
    options: { env: 'value', config: 'value', format: 'value', output: 'value', complete: 'flag', 'list-rules': 'flag' },
    positionals: 'any',
  },
  (args) => {
    const format = args.format ?? 'table';
    if (format !== 'table' && format !== 'json') throw new Error(`--format: received "${format}"; expected "table" or "json"`);
    if (args.output) checkOutput(args.output);
    const emit = (text: string, summary: string) => {
      if (!args.output) return console.log(text);
      fs.writeFileSync(args.output, `${text}\n`);
      console.log(`${summary}; report written to ${args.output}`);
    };
    if (args['list-rules']) {
      if (args._.length) throw new Error(`${args._[0]}: unexpected argument; --list-rules takes no files`);
      const rules = RULES.map(({ id, title, rationale, severity, category, controls, enforcement, scope }) => ({
        id,
        title,
        rationale,
        severity,
        category,
        scope,
        controls,
        enforcement,
      }));
      emit(
        format === 'json'
          ? JSON.stringify({ rules }, null, 2)
          : rules.map((r) => `${r.id.padEnd(40)} ${r.severity.padEnd(8)} ${r.title}`).join('\n'),
        `${rules.length} rules`,
      );
      return;
    }
    if (!args._.length) throw new Error('give the YAML files or directories to check, e.g. `npm run check -- dist/k3d --env k3d`');
    const config = loadEnvironment(args.env ?? 'k3d', args.config);
    const checked = checkObjects(loadObjects(yamlFiles(args._)), config, { complete: args.complete === true });
    const report = { rules: checked.rules, counts: counts(checked), violations: sortFindings(checked.violations) };
    emit(
      format === 'json' ? JSON.stringify(report, null, 2) : formatTable(report),
      `${report.counts.mandatory} mandatory, ${report.counts.advisory} advisory (${report.rules} checks)`,
    );
    if (report.counts.mandatory) process.exitCode = 1;
  },
);

// npm run check -- <dir or files...> [--env <env>] [--config <stack file>] [--format table|json]
// npm run check -- --list-rules [--format json]
// Exit 1 when any mandatory finding remains.
import { checkObjects, formatTable, loadObjects, yamlFiles } from '../policies/check';
import { RULES } from '../policies/registry';
import { loadEnvironment } from '../render/render-environment';
import { parseArgs, runCli } from './cli';

runCli(() => {
  const argv = process.argv.slice(2);
  const listRules = argv.includes('--list-rules');
  const args = parseArgs(
    argv.filter((a) => a !== '--list-rules'),
    { env: true, config: true, format: true },
  );
  const format = args.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new Error(`--format: received "${format}"; expected "table" or "json"`);
  if (listRules) {
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
    console.log(
      format === 'json'
        ? JSON.stringify({ rules }, null, 2)
        : rules.map((r) => `${r.id.padEnd(40)} ${r.severity.padEnd(8)} ${r.title}`).join('\n'),
    );
    return;
  }
  if (!args._.length) throw new Error('give the YAML files or directories to check, e.g. `npm run check -- dist/k3d --env k3d`');
  const config = loadEnvironment(args.env ?? 'k3d', args.config);
  const report = checkObjects(loadObjects(yamlFiles(args._)), config);
  console.log(format === 'json' ? JSON.stringify(report, null, 2) : formatTable(report));
  if (report.violations.some((v) => v.enforcement === 'mandatory')) process.exitCode = 1;
});

// `check`: schema validation, reference checks and every rule over any Kubernetes YAML. Problems
// from the schema and reference checks are reported as mandatory findings of the `schema` and
// `references` checks, beside the rules' own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../components/platform/kube-object';
import type { PlatformConfig } from '../environments/schema';
import { policyContextFor } from './context';
import { evaluate, PolicyReport, Violation } from './engine';
import { RULES } from './registry';
import { checkReferences } from './validation/references';
import { validateSchema } from './validation/schema';

/** Every YAML file under the given paths (directories are walked). */
export function yamlFiles(paths: string[]): string[] {
  return paths.flatMap((p) => {
    if (!fs.existsSync(p)) throw new Error(`${p}: no such file or directory`);
    if (!fs.statSync(p).isDirectory()) return [p];
    return fs
      .readdirSync(p, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => (e.isDirectory() ? yamlFiles([path.join(p, e.name)]) : /\.ya?ml$/.test(e.name) ? [path.join(p, e.name)] : []));
  });
}

/** Kubernetes objects in the files; other YAML (kustomizations, k3d configs) is skipped. */
export function loadObjects(files: string[]): KubeObject[] {
  return files.flatMap((file) =>
    parseAllDocuments(fs.readFileSync(file, 'utf8')).flatMap((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
      const value = doc.toJSON();
      const isObject =
        value && typeof value === 'object' && typeof value.apiVersion === 'string' && typeof value.kind === 'string' && value.metadata;
      const foreign = isObject && /(^|\.)(kustomize\.config\.k8s\.io|k3d\.io)\//.test(value.apiVersion);
      return isObject && !foreign ? [value as KubeObject] : [];
    }),
  );
}

export function checkObjects(objects: KubeObject[], config: PlatformConfig): PolicyReport {
  const problem = (rule: 'schema' | 'references', object: string, message: string): Violation => ({
    rule,
    severity: 'high',
    enforcement: 'mandatory',
    object,
    message,
  });
  const ctx = policyContextFor(config);
  const report = evaluate(objects, RULES, ctx);
  const schema = validateSchema(objects).map((p) => problem('schema', p.object, `${p.path}: ${p.message}`));
  const references = checkReferences(objects, {
    storageClasses: Object.values(config.storageClasses),
    externalSecrets: ctx.externalSecrets,
  }).map((p) => problem('references', p.object, `${p.path ? `${p.path}: ` : ''}${p.message}`));
  return { rules: report.rules + 2, violations: [...schema, ...references, ...report.violations] };
}

export function formatTable(report: PolicyReport): string {
  if (!report.violations.length) return `no findings (${report.rules} checks)`;
  const rows = report.violations.map((v) => [
    v.enforcement,
    v.severity,
    v.rule,
    v.object,
    v.message + (v.exemption ? ` [exempted: ${v.exemption}]` : ''),
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 4));
  const line = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
  const mandatory = report.violations.filter((v) => v.enforcement === 'mandatory').length;
  return [
    line(['ENFORCEMENT', 'SEVERITY', 'RULE', 'OBJECT', 'MESSAGE']),
    ...rows.map(line),
    '',
    `${mandatory} mandatory, ${report.violations.length - mandatory} advisory (${report.rules} checks)`,
  ].join('\n');
}

// `check`: schema validation, reference checks and every rule over any Kubernetes YAML. Problems
// from the schema and reference checks are reported as findings of the `schema` and `references`
// checks, beside the rules' own, and are mandatory with one exception: a set of manifests is partial
// unless told otherwise (--complete), and a reference to a missing object the cluster or an operator
// may provide outside it (validation/references.ts PROVIDED_OUTSIDE: Namespaces, IngressClasses,
// StorageClasses, PriorityClasses, ClusterRoles, Secrets) is then advisory. The platform checks its
// own render with --complete, where those are mandatory too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../components/platform/kube-object';
import type { PlatformConfig } from '../environments/schema';
import { policyContextFor } from './context';
import { evaluate, PolicyReport, providedNote, Violation } from './engine';
import { RULES } from './registry';
import { checkReferences } from './validation/references';
import { isObj, objectId, validateSchema } from './validation/schema';

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

/**
 * Configuration files of tools, written like Kubernetes objects but never sent to an API server:
 * kustomizations and component configs (*.config.k8s.io), k3d, kind and kubeadm cluster configs,
 * audit policies, Skaffold configs and kubeconfigs (v1 Config).
 */
const isToolConfig = (apiVersion: string, kind: string) =>
  /^(?:[a-z0-9-]+\.)*(?:config\.k8s\.io|k3d\.io|kind\.x-k8s\.io|kubeadm\.k8s\.io|audit\.k8s\.io)\/|^skaffold\//.test(apiVersion) ||
  (apiVersion === 'v1' && kind === 'Config');

/** Where each loaded object came from ("dir/app.yaml, document 2"), to name objects that have no name. */
const SOURCES = new WeakMap<object, string>();

/**
 * The Kubernetes objects in the files. Every YAML document with an apiVersion or a kind is one,
 * judged and validated whatever else it lacks (metadata, name, apiVersion): none is dropped. The
 * items of a List (`kubectl get -o yaml`) are objects of their own. Skipped: empty documents, tool
 * configuration (isToolConfig) and documents with neither apiVersion nor kind (Helm values, other YAML).
 */
export function loadObjects(files: string[]): KubeObject[] {
  return files.flatMap((file) =>
    parseAllDocuments(fs.readFileSync(file, 'utf8')).flatMap((doc, i, docs) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
      const source = docs.length > 1 ? `${file}, document ${i + 1}` : file;
      const objectsIn = (value: unknown, at: string): KubeObject[] => {
        if (!isObj(value) || (value.apiVersion === undefined && value.kind === undefined)) return [];
        if (typeof value.apiVersion === 'string' && typeof value.kind === 'string') {
          if (isToolConfig(value.apiVersion, value.kind)) return [];
          if (/List$/.test(value.kind) && Array.isArray(value.items) && value.spec === undefined)
            return value.items.flatMap((item, j) => objectsIn(item, `${at}, items[${j}]`));
        }
        SOURCES.set(value, at);
        return [value as KubeObject];
      };
      return objectsIn(doc.toJSON(), source);
    }),
  );
}

/** Whether the object names what it is: apiVersion and kind as strings. Others are reported, not judged. */
const isTyped = (o: KubeObject) => typeof o.apiVersion === 'string' && typeof o.kind === 'string';

const isNamed = (o: KubeObject) => isObj(o.metadata) && typeof o.metadata.name === 'string' && o.metadata.name !== '';

/** The name an unnamed object is reported under: where it came from, when it was loaded from a file. */
const unnamed = (o: KubeObject) => `<unnamed${SOURCES.has(o) ? `, ${SOURCES.get(o)}` : ''}>`;

/** objectId, tolerant of objects without metadata, name, apiVersion or kind. */
function displayId(o: KubeObject): string {
  if (isNamed(o) && isTyped(o)) return objectId(o);
  const ns = isObj(o.metadata) && typeof o.metadata.namespace === 'string' ? `${o.metadata.namespace}/` : '';
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '<no apiVersion>';
  const kind = typeof o.kind === 'string' ? o.kind : '<no kind>';
  return `${apiVersion} ${kind} ${ns}${isNamed(o) ? o.metadata.name : unnamed(o)}`;
}

export interface CheckOptions {
  /**
   * The objects are the whole deployment (the platform's render, `--complete`): a reference to an
   * object the cluster may provide (PROVIDED_OUTSIDE) that is not among them is mandatory, like any
   * other. Default: a partial set, where such references are advisory.
   */
  complete?: boolean;
}

export function checkObjects(objects: KubeObject[], config: PlatformConfig, { complete = false }: CheckOptions = {}): PolicyReport {
  const problem = (rule: 'schema' | 'references', object: string, message: string, provided?: string): Violation =>
    provided && !complete
      ? { rule, severity: 'low', enforcement: 'advisory', object, message: `${message} ${providedNote(provided)}` }
      : { rule, severity: 'high', enforcement: 'mandatory', object, message };
  const ctx = { ...policyContextFor(config), partial: !complete };
  // Rules read metadata.name: an object without one is judged under a name that says where it is.
  const judged = objects
    .filter(isTyped)
    .map((o) => (isNamed(o) ? o : ({ ...o, metadata: { ...(isObj(o.metadata) ? o.metadata : {}), name: unnamed(o) } } as KubeObject)));
  const report = evaluate(judged, RULES, ctx);
  const schema = objects.flatMap((o) =>
    isTyped(o)
      ? validateSchema([o]).map((p) => problem('schema', displayId(o), `${p.path}: ${p.message}`))
      : [
          problem(
            'schema',
            displayId(o),
            `${typeof o.kind === 'string' ? 'apiVersion' : 'kind'}: missing or not a string, so the API server cannot tell what this object is`,
          ),
        ],
  );
  const references = checkReferences(judged, {
    storageClasses: Object.values(config.storageClasses),
    externalSecrets: ctx.externalSecrets,
  }).map((p) => problem('references', p.object, `${p.path ? `${p.path}: ` : ''}${p.message}`, p.provided));
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
  const header = ['ENFORCEMENT', 'SEVERITY', 'RULE', 'OBJECT', 'MESSAGE'];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
  const mandatory = report.violations.filter((v) => v.enforcement === 'mandatory').length;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${mandatory} mandatory, ${report.violations.length - mandatory} advisory (${report.rules} checks)`,
  ].join('\n');
}

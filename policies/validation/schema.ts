/**
 * Offline schema validation of Kubernetes objects.
 *
 * Two sources are combined because neither is complete on its own:
 * - kubernetes-models (CJS, k8s 1.33, ajv): scalar types, int-or-string, quantities, base64,
 *   required fields. It ignores unknown fields.
 * - @kubernetes/client-node generated models (ESM, k8s 1.36): `attributeTypeMap`s, walked to
 *   reject unknown fields at any depth. They carry no "required" information.
 * Names and labels are checked here because neither schema encodes those rules.
 */
import { objectId } from '../../components/platform/kube-object';
import * as fs from 'fs';
import * as path from 'path';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};
export type Problem = { object: string; path: string; message: string };
/** A problem located inside one object (the caller knows which). */
export type Issue = { path: string; message: string };
export type CustomValidator = (obj: KubeObject) => Issue[];

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export { objectId };

/** Appends a key to a display path: `a.b`, or `a["tls.crt"]` when the key is not a plain word. */
export function joinPath(at: string, key: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(key)) return `${at}[${JSON.stringify(key)}]`;
  return at ? `${at}.${key}` : key;
}

// ---------------------------------------------------------------------------------------------
// client-node models: loaded one file at a time with require (Node 20.19+ can require ESM; under
// jest, transformIgnorePatterns lets swc convert them). The package index is never loaded.

type Attr = { baseName: string; type: string };
const modelDir = path.dirname(require.resolve('@kubernetes/client-node/dist/gen/models/all.js'));
const attrCache = new Map<string, Attr[] | undefined>();

function attributes(model: string): Attr[] | undefined {
  if (!attrCache.has(model)) {
    const file = path.join(modelDir, `${model}.js`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = /^\w+$/.test(model) && fs.existsSync(file) ? require(file)[model] : undefined;
    attrCache.set(model, mod?.attributeTypeMap);
  }
  return attrCache.get(model);
}

// Groups whose kinds are served by every cluster; anything else needs a registered schema.
const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy', 'autoscaling',
  'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io',
  'certificates.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io',
]); // prettier-ignore

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

/** kubernetes-models class for a kind, if that package knows it (undefined otherwise). */
type KmModel = {
  new (data: unknown): { validate(): void };
  apiVersion: string;
  kind: string;
};
function kmModel(apiVersion: string, kind: string): KmModel | undefined {
  if (!/^[\w.]+(\/\w+)?$/.test(apiVersion) || !/^\w+$/.test(kind)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cls = require(`kubernetes-models/${apiVersion}/${kind}`)[kind] as KmModel | undefined;
    return cls?.kind === kind && cls.apiVersion === apiVersion ? cls : undefined;
  } catch {
    return undefined;
  }
}

function kmKnowsVersion(apiVersion: string): boolean {
  try {
    require.resolve(`kubernetes-models/${apiVersion}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * client-node model name for a built-in kind. Names clashing across groups carry the group
 * (CoreV1Event, RbacV1Subject), the rest are plain (V1Deployment, V2HorizontalPodAutoscaler).
 * A plain name alone does not prove the kind is in that group (batch/v1 Pod would map to V1Pod),
 * so kubernetes-models confirms membership whenever it covers the group version.
 */
function builtinModel(apiVersion: string, kind: string): string | undefined {
  const [group, version] = splitApiVersion(apiVersion);
  if (!BUILTIN_GROUPS.has(group) || !/^v\d+\w*$/.test(version) || !/^\w+$/.test(kind)) return undefined;
  if (kmKnowsVersion(apiVersion) && !kmModel(apiVersion, kind)) return undefined;
  const prefix = group === '' ? 'Core' : cap(group.split('.')[0]);
  return [`${prefix}${cap(version)}${kind}`, `${cap(version)}${kind}`].find((m) => attributes(m));
}

/** Unknown fields (and object/array shape) by walking attributeTypeMaps. Scalars are left to ajv. */
function walk(value: unknown, type: string, at: string, out: Issue[]): void {
  if (value === undefined || value === null) return;
  const arrayOf = /^Array<(.+)>$/.exec(type);
  const mapOf = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (arrayOf) {
    if (!Array.isArray(value)) out.push({ path: at, message: 'must be array' });
    else value.forEach((v, i) => walk(v, arrayOf[1], `${at}[${i}]`, out));
    return;
  }
  if (mapOf) {
    if (!isObj(value)) out.push({ path: at, message: 'must be object' });
    else for (const [k, v] of Object.entries(value)) walk(v, mapOf[1], joinPath(at, k), out);
    return;
  }
  const attrs = attributes(type);
  if (!attrs) return; // string, number, boolean, Date, IntOrString, any
  if (!isObj(value)) {
    out.push({ path: at, message: 'must be object' });
    return;
  }
  const known = new Map(attrs.map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    const t = known.get(k);
    if (t === undefined)
      out.push({
        path: joinPath(at, k),
        message: `unknown field "${k}" (not in ${type})`,
      });
    else walk(v, t, joinPath(at, k), out);
  }
  if (type === 'V1ObjectMeta') checkLabels(value.labels, joinPath(at, 'labels'), out);
  if (type === 'V1LabelSelector') checkLabels(value.matchLabels, joinPath(at, 'matchLabels'), out);
}

// ---------------------------------------------------------------------------------------------
// kubernetes-models (ajv) errors -> Issues

type AjvError = {
  instancePath: string;
  keyword: string;
  params: Obj;
  message?: string;
};

/** JSON pointer -> display path, using the data to tell array indexes from map keys. */
function pointerToPath(pointer: string, data: unknown): string {
  let out = '';
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      out += `[${seg}]`;
      cur = cur[Number(seg)];
    } else {
      out = joinPath(out, seg);
      cur = isObj(cur) ? cur[seg] : undefined;
    }
  }
  return out;
}

function fromAjv(errors: AjvError[], data: unknown): Issue[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    const base = pointerToPath(e.instancePath, data);
    const p = e.keyword === 'required' ? joinPath(base, String(e.params.missingProperty)) : base;
    byPath.set(p, [...(byPath.get(p) ?? []), e]);
  }
  return [...byPath].map(([p, errs]) => {
    if (errs.some((e) => e.keyword === 'required')) return { path: p, message: 'required field is missing' };
    // Quantity and IntOrString are the only oneOfs in the k8s schema: name them instead of
    // echoing both failed branches.
    if (errs.some((e) => e.keyword === 'oneOf')) {
      const intOrString = errs.some((e) => e.params.type === 'integer' || e.params.format === 'int32');
      return {
        path: p,
        message: intOrString
          ? 'must be an integer or a string (int-or-string)'
          : 'must be a quantity: a number or a string like "500m", "1Gi"',
      };
    }
    const msgs = [...new Set(errs.map((e) => e.message ?? e.keyword))];
    const allowed = errs.find((e) => e.keyword === 'enum')?.params.allowedValues;
    return {
      path: p,
      message: msgs.join('; ') + (allowed ? ` ${JSON.stringify(allowed)}` : ''),
    };
  });
}

function kmIssues(obj: KubeObject): Issue[] {
  const Model = kmModel(obj.apiVersion, obj.kind);
  if (!Model) return [];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (!errors) throw e;
    return fromAjv(errors, obj);
  }
}

// ---------------------------------------------------------------------------------------------
// Names and labels (apimachinery validation rules)

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const isDnsLabel = (s: string) => s.length <= 63 && DNS1123_LABEL.test(s);
export const isDnsSubdomain = (s: string) => s.length <= 253 && s.split('.').every((p) => DNS1123_LABEL.test(p));

function nameProblem(kind: string, name: string): string | undefined {
  if (kind === 'Service') {
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? undefined
      : 'must be a DNS-1035 label (lowercase letters, digits, "-", starting with a letter, at most 63)';
  }
  if (kind === 'Namespace') {
    return isDnsLabel(name) ? undefined : 'must be a DNS-1123 label (lowercase alphanumerics and "-", at most 63)';
  }
  if (['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(kind)) {
    // RBAC names are path segments, so "system:aggregate-to-view" is valid.
    return name && name !== '.' && name !== '..' && !/[/%]/.test(name)
      ? undefined
      : 'must be a path segment name (not "." or "..", no "/" or "%")';
  }
  return isDnsSubdomain(name) ? undefined : 'must be a DNS-1123 subdomain (lowercase alphanumerics, "-" and ".", at most 253)';
}

function checkLabels(labels: unknown, at: string, out: Issue[]): void {
  if (!isObj(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    const p = joinPath(at, key);
    const slash = key.lastIndexOf('/');
    const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
    if ((prefix !== undefined && !isDnsSubdomain(prefix)) || name.length > 63 || !LABEL_NAME.test(name)) {
      out.push({ path: p, message: `invalid label key "${key}"` });
    }
    if (typeof value !== 'string') out.push({ path: p, message: 'label value must be string' });
    else if (value !== '' && (value.length > 63 || !LABEL_NAME.test(value))) {
      out.push({
        path: p,
        message: `invalid label value "${value}" (at most 63 alphanumerics, "-", "_", ".", alphanumeric at both ends)`,
      });
    }
  }
}

function metadataIssues(obj: KubeObject): Issue[] {
  const out: Issue[] = [];
  const meta = obj.metadata as unknown;
  if (!isObj(meta)) return [{ path: 'metadata', message: 'required field is missing' }];
  if (typeof meta.name !== 'string' || meta.name === '') {
    if (meta.generateName === undefined) out.push({ path: 'metadata.name', message: 'required field is missing' });
  } else {
    const bad = nameProblem(obj.kind, meta.name);
    if (bad) out.push({ path: 'metadata.name', message: `"${meta.name}" ${bad}` });
  }
  if (typeof meta.namespace === 'string' && !isDnsLabel(meta.namespace)) {
    out.push({
      path: 'metadata.namespace',
      message: `"${meta.namespace}" must be a DNS-1123 label`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Custom resources

const customSchemas = new Map<string, CustomValidator>();

/** Registers the schema of a non-built-in kind (its metadata is checked like any other). */
export function registerCustomSchema(apiVersion: string, kind: string, validator: CustomValidator): void {
  customSchemas.set(`${apiVersion} ${kind}`, validator);
}

/** A small declarative shape for custom resources: strict objects, no unknown fields. */
export type Shape =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'any'
  | { enum: string[] }
  | { pattern: RegExp; hint: string }
  | { arrayOf: Shape }
  | { mapOf: Shape }
  | { fields: Record<string, Shape>; required?: string[] };

export function checkShape(value: unknown, shape: Shape, at: string): Issue[] {
  const bad = (message: string): Issue[] => [{ path: at, message }];
  if (shape === 'any') return [];
  if (shape === 'string') return typeof value === 'string' ? [] : bad('must be string');
  if (shape === 'boolean') return typeof value === 'boolean' ? [] : bad('must be boolean');
  if (shape === 'integer') return Number.isInteger(value) ? [] : bad('must be integer');
  if ('enum' in shape) {
    return shape.enum.includes(value as string) ? [] : bad(`must be one of ${JSON.stringify(shape.enum)}`);
  }
  if ('pattern' in shape) {
    return typeof value === 'string' && shape.pattern.test(value) ? [] : bad(`must be ${shape.hint}`);
  }
  if ('arrayOf' in shape) {
    if (!Array.isArray(value)) return bad('must be array');
    return value.flatMap((v, i) => checkShape(v, shape.arrayOf, `${at}[${i}]`));
  }
  if (!isObj(value)) return bad('must be object');
  if ('mapOf' in shape) return Object.entries(value).flatMap(([k, v]) => checkShape(v, shape.mapOf, joinPath(at, k)));
  const missing = (shape.required ?? []).filter((k) => value[k] === undefined);
  return [
    ...missing.map((k) => ({
      path: joinPath(at, k),
      message: 'required field is missing',
    })),
    ...Object.entries(value).flatMap(([k, v]) => {
      const field = shape.fields[k];
      if (!field) return [{ path: joinPath(at, k), message: `unknown field "${k}"` }];
      return v === undefined ? [] : checkShape(v, field, joinPath(at, k));
    }),
  ];
}

const stringList: Shape = { arrayOf: 'string' };
const goDuration: Shape = {
  pattern: /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/,
  hint: 'a Go duration like "2160h"',
};
// cert-manager KeyUsage values.
const KEY_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement',
  'data encipherment', 'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any',
  'server auth', 'client auth', 'code signing', 'email protection', 's/mime', 'ipsec end system',
  'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
]; // prettier-ignore

/** cert-manager.io/v1 Certificate: the fields this platform uses plus a few common ones. */
export const certificateShape: Shape = {
  required: ['spec'],
  fields: {
    apiVersion: 'string',
    kind: 'string',
    metadata: 'any', // checked by metadataIssues
    status: 'any',
    spec: {
      required: ['secretName', 'issuerRef'],
      fields: {
        secretName: 'string',
        dnsNames: stringList,
        commonName: 'string',
        duration: goDuration,
        renewBefore: goDuration,
        usages: { arrayOf: { enum: KEY_USAGES } },
        issuerRef: {
          required: ['name'],
          fields: { name: 'string', kind: 'string', group: 'string' },
        },
        privateKey: {
          fields: {
            algorithm: { enum: ['RSA', 'ECDSA', 'Ed25519'] },
            size: 'integer',
            rotationPolicy: { enum: ['Never', 'Always'] },
            encoding: { enum: ['PKCS1', 'PKCS8'] },
          },
        },
        // Beyond the platform's needs, so that ordinary valid Certificates are not rejected.
        isCA: 'boolean',
        ipAddresses: stringList,
        uris: stringList,
        emailAddresses: stringList,
        secretTemplate: {
          fields: {
            annotations: { mapOf: 'string' },
            labels: { mapOf: 'string' },
          },
        },
      },
    },
  },
};

registerCustomSchema('cert-manager.io/v1', 'Certificate', (obj) => checkShape(obj, certificateShape, ''));

/**
 * OpenShift apps.openshift.io/v1 DeploymentConfig, which manifests written elsewhere still use (the
 * rules judge its pod template like a Deployment's): its own fields by shape, the template as a core
 * PodTemplateSpec (unknown fields at any depth).
 */
export const deploymentConfigShape: Shape = {
  required: ['spec'],
  fields: {
    apiVersion: 'string',
    kind: 'string',
    metadata: 'any', // checked by metadataIssues
    status: 'any',
    spec: {
      required: ['template'],
      fields: {
        replicas: 'integer',
        selector: { mapOf: 'string' },
        template: 'any', // walked as V1PodTemplateSpec
        strategy: 'any',
        triggers: { arrayOf: 'any' },
        minReadySeconds: 'integer',
        revisionHistoryLimit: 'integer',
        paused: 'boolean',
        test: 'boolean',
      },
    },
  },
};

registerCustomSchema('apps.openshift.io/v1', 'DeploymentConfig', (obj) => {
  const out = checkShape(obj, deploymentConfigShape, '');
  walk(isObj(obj.spec) ? obj.spec.template : undefined, 'V1PodTemplateSpec', 'spec.template', out);
  return out;
});

// ---------------------------------------------------------------------------------------------

function objectIssues(obj: KubeObject): Issue[] {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return [{ path: 'apiVersion', message: 'apiVersion and kind must be strings' }];
  }
  const custom = customSchemas.get(`${obj.apiVersion} ${obj.kind}`);
  const model = custom ? undefined : builtinModel(obj.apiVersion, obj.kind);
  if (!custom && !model) {
    return [
      {
        path: 'kind',
        message: `no schema for ${obj.apiVersion} ${obj.kind}: not a built-in kind and none registered`,
      },
    ];
  }
  const walked: Issue[] = [];
  if (model) walk(obj, model, '', walked);
  else walk(obj.metadata, 'V1ObjectMeta', 'metadata', walked); // custom kinds share ObjectMeta
  // ajv first: its message wins when both report the same path.
  return [...kmIssues(obj), ...metadataIssues(obj), ...walked, ...(custom ? custom(obj) : [])];
}

export function validateSchema(objects: KubeObject[]): Problem[] {
  return objects.flatMap((obj) => {
    // One problem per path: several sources may flag the same field.
    const byPath = new Map<string, Issue>();
    for (const issue of objectIssues(obj)) if (!byPath.has(issue.path)) byPath.set(issue.path, issue);
    return [...byPath.values()].map((i) => ({ object: objectId(obj), ...i }));
  });
}

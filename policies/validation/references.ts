/**
 * Offline cross-object checks: everything an object names (Secrets, ConfigMaps, Services,
 * ServiceAccounts, PVCs, roles, namespaces...) must exist among the objects deployed together,
 * otherwise pods hang in ContainerCreating or traffic silently goes nowhere.
 */
import { selects, type LabelSelector, type Labels } from '../rules/relations';
import { isObj, joinPath, objectId, type KubeObject, type Problem } from './schema';

/**
 * Kinds a set of manifests may name without holding, because the cluster, its administrators or an
 * operator provide them, with why. A missing one is reported with the kind in `provided`: `check`
 * makes it advisory unless told the set is complete (--complete, the platform's own render), where
 * it is mandatory like every other reference. Everything else a set names (ConfigMaps, Services,
 * ServiceAccounts other than "default", claims, Roles, autoscaler targets) is written together with
 * what names it, so a missing one stays a mandatory finding either way, as in kube-linter.
 */
export const PROVIDED_OUTSIDE = {
  Namespace: 'created by the cluster administrators or by another pipeline before workloads are applied',
  IngressClass: 'installed with the ingress controller',
  StorageClass: 'defined by the cluster and its storage provisioners',
  PriorityClass: 'defined cluster-wide by the administrators (system-cluster-critical and system-node-critical always exist)',
  ClusterRole:
    'installed cluster-wide by administrators and operators (the built-in view, edit, admin, cluster-admin and system:* roles always exist)',
  Secret:
    'created outside manifests on purpose, so that no credential is written into them: by kubectl, an External Secrets or Sealed Secrets controller, Vault or a deployment pipeline',
} as const satisfies Record<string, string>;
export type ProvidedKind = keyof typeof PROVIDED_OUTSIDE;

/** A reference problem; `provided` names the kind when the missing object may be provided outside the set. */
export type ReferenceProblem = Problem & { provided?: ProvidedKind };

export type ReferenceOptions = {
  storageClasses: string[];
  /** Secrets created outside these objects (e.g. by an operator); keys unknown when omitted. */
  externalSecrets?: { namespace: string; name: string; keys?: string[] }[];
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'IngressClass', 'PriorityClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'CustomResourceDefinition', 'APIService', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ClusterIssuer',
]); // prettier-ignore
const BUILTIN_CLUSTER_ROLES = new Set(['view', 'edit', 'admin', 'cluster-admin']);
const BUILTIN_PRIORITY_CLASSES = new Set(['system-cluster-critical', 'system-node-critical']);
const CERT_SECRET_KEYS = ['tls.crt', 'tls.key', 'ca.crt'];

/** Built-in API groups: a custom resource may reuse a kind name (Knative "Service"). */
const isBuiltin = (o: KubeObject) => {
  const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '';
  return ['', 'apps', 'batch', 'policy', 'autoscaling'].includes(group) || group.endsWith('.k8s.io');
};
const isCertificate = (o: KubeObject) => o.apiVersion === 'cert-manager.io/v1' && o.kind === 'Certificate';
/** OpenShift DeploymentConfigs run pods from a template like a Deployment's. */
const isDeploymentConfig = (o: KubeObject) => o.kind === 'DeploymentConfig' && String(o.apiVersion).startsWith('apps.openshift.io/');

const nameOf = (o: KubeObject) => String(obj(o.metadata).name ?? '');
/** Namespaced objects without metadata.namespace land in "default". */
const nsOf = (o: KubeObject) => (CLUSTER_SCOPED.has(o.kind) ? '' : (str(obj(o.metadata).namespace) ?? 'default'));

type PodTemplate = {
  owner: KubeObject;
  ns: string;
  labels: Obj;
  spec: Obj;
  at: string; // path of the pod spec within the owner
  claimTemplates: string[]; // StatefulSet volumeClaimTemplates, mountable by name
};

function podTemplate(o: KubeObject): PodTemplate | undefined {
  const spec = obj(o.spec);
  const base = { owner: o, ns: nsOf(o), claimTemplates: [] as string[] };
  if (!isBuiltin(o) && !isDeploymentConfig(o)) return undefined;
  switch (o.kind) {
    case 'Pod':
      return { ...base, labels: obj(obj(o.metadata).labels), spec, at: 'spec' };
    case 'CronJob': {
      const t = obj(obj(obj(spec.jobTemplate).spec).template);
      return {
        ...base,
        labels: obj(obj(t.metadata).labels),
        spec: obj(t.spec),
        at: 'spec.jobTemplate.spec.template.spec',
      };
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'DeploymentConfig':
    case 'Job': {
      const t = obj(spec.template);
      const claimTemplates = list(spec.volumeClaimTemplates).map((c) => String(obj(obj(c).metadata).name));
      return {
        ...base,
        claimTemplates,
        labels: obj(obj(t.metadata).labels),
        spec: obj(t.spec),
        at: 'spec.template.spec',
      };
    }
  }
  return undefined;
}

const isEmptySelector = (s: Obj) => Object.keys(obj(s.matchLabels)).length === 0 && list(s.matchExpressions).length === 0;

export function checkReferences(objects: KubeObject[], opts: ReferenceOptions): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const report = (o: KubeObject, path: string, message: string, provided?: ProvidedKind) =>
    problems.push({ object: objectId(o), path, message, ...(provided ? { provided } : {}) });

  // Built-in kinds, and DeploymentConfigs (which an HPA may scale).
  const indexed = objects.filter((o) => isBuiltin(o) || isDeploymentConfig(o));
  const index = new Map<string, KubeObject>();
  for (const o of indexed) index.set(`${o.kind}|${nsOf(o)}|${nameOf(o)}`, o);
  const find = (kind: string, ns: string, name: unknown) => index.get(`${kind}|${ns}|${String(name)}`);
  const templates = objects.flatMap((o) => podTemplate(o) ?? []);
  const inNs = (ns: string) => templates.filter((t) => t.ns === ns);
  const storageClasses = new Set([...opts.storageClasses, ...indexed.filter((o) => o.kind === 'StorageClass').map(nameOf)]);

  /** Keys of a Secret/ConfigMap, 'any' when it exists with unknown keys, undefined when absent. */
  function keysOf(kind: 'Secret' | 'ConfigMap', ns: string, name: string): Set<string> | 'any' | undefined {
    const keys = new Set<string>();
    let found = false;
    const o = find(kind, ns, name);
    if (o) {
      found = true;
      const fields = kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
      for (const f of fields) Object.keys(obj(o[f])).forEach((k) => keys.add(k));
    }
    if (kind === 'Secret') {
      if (objects.some((c) => isCertificate(c) && nsOf(c) === ns && obj(c.spec).secretName === name)) {
        found = true;
        CERT_SECRET_KEYS.forEach((k) => keys.add(k));
      }
      for (const ext of opts.externalSecrets ?? []) {
        if (ext.namespace !== ns || ext.name !== name) continue;
        if (!ext.keys) return 'any';
        found = true;
        ext.keys.forEach((k) => keys.add(k));
      }
    }
    return found ? keys : undefined;
  }

  /** A Secret/ConfigMap reference, optionally to some of its keys. */
  function checkRef(t: PodTemplate, at: string, kind: 'Secret' | 'ConfigMap', ref: Obj, name: unknown, keys: unknown[]) {
    if (ref.optional === true || typeof name !== 'string') return;
    const have = keysOf(kind, t.ns, name);
    if (!have) return report(t.owner, at, `${kind} "${name}" not found in namespace "${t.ns}"`, kind === 'Secret' ? 'Secret' : undefined);
    if (have === 'any') return;
    for (const key of keys) {
      if (typeof key === 'string' && !have.has(key)) {
        report(t.owner, at, `${kind} "${name}" has no key "${key}" (has: ${[...have].join(', ') || 'none'})`);
      }
    }
  }

  // StatefulSets create PVCs named <claim template>-<statefulset>-<ordinal>.
  const producedClaim = (t: PodTemplate, claim: string) =>
    t.claimTemplates.some((c) => {
      const prefix = `${c}-${nameOf(t.owner)}-`;
      return claim.startsWith(prefix) && /^\d+$/.test(claim.slice(prefix.length));
    });
  const pvcExists = (ns: string, claim: string) =>
    !!find('PersistentVolumeClaim', ns, claim) || inNs(ns).some((t) => producedClaim(t, claim));

  function checkPodTemplate(t: PodTemplate) {
    const volumes = list(t.spec.volumes).map(obj);
    const volumeNames = new Set([...volumes.map((v) => v.name), ...t.claimTemplates]);

    for (const kind of ['initContainers', 'containers', 'ephemeralContainers']) {
      list(t.spec[kind]).forEach((raw, ci) => {
        const c = obj(raw);
        const at = `${t.at}.${kind}[${ci}]`;
        list(c.env).forEach((e, i) => {
          const from = obj(obj(e).valueFrom);
          for (const [field, refKind] of [
            ['secretKeyRef', 'Secret'],
            ['configMapKeyRef', 'ConfigMap'],
          ] as const) {
            const ref = obj(from[field]);
            if (from[field]) checkRef(t, `${at}.env[${i}].valueFrom.${field}`, refKind, ref, ref.name, [ref.key]);
          }
        });
        list(c.envFrom).forEach((e, i) => {
          for (const [field, refKind] of [
            ['secretRef', 'Secret'],
            ['configMapRef', 'ConfigMap'],
          ] as const) {
            const ref = obj(obj(e)[field]);
            if (obj(e)[field]) checkRef(t, `${at}.envFrom[${i}].${field}`, refKind, ref, ref.name, []);
          }
        });
        for (const field of ['volumeMounts', 'volumeDevices']) {
          list(c[field]).forEach((m, i) => {
            const name = obj(m).name;
            if (!volumeNames.has(name)) report(t.owner, `${at}.${field}[${i}].name`, `no volume named "${String(name)}"`);
          });
        }
      });
    }

    volumes.forEach((v, i) => {
      const at = `${t.at}.volumes[${i}]`;
      const itemKeys = (src: Obj) => list(src.items).map((it) => obj(it).key);
      const secret = obj(v.secret);
      if (v.secret) checkRef(t, `${at}.secret`, 'Secret', secret, secret.secretName, itemKeys(secret));
      const cm = obj(v.configMap);
      if (v.configMap) checkRef(t, `${at}.configMap`, 'ConfigMap', cm, cm.name, itemKeys(cm));
      list(obj(v.projected).sources).forEach((raw, j) => {
        const src = obj(raw);
        const ps = obj(src.secret);
        if (src.secret) checkRef(t, `${at}.projected.sources[${j}].secret`, 'Secret', ps, ps.name, itemKeys(ps));
        const pc = obj(src.configMap);
        if (src.configMap) checkRef(t, `${at}.projected.sources[${j}].configMap`, 'ConfigMap', pc, pc.name, itemKeys(pc));
      });
      const claim = obj(v.persistentVolumeClaim).claimName;
      if (typeof claim === 'string' && !pvcExists(t.ns, claim)) {
        report(t.owner, `${at}.persistentVolumeClaim.claimName`, `PersistentVolumeClaim "${claim}" not found in namespace "${t.ns}"`);
      }
    });

    const priorityClass = str(t.spec.priorityClassName);
    if (priorityClass && !BUILTIN_PRIORITY_CLASSES.has(priorityClass) && !find('PriorityClass', '', priorityClass)) {
      report(t.owner, `${t.at}.priorityClassName`, `PriorityClass "${priorityClass}" not found`, 'PriorityClass');
    }

    const sa = str(t.spec.serviceAccountName) ?? str(t.spec.serviceAccount);
    if (sa && sa !== 'default' && !find('ServiceAccount', t.ns, sa)) {
      report(t.owner, `${t.at}.serviceAccountName`, `ServiceAccount "${sa}" not found in namespace "${t.ns}"`);
    }
  }

  function checkStorageClass(o: KubeObject, pvcSpec: Obj, at: string) {
    const sc = pvcSpec.storageClassName;
    if (typeof sc === 'string' && sc !== '' && !storageClasses.has(sc)) {
      report(
        o,
        joinPath(at, 'storageClassName'),
        `StorageClass "${sc}" is not available (known: ${[...storageClasses].join(', ')})`,
        'StorageClass',
      );
    }
  }

  /** Pod-selecting objects (NetworkPolicy, PDB) must select something. */
  function checkSelects(o: KubeObject, selector: unknown, at: string) {
    if (!isObj(selector)) return report(o, at, 'no selector: selects no pods');
    if (!inNs(nsOf(o)).some((t) => selects(selector as LabelSelector, t.labels as Labels))) {
      report(o, at, `selects no pod template in namespace "${nsOf(o)}"`);
    }
  }

  function checkService(o: KubeObject, ns: string) {
    const spec = obj(o.spec);
    const selector = obj(spec.selector);
    if (Object.keys(selector).length === 0) return; // ExternalName or manually managed endpoints
    const matching = inNs(ns).filter((t) => selects({ matchLabels: selector as Labels }, t.labels as Labels));
    if (matching.length === 0) return report(o, 'spec.selector', `selects no pod template in namespace "${ns}"`);
    list(spec.ports).forEach((raw, i) => {
      const p = obj(raw);
      const target = p.targetPort ?? p.port; // targetPort defaults to port
      for (const t of matching) {
        // initContainers count too: native sidecars (restartPolicy: Always) serve traffic.
        const containers = [...list(t.spec.containers), ...list(t.spec.initContainers)];
        const ports = containers.flatMap((c) => list(obj(c).ports).map(obj));
        const ok = ports.some((cp) => (typeof target === 'string' ? cp.name === target : cp.containerPort === target));
        if (!ok) report(o, `spec.ports[${i}].targetPort`, `${JSON.stringify(target)} matches no containerPort of ${objectId(t.owner)}`);
      }
    });
  }

  function checkIngress(o: KubeObject, ns: string) {
    const spec = obj(o.spec);
    const cls = spec.ingressClassName;
    if (typeof cls === 'string' && !find('IngressClass', '', cls)) {
      report(o, 'spec.ingressClassName', `IngressClass "${cls}" not found`, 'IngressClass');
    }
    const backends: [string, unknown][] = [['spec.defaultBackend', spec.defaultBackend]];
    list(spec.rules).forEach((r, i) =>
      list(obj(obj(r).http).paths).forEach((p, j) => backends.push([`spec.rules[${i}].http.paths[${j}].backend`, obj(p).backend])),
    );
    for (const [at, backend] of backends) {
      const svc = obj(obj(backend).service);
      if (!obj(backend).service) continue;
      const target = find('Service', ns, svc.name);
      if (!target) {
        report(o, `${at}.service.name`, `Service "${String(svc.name)}" not found in namespace "${ns}"`);
        continue;
      }
      const port = obj(svc.port);
      const ports = list(obj(target.spec).ports).map(obj);
      const ok = port.name !== undefined ? ports.some((p) => p.name === port.name) : ports.some((p) => p.port === port.number);
      if (!ok) report(o, `${at}.service.port`, `Service "${String(svc.name)}" has no port ${JSON.stringify(port.name ?? port.number)}`);
    }
  }

  function checkBinding(o: KubeObject, ns: string) {
    const roleRef = obj(o.roleRef);
    const name = String(roleRef.name);
    const exists =
      roleRef.kind === 'ClusterRole'
        ? BUILTIN_CLUSTER_ROLES.has(name) || name.startsWith('system:') || !!find('ClusterRole', '', name)
        : roleRef.kind === 'Role' && o.kind === 'RoleBinding' && !!find('Role', ns, name);
    if (!exists)
      report(o, 'roleRef', `${String(roleRef.kind)} "${name}" not found`, roleRef.kind === 'ClusterRole' ? 'ClusterRole' : undefined);
    list(o.subjects).forEach((raw, i) => {
      const s = obj(raw);
      if (s.kind !== 'ServiceAccount') return;
      const sns = str(s.namespace) ?? (o.kind === 'RoleBinding' ? ns : undefined);
      if (!sns) return report(o, `subjects[${i}].namespace`, 'ServiceAccount subject needs a namespace');
      if (s.name !== 'default' && !find('ServiceAccount', sns, s.name)) {
        report(o, `subjects[${i}]`, `ServiceAccount "${String(s.name)}" not found in namespace "${sns}"`);
      }
    });
  }

  for (const o of objects) {
    const ns = nsOf(o);
    const spec = obj(o.spec);
    const meta = obj(o.metadata);
    if (typeof meta.namespace === 'string' && !['default', 'kube-system'].includes(meta.namespace)) {
      if (!find('Namespace', '', meta.namespace)) report(o, 'metadata.namespace', `Namespace "${meta.namespace}" not found`, 'Namespace');
    }
    const t = podTemplate(o);
    if (t) checkPodTemplate(t);
    if (!isBuiltin(o)) continue;

    switch (o.kind) {
      case 'StatefulSet':
        list(spec.volumeClaimTemplates).forEach((c, i) => checkStorageClass(o, obj(obj(c).spec), `spec.volumeClaimTemplates[${i}].spec`));
        if (typeof spec.serviceName === 'string' && spec.serviceName && !find('Service', ns, spec.serviceName)) {
          report(o, 'spec.serviceName', `Service "${spec.serviceName}" not found in namespace "${ns}"`);
        }
        break;
      case 'PersistentVolumeClaim':
        checkStorageClass(o, spec, 'spec');
        break;
      case 'Service':
        checkService(o, ns);
        break;
      case 'Ingress':
        checkIngress(o, ns);
        break;
      case 'NetworkPolicy':
        // An empty podSelector deliberately means "every pod in the namespace".
        if (!isEmptySelector(obj(spec.podSelector))) checkSelects(o, spec.podSelector, 'spec.podSelector');
        break;
      case 'PodDisruptionBudget':
        checkSelects(o, spec.selector, 'spec.selector');
        break;
      case 'HorizontalPodAutoscaler': {
        const ref = obj(spec.scaleTargetRef);
        const target = find(String(ref.kind), ns, ref.name);
        if (!target || (ref.apiVersion !== undefined && target.apiVersion !== ref.apiVersion)) {
          report(
            o,
            'spec.scaleTargetRef',
            `${String(ref.kind)} "${String(ref.name)}" (${String(ref.apiVersion ?? 'any apiVersion')}) not found in namespace "${ns}"`,
          );
        }
        break;
      }
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        checkBinding(o, ns);
        break;
    }
  }
  return problems;
}

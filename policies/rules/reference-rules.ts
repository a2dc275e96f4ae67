// Reference rules over the whole set: what an object names (pods, Services, ports, targets,
// ServiceAccounts, Secrets, ConfigMaps, claims, hosts) exists among the objects deployed with it,
// otherwise pods hang in ContainerCreating or traffic silently goes nowhere.
//
// These are policy rules, so they report on the objects the engine is given. They do not reuse
// validation/references.ts checkReferences, which reports paths rather than objects, needs the
// environment's storage classes and external Secrets as options, and reads an empty key list on a
// Secret as "no keys" (a Pulumi preview may not know a Secret's data yet).
import type { KubeObject } from '../../components/platform/kube-object';
import { describe, formatSelector, namespaceOf, ofKind, podTemplates, selects, specOf, type PodTemplate } from './relations';
import { mandatory, type PolicyContext, type StackFinding, type StackRule } from './types';
import { containersOf, type Container } from './workload';

type Obj = Record<string, any>;
const isObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

const serviceSelectsPods: StackRule = {
  id: 'service-selects-pods',
  scope: 'stack',
  title: 'Every Service selects pods, or has endpoints of its own',
  rationale:
    'A Service whose selector matches no pod template (a typo, a renamed label) resolves and accepts connections that then go nowhere; clients see timeouts far from the cause.',
  severity: 'medium',
  category: 'references',
  controls: { kubeLinter: ['dangling-service'], crosswalk: [53] },
  enforcement: mandatory,
  check(objects) {
    const templates = podTemplates(objects);
    return ofKind(objects, 'Service').flatMap((service) => {
      const spec = specOf(service);
      if (spec.type === 'ExternalName') return [];
      const ns = namespaceOf(service);
      const selector: Record<string, string> = spec.selector ?? {};
      if (!Object.keys(selector).length) {
        const name = service.metadata.name;
        const endpoints = objects.some(
          (o) =>
            namespaceOf(o) === ns &&
            ((o.kind === 'Endpoints' && o.metadata.name === name) ||
              (o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === name)),
        );
        return endpoints
          ? []
          : [{ object: service, message: 'has no selector and no Endpoints or EndpointSlice of its own: it routes nowhere' }];
      }
      return templates.some((t) => t.namespace === ns && selects({ matchLabels: selector }, t.labels))
        ? []
        : [{ object: service, message: `spec.selector ${formatSelector(selector)} selects no pod in namespace "${ns}"` }];
    });
  },
};

/** Every backend of an Ingress with where it sits: networking.k8s.io/v1 and the legacy serviceName/servicePort shape. */
function backendsOf(ingress: KubeObject): { at: string; service: string; port?: number | string }[] {
  const spec = specOf(ingress);
  const raw: [string, Obj | undefined][] = [['spec.defaultBackend', spec.defaultBackend ?? spec.backend]];
  (spec.rules ?? []).forEach((r: Obj, i: number) =>
    (r.http?.paths ?? []).forEach((p: Obj, j: number) => raw.push([`spec.rules[${i}].http.paths[${j}].backend`, p.backend])),
  );
  return raw.flatMap(([at, b]) => {
    if (b?.service?.name) return [{ at, service: b.service.name, port: b.service.port?.number ?? b.service.port?.name }];
    if (b?.serviceName) return [{ at, service: b.serviceName, port: b.servicePort }];
    return []; // resource backends and absent ones
  });
}

const ingressBackendsExist: StackRule = {
  id: 'ingress-backends-exist',
  scope: 'stack',
  title: 'Every Ingress backend is a Service and port that exist',
  rationale: 'A backend naming a missing Service or port makes the route answer 404 or 503 for every request to it.',
  severity: 'medium',
  category: 'references',
  controls: { kubeLinter: ['dangling-ingress'], crosswalk: [53] },
  enforcement: mandatory,
  check(objects) {
    const services = ofKind(objects, 'Service');
    return ofKind(objects, 'Ingress').flatMap((ingress) => {
      const ns = namespaceOf(ingress);
      return backendsOf(ingress).flatMap(({ at, service, port }) => {
        const target = services.find((s) => namespaceOf(s) === ns && s.metadata.name === service);
        if (!target) return [{ object: ingress, message: `${at}: Service "${service}" not found in namespace "${ns}"` }];
        if (port === undefined) return [];
        const ports: Obj[] = specOf(target).ports ?? [];
        return ports.some((p) => p.port === port || p.name === port)
          ? []
          : [
              {
                object: ingress,
                message: `${at}: Service "${service}" has no port ${JSON.stringify(port)} (has: ${ports.map((p) => p.name ?? p.port).join(', ')})`,
              },
            ];
      });
    });
  },
};

const hpaTargetExists: StackRule = {
  id: 'hpa-target-exists',
  scope: 'stack',
  title: 'Every HorizontalPodAutoscaler scales a workload that exists',
  rationale: 'An autoscaler whose scaleTargetRef names nothing scales nothing: the load it was meant for meets a fixed replica count.',
  severity: 'medium',
  category: 'references',
  controls: { kubeLinter: ['dangling-horizontalpodautoscaler'], crosswalk: [53] },
  enforcement: mandatory,
  check(objects) {
    return ofKind(objects, 'HorizontalPodAutoscaler').flatMap((hpa) => {
      const ref: Obj = specOf(hpa).scaleTargetRef ?? {};
      const found = objects.some(
        (o) =>
          o.kind === ref.kind &&
          o.metadata.name === ref.name &&
          namespaceOf(o) === namespaceOf(hpa) &&
          (ref.apiVersion === undefined || o.apiVersion === ref.apiVersion),
      );
      const target = `${ref.kind} "${ref.name}"${ref.apiVersion ? ` (${ref.apiVersion})` : ''}`;
      return found ? [] : [{ object: hpa, message: `spec.scaleTargetRef: ${target} not found in namespace "${namespaceOf(hpa)}"` }];
    });
  },
};

const pdbSelectsPods: StackRule = {
  id: 'pdb-selects-pods',
  scope: 'stack',
  title: 'Every PodDisruptionBudget selects pods',
  rationale: 'A budget whose selector matches no pod protects nothing during node drains, while looking like it does.',
  severity: 'medium',
  category: 'references',
  controls: { crosswalk: [53] },
  enforcement: mandatory,
  check(objects) {
    const templates = podTemplates(objects);
    return ofKind(objects, 'PodDisruptionBudget').flatMap((pdb) => {
      const selector = specOf(pdb).selector;
      if (!selector) return [{ object: pdb, message: 'has no spec.selector: it selects no pod' }];
      return templates.some((t) => t.namespace === namespaceOf(pdb) && selects(selector, t.labels))
        ? []
        : [{ object: pdb, message: `spec.selector ${formatSelector(selector)} selects no pod in namespace "${namespaceOf(pdb)}"` }];
    });
  },
};

const serviceAccountExists: StackRule = {
  id: 'service-account-exists',
  scope: 'stack',
  title: 'Every ServiceAccount a pod runs as, or a binding grants to, exists',
  rationale:
    'A pod naming a missing ServiceAccount is never created (the ReplicaSet reports a forbidden error); a binding to a missing one waits for whoever later creates an account of that name, and hands them its rights. Binding subjects are judged in namespaces that are among the objects.',
  severity: 'high',
  category: 'references',
  controls: { kubeLinter: ['non-existent-service-account'], crosswalk: [24] },
  enforcement: mandatory,
  check(objects) {
    const accounts = ofKind(objects, 'ServiceAccount');
    const exists = (ns: string, name: string) =>
      name === 'default' || accounts.some((a) => namespaceOf(a) === ns && a.metadata.name === name);
    const known = new Set([...ofKind(objects, 'Namespace').map((n) => n.metadata.name), ...accounts.map(namespaceOf)]);
    const findings: StackFinding[] = [];
    for (const t of podTemplates(objects)) {
      const field = t.pod.serviceAccountName ? 'serviceAccountName' : 'serviceAccount';
      const name: string | undefined = t.pod[field];
      if (name && !exists(t.namespace, name))
        findings.push({ object: t.owner, message: `${field} "${name}": ServiceAccount not found in namespace "${t.namespace}"` });
    }
    for (const binding of ofKind(objects, 'RoleBinding', 'ClusterRoleBinding'))
      ((binding.subjects as Obj[] | undefined) ?? []).forEach((s, i) => {
        const ns: string | undefined = s.namespace ?? (binding.kind === 'RoleBinding' ? namespaceOf(binding) : undefined);
        if (s.kind === 'ServiceAccount' && ns && known.has(ns) && !exists(ns, s.name))
          findings.push({ object: binding, message: `subjects[${i}]: ServiceAccount "${s.name}" not found in namespace "${ns}"` });
      });
    return findings;
  },
};

/**
 * Secrets made outside the objects, by the operator (a provided TLS certificate), with their keys
 * when known. Read from the context when it carries them (policyContextFor can derive them from the
 * config, as check.ts does for checkReferences); until then, a provided Secret is reported missing.
 */

type Keys = Set<string> | 'unknown';

/** The Secrets and ConfigMaps of the set, with their keys when known, by "namespace/name". */
function configSources(
  objects: KubeObject[],
  ctx: PolicyContext,
): { secrets: Map<string, Keys> | undefined; configMaps: Map<string, Keys> } {
  const id = (o: KubeObject, name = o.metadata.name) => `${namespaceOf(o)}/${name}`;
  const keysOf = (...maps: unknown[]): Keys =>
    maps.some(isObject) ? new Set(maps.filter(isObject).flatMap((m) => Object.keys(m))) : 'unknown';

  const configMaps = new Map<string, Keys>(
    ofKind(objects, 'ConfigMap').map((c) => [id(c), new Set([...Object.keys(c.data ?? {}), ...Object.keys(c.binaryData ?? {})])]),
  );
  // Kubernetes publishes the cluster CA into every namespace.
  for (const ns of new Set(objects.map(namespaceOf))) if (ns) configMaps.set(`${ns}/kube-root-ca.crt`, new Set(['ca.crt']));

  const secretObjects = ofKind(objects, 'Secret');
  if (!secretObjects.length) return { secrets: undefined, configMaps };
  const secrets = new Map<string, Keys>(secretObjects.map((s) => [id(s), keysOf(s.data, s.stringData)]));
  for (const o of objects) {
    const group = o.apiVersion.split('/')[0];
    if (o.kind === 'Certificate' && group === 'cert-manager.io' && specOf(o).secretName)
      secrets.set(id(o, specOf(o).secretName), new Set(['tls.crt', 'tls.key', 'ca.crt']));
    if (o.kind === 'ExternalSecret' && group === 'external-secrets.io')
      secrets.set(id(o, specOf(o).target?.name ?? o.metadata.name), 'unknown');
    if (o.kind === 'SealedSecret' && group === 'bitnami.com') secrets.set(id(o), keysOf(specOf(o).encryptedData));
  }
  for (const s of ctx.externalSecrets ?? []) secrets.set(`${s.namespace}/${s.name}`, s.keys ? new Set(s.keys) : 'unknown');
  return { secrets, configMaps };
}

interface Reference {
  kind: 'Secret' | 'ConfigMap' | 'PersistentVolumeClaim';
  name: string;
  keys: string[];
  at: string;
}

/** Every non-optional Secret, ConfigMap and claim a pod template names, with where. */
function referencesOf(t: PodTemplate): Reference[] {
  const refs: Reference[] = [];
  const add = (kind: Reference['kind'], src: Obj | undefined, name: string | undefined, keys: (string | undefined)[], at: string) => {
    if (src && src.optional !== true && name) refs.push({ kind, name, keys: keys.filter((k): k is string => !!k), at });
  };
  const itemKeys = (src: Obj | undefined) => ((src?.items ?? []) as Obj[]).map((i) => i.key);
  containersOf(t.pod).forEach(({ container, where }: { container: Container; where: string }) => {
    ((container.env ?? []) as Obj[]).forEach((e, i) => {
      const from = e.valueFrom ?? {};
      add('Secret', from.secretKeyRef, from.secretKeyRef?.name, [from.secretKeyRef?.key], `${where} env[${i}] (${e.name})`);
      add('ConfigMap', from.configMapKeyRef, from.configMapKeyRef?.name, [from.configMapKeyRef?.key], `${where} env[${i}] (${e.name})`);
    });
    ((container.envFrom ?? []) as Obj[]).forEach((e, i) => {
      add('Secret', e.secretRef, e.secretRef?.name, [], `${where} envFrom[${i}]`);
      add('ConfigMap', e.configMapRef, e.configMapRef?.name, [], `${where} envFrom[${i}]`);
    });
  });
  ((t.pod.volumes ?? []) as Obj[]).forEach((v) => {
    const at = `volume "${v.name}"`;
    add('Secret', v.secret, v.secret?.secretName, itemKeys(v.secret), at);
    add('ConfigMap', v.configMap, v.configMap?.name, itemKeys(v.configMap), at);
    ((v.projected?.sources ?? []) as Obj[]).forEach((s, j) => {
      add('Secret', s.secret, s.secret?.name, itemKeys(s.secret), `${at} source ${j}`);
      add('ConfigMap', s.configMap, s.configMap?.name, itemKeys(s.configMap), `${at} source ${j}`);
    });
    add('PersistentVolumeClaim', v.persistentVolumeClaim, v.persistentVolumeClaim?.claimName, [], at);
  });
  ((t.pod.imagePullSecrets ?? []) as Obj[]).forEach((s, i) => add('Secret', s, s.name, [], `imagePullSecrets[${i}]`));
  return refs;
}

/** Claims a StatefulSet creates: <template>-<statefulset>-<ordinal>. */
function claimTemplateProduces(objects: KubeObject[], ns: string, claim: string): boolean {
  return ofKind(objects, 'StatefulSet').some(
    (s) =>
      namespaceOf(s) === ns &&
      ((specOf(s).volumeClaimTemplates ?? []) as Obj[]).some((c) =>
        new RegExp(`^${c.metadata?.name}-${s.metadata.name}-\\d+$`).test(claim),
      ),
  );
}

const podReferencesExist: StackRule = {
  id: 'pod-references-exist',
  scope: 'stack',
  title: 'Secrets, ConfigMaps and claims that pods use exist, with the keys they read',
  rationale:
    'A pod mounting or reading a missing Secret, ConfigMap, key or PersistentVolumeClaim never starts (CreateContainerConfigError, ContainerCreating, Pending). A Secret exists when it is among the objects or a cert-manager Certificate, ExternalSecret or SealedSecret produces it. The platform writes no Secret into its manifests (they come from the secret plan at deploy time), so when the objects hold no Secret at all, Secret references are not judged; in a Pulumi preview the Secrets are among the resources and are. `check` of a partial set (without --complete) reports a missing Secret as advisory, since Secrets are often made outside manifests on purpose. Optional references are skipped.',
  severity: 'high',
  category: 'references',
  controls: { crosswalk: [] },
  enforcement: mandatory,
  check(objects, ctx) {
    const { secrets, configMaps } = configSources(objects, ctx);
    const claims = new Set(ofKind(objects, 'PersistentVolumeClaim').map((c) => `${namespaceOf(c)}/${c.metadata.name}`));
    return podTemplates(objects).flatMap((t) =>
      referencesOf(t).flatMap(({ kind, name, keys, at }): StackFinding[] => {
        const missing: StackFinding = {
          object: t.owner,
          message: `${at}: ${kind} "${name}" not found in namespace "${t.namespace}"`,
          ...(kind === 'Secret' ? { provided: 'Secret' } : {}),
        };
        if (kind === 'PersistentVolumeClaim')
          return claims.has(`${t.namespace}/${name}`) || claimTemplateProduces(objects, t.namespace, name) ? [] : [missing];
        const pool = kind === 'Secret' ? secrets : configMaps;
        if (!pool) return [];
        const have = pool.get(`${t.namespace}/${name}`);
        if (!have) return [missing];
        if (have === 'unknown') return [];
        return keys
          .filter((k) => !have.has(k))
          .map((k) => ({
            object: t.owner,
            message: `${at}: ${kind} "${name}" has no key "${k}" (has: ${[...have].join(', ') || 'none'})`,
          }));
      }),
    );
  },
};

/** IANA_SVC_NAME, as Kubernetes validates port names: 1-15 of [a-z0-9-], a letter, no leading, trailing or double hyphen. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'is longer than 15 characters';
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) return 'may hold only lowercase letters, digits and inner hyphens';
  if (name.includes('--')) return 'may not hold two hyphens in a row';
  if (!/[a-z]/.test(name)) return 'must hold at least one letter';
  return undefined;
}

/** Containers that serve traffic: app containers and native sidecars (init containers that keep running). */
const servingContainers = (t: PodTemplate): Container[] => [
  ...((t.pod.containers ?? []) as Container[]),
  ...((t.pod.initContainers ?? []) as Container[]).filter((c) => c.restartPolicy === 'Always'),
];

const targetPortsValid: StackRule = {
  id: 'target-ports-valid',
  scope: 'stack',
  title: 'Service target ports are well formed and match a port of every pod they select',
  rationale:
    'A targetPort naming no container port (or a malformed port name, which the API rejects) leaves the Service with no endpoints for that port: connections are refused although the pods are healthy.',
  severity: 'medium',
  category: 'references',
  controls: { kubeLinter: ['invalid-target-ports'], crosswalk: [55] },
  enforcement: mandatory,
  check(objects) {
    const findings: StackFinding[] = [];
    const templates = podTemplates(objects);
    for (const t of templates)
      for (const { container, where } of containersOf(t.pod))
        for (const p of (container.ports ?? []) as Obj[]) {
          const problem = p.name !== undefined ? portNameProblem(String(p.name)) : undefined;
          if (problem) findings.push({ object: t.owner, message: `${where}: port name "${p.name}" ${problem}` });
        }
    for (const service of ofKind(objects, 'Service')) {
      const spec = specOf(service);
      const selector: Record<string, string> = spec.selector ?? {};
      const selected = Object.keys(selector).length
        ? templates.filter((t) => t.namespace === namespaceOf(service) && selects({ matchLabels: selector }, t.labels))
        : [];
      ((spec.ports ?? []) as Obj[]).forEach((port, i) => {
        const target: number | string = port.targetPort ?? port.port;
        const at = `spec.ports[${i}].targetPort ${JSON.stringify(target)}`;
        const problem =
          typeof target === 'string'
            ? portNameProblem(target)
            : Number.isInteger(target) && target >= 1 && target <= 65535
              ? undefined
              : 'is not a port number (1-65535)';
        if (problem) {
          findings.push({ object: service, message: `${at} ${problem}` });
          return;
        }
        for (const t of selected) {
          const ports = servingContainers(t).flatMap((c) => (c.ports ?? []) as Obj[]);
          if (!ports.some((p) => (typeof target === 'string' ? p.name === target : p.containerPort === target)))
            findings.push({ object: service, message: `${at} matches no container port of ${describe(t.owner)}` });
        }
      });
    }
    return findings;
  },
};

const normalizePath = (path: string | undefined) => (!path || path === '/' ? '/' : path.replace(/\/+$/, ''));

const ingressHostsUnique: StackRule = {
  id: 'ingress-hosts-unique',
  scope: 'stack',
  title: 'No two Ingress rules of one class route the same host and path',
  rationale:
    'When two Ingresses claim the same host and path, the controller picks one by its own precedence (creation time, name): which service answers changes between installs, silently.',
  severity: 'medium',
  category: 'references',
  controls: { crosswalk: [] },
  enforcement: mandatory,
  check(objects) {
    const routes = new Map<string, { object: KubeObject; at: string; label: string }[]>();
    const add = (key: string, object: KubeObject, at: string, label: string) =>
      routes.set(key, [...(routes.get(key) ?? []), { object, at, label }]);
    for (const ingress of ofKind(objects, 'Ingress')) {
      const spec = specOf(ingress);
      const cls = spec.ingressClassName ?? ingress.metadata.annotations?.['kubernetes.io/ingress.class'] ?? '';
      if (spec.defaultBackend ?? spec.backend) add(`${cls}|default`, ingress, 'spec.defaultBackend', 'the default backend');
      ((spec.rules ?? []) as Obj[]).forEach((rule, i) => {
        const host = rule.host ?? '*';
        ((rule.http?.paths ?? []) as Obj[]).forEach((p, j) =>
          add(
            `${cls}|${host}|${normalizePath(p.path)}`,
            ingress,
            `spec.rules[${i}].http.paths[${j}]`,
            `host "${host}" path "${normalizePath(p.path)}"`,
          ),
        );
      });
    }
    return [...routes.values()]
      .filter((claims) => claims.length > 1)
      .flatMap((claims) =>
        claims.map((claim) => ({
          object: claim.object,
          message: `${claim.at}: ${claim.label} is also routed by ${claims
            .filter((c) => c !== claim)
            .map((c) => (c.object === claim.object ? `${c.at} of this Ingress` : `${describe(c.object)} ${c.at}`))
            .join(', ')}`,
        })),
      );
  },
};

export const referenceRules: StackRule[] = [
  serviceSelectsPods,
  ingressBackendsExist,
  hpaTargetExists,
  pdbSelectsPods,
  serviceAccountExists,
  podReferencesExist,
  targetPortsValid,
  ingressHostsUnique,
];

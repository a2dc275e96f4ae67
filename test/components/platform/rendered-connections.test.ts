// Every connection found in the rendered objects is allowed at both ends, judged from the objects
// alone (not from the model's edges): each in-cluster address a workload is given (container env,
// args and command, the ConfigMaps it mounts, the literal values of the Secrets it reads) is
// resolved through the rendered Services to the pods behind them and a port, and the rendered
// NetworkPolicies, evaluated as Kubernetes does, must let the source pod out and the target pod in.
// Addresses are the fully qualified `<service>.<namespace>.svc.cluster.local[:port]` and
// `<pod>.<service>.<namespace>.svc.cluster.local[:port]`; short names (`opensearch-headless`), the
// API server (`kubernetes.default.svc`), public hostnames and Secret templates' rendered files are
// not read.
import { allObjects, PlatformBuild } from '../../../components/platform/build';
import type { KubeObject } from '../../../components/platform/kube-object';
import { buildFor, ENVIRONMENTS } from '../../helpers/build';
import {
  allowsEgress,
  allowsIngress,
  isolated,
  Labels,
  matchesSelector,
  NAMESPACE_NAME_LABEL,
  PodRef,
  policyTypesOf,
  PortRef,
  selects,
} from '../../helpers/network-policy';

// ---------------------------------------------------------------------------------------------
// The helper itself: policies evaluated as Kubernetes does, shown able to refuse.

const policy = (namespace: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});
const peer = (namespace: string, app: string) => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
  podSelector: { matchLabels: { app } },
});
const tcp = (port: number | string) => ({ protocol: 'TCP', port });
const denyAll = (namespace: string) => policy(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

const client: PodRef = { namespace: 'a', labels: { app: 'client', tier: 'front' } };
const server: PodRef = { namespace: 'b', labels: { app: 'server' }, ports: [{ name: 'http', containerPort: 8080 }] };
const clientEgress = policy('a', 'client-egress', {
  podSelector: { matchLabels: { app: 'client' } },
  policyTypes: ['Egress'],
  egress: [{ to: [peer('b', 'server')], ports: [tcp(8080)] }],
});
const serverIngress = policy('b', 'server-ingress', {
  podSelector: { matchLabels: { app: 'server' } },
  policyTypes: ['Ingress'],
  ingress: [{ from: [peer('a', 'client')], ports: [tcp(8080)] }],
});
const ALLOWING = [denyAll('a'), denyAll('b'), clientEgress, serverIngress];

describe('NetworkPolicy evaluation (test/helpers/network-policy)', () => {
  it('allows a connection with an egress rule at the source and an ingress rule at the target', () => {
    expect(allowsEgress(ALLOWING, client, server, { port: 8080 })).toBe(true);
    expect(allowsIngress(ALLOWING, client, server, { port: 8080 })).toBe(true);
  });

  it('refuses it when the source has no egress rule for it', () => {
    const policies = [denyAll('a'), denyAll('b'), serverIngress];
    expect(allowsEgress(policies, client, server, { port: 8080 })).toBe(false);
    expect(allowsIngress(policies, client, server, { port: 8080 })).toBe(true);
  });

  it('refuses it when the target has no ingress rule for it', () => {
    expect(allowsIngress([denyAll('a'), denyAll('b'), clientEgress], client, server, { port: 8080 })).toBe(false);
  });

  it('refuses another port, at both ends', () => {
    expect(allowsEgress(ALLOWING, client, server, { port: 9090 })).toBe(false);
    expect(allowsIngress(ALLOWING, client, server, { port: 9090 })).toBe(false);
    expect(allowsEgress(ALLOWING, client, server, { port: 8080, protocol: 'UDP' })).toBe(false);
  });

  it('refuses the same labels in another namespace, at both ends', () => {
    expect(allowsEgress(ALLOWING, client, { ...server, namespace: 'c' }, { port: 8080 })).toBe(false);
    expect(allowsIngress(ALLOWING, { ...client, namespace: 'c' }, server, { port: 8080 })).toBe(false);
  });

  it('refuses other pods of the right namespace', () => {
    expect(allowsEgress(ALLOWING, client, { ...server, labels: { app: 'database' } }, { port: 8080 })).toBe(false);
    expect(allowsIngress(ALLOWING, { ...client, labels: { app: 'batch' } }, server, { port: 8080 })).toBe(false);
  });

  it('checks only the peer when no port is given', () => {
    expect(allowsEgress(ALLOWING, client, server)).toBe(true);
    expect(allowsEgress(ALLOWING, client, { ...server, namespace: 'c' })).toBe(false);
  });

  it('lets everything through a pod no policy of the direction selects, as Kubernetes does', () => {
    expect(isolated(ALLOWING, client, 'Egress')).toBe(true);
    expect(isolated([serverIngress], client, 'Egress')).toBe(false);
    expect(allowsEgress([serverIngress], client, server, { port: 1 })).toBe(true);
  });

  it('selects pods of the policy namespace only, by matchLabels and matchExpressions', () => {
    expect(selects(denyAll('a'), 'a', {})).toBe(true);
    expect(selects(denyAll('a'), 'b', {})).toBe(false);
    expect(selects(clientEgress, 'a', { app: 'server' })).toBe(false);
    const expression = (operator: string, values?: string[]) =>
      matchesSelector({ matchExpressions: [{ key: 'tier', operator, values }] }, client.labels);
    expect([
      expression('In', ['front']),
      expression('In', ['back']),
      expression('NotIn', ['front']),
      expression('NotIn', ['back']),
    ]).toEqual([true, false, false, true]);
    expect([expression('Exists'), expression('DoesNotExist')]).toEqual([true, false]);
  });

  it('reads a podSelector-only peer as the policy namespace, and a named port as the destination container port', () => {
    const named = policy('b', 'server-ingress', {
      podSelector: { matchLabels: { app: 'server' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [tcp('http')] }],
    });
    expect(allowsIngress([named], { ...client, namespace: 'b' }, server, { port: 8080 })).toBe(true);
    expect(allowsIngress([named], client, server, { port: 8080 })).toBe(false);
    expect(allowsIngress([named], { ...client, namespace: 'b' }, server, { port: 9090 })).toBe(false);
  });

  it('defaults the policy types as the API server does', () => {
    expect(policyTypesOf({ spec: { podSelector: {} } })).toEqual(['Ingress']);
    expect(policyTypesOf({ spec: { podSelector: {}, egress: [] } })).toEqual(['Ingress', 'Egress']);
  });
});

// ---------------------------------------------------------------------------------------------
// The rendered objects: where addresses are, who uses them, and what they reach.

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet']);
/** Ports implied by a URL scheme when the address names none. */
const SCHEME_PORTS: Record<string, number> = { http: 80, https: 443 };
/** Addresses in rendered objects that no platform workload connects to, and why. */
const NOT_CONNECTIONS: Record<string, string> = {
  // CoreDNS's rewrite of the public hostnames to the edge inside a k3d cluster: an answer, not a connection.
  'ConfigMap kube-system/coredns-custom': 'read by CoreDNS',
};

interface Workload {
  id: string;
  object: KubeObject;
  pod: PodRef;
  spec: any;
}

interface Address {
  text: string;
  labels: string[];
  port?: number;
  scheme?: string;
}

/** An address found at a place, with what that place tells about its port when the address does not. */
interface Occurrence {
  address: Address;
  /** `ConfigMap platform-compute/dbt-build-config data.profiles.yml`, `SecretPlan .../x host`. */
  where: string;
  /** The object holding it and the path inside (for the completeness check); absent for Secret plans. */
  at?: { object: string; path: string };
  sources: Workload[];
  adjacentPort?: number;
}

interface Connection {
  environment: string;
  source: Workload;
  target: Workload;
  /** On the target pod; absent when no port could be inferred (only the peer is checked). */
  port?: PortRef;
  address: string;
  where: string;
}

const LABEL = String.raw`(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?|\$\([A-Za-z_][A-Za-z0-9_]*\))`;
const ADDRESS = new RegExp(String.raw`(?:([a-z][a-z0-9+.-]*):\/\/)?((?:${LABEL}\.)+)svc\.cluster\.local(?::(\d+))?`, 'g');

function addressesIn(text: string): Address[] {
  return [...text.matchAll(ADDRESS)].map((m) => ({
    text: m[0].replace(/^[a-z][a-z0-9+.-]*:\/\//, ''),
    labels: m[2].split('.').filter(Boolean),
    port: m[3] ? Number(m[3]) : undefined,
    scheme: m[1],
  }));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const numeric = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined);
const objectKey = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`.replace(' /', ' ');
const podTemplateOf = (o: any) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template);
const templatePath = (o: KubeObject) => (o.kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template');
const containersOf = (spec: any): [string, any[]][] =>
  (['initContainers', 'containers', 'ephemeralContainers'] as const).map((k) => [k, spec[k] ?? []]);

/** In a config file: `host: X` (or `x.host=X`) beside `port: N` (or `x.port=N`) at the same level. */
function portBesideInFile(text: string, address: Address): number | undefined {
  const lines = text.split('\n');
  for (const line of lines) {
    const m = new RegExp(String.raw`^(\s*)([\w.-]*?)host(?:name)?\s*[:=]\s*["']?` + escape(address.text) + String.raw`["']?\s*$`, 'i').exec(
      line,
    );
    if (!m) continue;
    const portLine = new RegExp(String.raw`^${m[1]}${escape(m[2])}port\s*[:=]\s*["']?(\d+)["']?\s*$`, 'i');
    for (const other of lines) {
      const p = portLine.exec(other);
      if (p) return Number(p[1]);
    }
  }
  return undefined;
}

/** A `..._HOST`/`..._HOSTNAME` variable (or key) beside a `..._PORT` one with a literal number. */
function portBesideByName(name: string, values: Record<string, unknown>): number | undefined {
  const m = /^(.*?)host(?:name)?$/i.exec(name);
  if (!m) return undefined;
  const upper = name === name.toUpperCase();
  return numeric(values[`${m[1]}${upper ? 'PORT' : 'port'}`]);
}

function workloadsOf(objects: KubeObject[], namespaceLabels: Map<string, Labels>): Workload[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((object) => {
      const template = podTemplateOf(object);
      const namespace = object.metadata.namespace!;
      const ports = containersOf(template.spec).flatMap(([, cs]) => cs.flatMap((c: any) => c.ports ?? []));
      return {
        id: objectKey(object),
        object,
        spec: template.spec,
        pod: { namespace, labels: template.metadata?.labels ?? {}, namespaceLabels: namespaceLabels.get(namespace), ports },
      };
    });
}

/** The workloads of a namespace whose pods read a ConfigMap or Secret: volumes, projections, env and envFrom. */
function consumersOf(workloads: Workload[], kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Workload[] {
  const refs = (spec: any): string[] => {
    const out: string[] = [];
    for (const v of spec.volumes ?? []) {
      if (kind === 'ConfigMap' && v.configMap) out.push(v.configMap.name);
      if (kind === 'Secret' && v.secret) out.push(v.secret.secretName);
      for (const s of v.projected?.sources ?? []) {
        if (kind === 'ConfigMap' && s.configMap) out.push(s.configMap.name);
        if (kind === 'Secret' && s.secret) out.push(s.secret.name);
      }
    }
    for (const [, containers] of containersOf(spec))
      for (const c of containers) {
        for (const e of c.envFrom ?? []) out.push(kind === 'ConfigMap' ? e.configMapRef?.name : e.secretRef?.name);
        for (const e of c.env ?? []) out.push(kind === 'ConfigMap' ? e.valueFrom?.configMapKeyRef?.name : e.valueFrom?.secretKeyRef?.name);
      }
    return out;
  };
  return workloads.filter((w) => w.pod.namespace === namespace && refs(w.spec).includes(name));
}

/** Every address a workload is given, with the workloads that use it. */
function occurrencesIn(build: PlatformBuild, objects: KubeObject[], workloads: Workload[]): Occurrence[] {
  const out: Occurrence[] = [];
  for (const workload of workloads) {
    for (const [list, containers] of containersOf(workload.spec))
      containers.forEach((c: any, i: number) => {
        const base = `${templatePath(workload.object)}.spec.${list}[${i}]`;
        const env: Record<string, unknown> = Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
        (c.env ?? []).forEach((e: any, j: number) => {
          if (typeof e.value !== 'string') return;
          for (const address of addressesIn(e.value))
            out.push({
              address,
              where: `${workload.id} container ${c.name} env ${e.name}`,
              at: { object: workload.id, path: `${base}.env[${j}].value` },
              sources: [workload],
              adjacentPort: portBesideByName(e.name, env),
            });
        });
        for (const field of ['args', 'command'])
          (c[field] ?? []).forEach((arg: string, j: number) => {
            for (const address of addressesIn(arg))
              out.push({
                address,
                where: `${workload.id} container ${c.name} ${field}[${j}]`,
                at: { object: workload.id, path: `${base}.${field}[${j}]` },
                sources: [workload],
              });
          });
      });
  }
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    const sources = consumersOf(workloads, 'ConfigMap', cm.metadata.namespace!, cm.metadata.name);
    for (const [key, text] of Object.entries((cm as any).data ?? {}))
      for (const address of addressesIn(String(text)))
        out.push({
          address,
          where: `${objectKey(cm)} data.${key}`,
          at: { object: objectKey(cm), path: `data.${key}` },
          sources,
          adjacentPort: portBesideInFile(String(text), address),
        });
  }
  for (const service of build.services)
    for (const plan of service.secrets) {
      const sources = consumersOf(workloads, 'Secret', plan.namespace, plan.name);
      const literals = Object.fromEntries(Object.entries(plan.data).map(([k, v]) => [k, v.kind === 'literal' ? v.value : undefined]));
      for (const [key, value] of Object.entries(literals)) {
        if (typeof value !== 'string') continue;
        for (const address of addressesIn(value))
          out.push({
            address,
            where: `SecretPlan ${plan.namespace}/${plan.name} key ${key}`,
            sources,
            adjacentPort: portBesideByName(key, literals),
          });
      }
    }
  return out;
}

/** Every address anywhere in the rendered objects, by object and path: what the scan above must account for. */
function everyAddress(objects: KubeObject[]): { object: string; path: string }[] {
  const out: { object: string; path: string }[] = [];
  const walk = (value: unknown, path: string, object: string) => {
    if (typeof value === 'string') {
      for (let i = addressesIn(value).length; i > 0; i--) out.push({ object, path });
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, object));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, object);
  };
  for (const o of objects) walk(o, '', objectKey(o));
  return out;
}

interface Scan {
  build: PlatformBuild;
  policies: any[];
  connections: Connection[];
  /** Addresses that name no Service, no pods, or a port the Service does not expose. */
  unresolved: string[];
  /** Addresses in places no workload reads (or the scan does not read), by object or plan. */
  unattributed: string[];
}

function scan(environment: string): Scan {
  const build = buildFor(environment);
  const objects = allObjects(build);
  const namespaceLabels = new Map<string, Labels>(
    objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}]),
  );
  const workloads = workloadsOf(objects, namespaceLabels);
  const services = objects.filter((o) => o.kind === 'Service') as any[];
  const occurrences = occurrencesIn(build, objects, workloads);
  const connections: Connection[] = [];
  const unresolved: string[] = [];
  const unattributed: string[] = [];

  for (const occurrence of occurrences) {
    const { address, where } = occurrence;
    if (!occurrence.sources.length) {
      unattributed.push(where);
      continue;
    }
    if (address.labels.length < 2 || address.labels.length > 3) {
      unresolved.push(`${address.text} (${where}): not <service>.<namespace> or <pod>.<service>.<namespace>`);
      continue;
    }
    const [namespace, serviceName, podName] = [...address.labels].reverse();
    const service = services.find((s) => s.metadata.name === serviceName && s.metadata.namespace === namespace);
    if (!service) {
      unresolved.push(`${address.text} (${where}): no Service ${namespace}/${serviceName} is rendered`);
      continue;
    }
    let targets = workloads.filter(
      (w) =>
        w.pod.namespace === namespace && service.spec.selector && matchesSelector({ matchLabels: service.spec.selector }, w.pod.labels),
    );
    // A StatefulSet pod by name: that StatefulSet's pods, when the Service selects them.
    const ordinal = podName && /^(.+)-\d+$/.exec(podName);
    if (ordinal && targets.some((t) => t.object.kind === 'StatefulSet' && t.object.metadata.name === ordinal[1]))
      targets = targets.filter((t) => t.object.kind === 'StatefulSet' && t.object.metadata.name === ordinal[1]);
    if (!targets.length) {
      unresolved.push(`${address.text} (${where}): Service ${namespace}/${serviceName} selects no rendered pods`);
      continue;
    }
    const port = address.port ?? occurrence.adjacentPort ?? (address.scheme ? SCHEME_PORTS[address.scheme] : undefined);
    const headless = service.spec.clusterIP === 'None' || podName !== undefined;
    for (const target of targets) {
      let targetPort: PortRef | undefined;
      if (port !== undefined) {
        const named = (name: string) => target.pod.ports?.find((p) => p.name === name);
        if (headless) {
          // Straight to the pod: the address's port is the container's.
          targetPort = { port, name: target.pod.ports?.find((p) => p.containerPort === port)?.name };
        } else {
          const entry = (service.spec.ports ?? []).find((p: any) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
          if (!entry) {
            unresolved.push(`${address.text} (${where}): Service ${namespace}/${serviceName} exposes no port ${port}`);
            continue;
          }
          const to = entry.targetPort ?? entry.port;
          const container = typeof to === 'string' ? named(to) : undefined;
          if (typeof to === 'string' && !container) {
            unresolved.push(`${address.text} (${where}): ${target.id} has no container port named "${to}"`);
            continue;
          }
          targetPort = container ? { port: container.containerPort, name: container.name } : { port: to };
        }
      }
      for (const source of occurrence.sources)
        connections.push({ environment, source, target, port: targetPort, address: address.text, where });
    }
  }

  // Every address anywhere in the objects is one the scan read.
  const read = new Set(occurrences.filter((o) => o.at).map((o) => `${o.at!.object} ${o.at!.path}`));
  for (const { object, path } of everyAddress(objects)) if (!read.has(`${object} ${path}`)) unattributed.push(`${object} ${path}`);

  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  return { build, policies, connections, unresolved: [...new Set(unresolved)], unattributed: [...new Set(unattributed)] };
}

const nameOf = (w: Workload) => w.pod.labels['app.kubernetes.io/name'];
const portText = (c: Connection) => (c.port ? `${c.port.port}${c.port.name ? ` (${c.port.name})` : ''}` : 'any port (none inferred)');
const distinct = (connections: Connection[]) => [
  ...new Set(connections.map((c) => `${c.source.id} -> ${c.target.id}:${c.port?.port ?? '*'}`)),
];

describe.each(ENVIRONMENTS)('%s: every connection found in the rendered objects is allowed at both ends', (environment) => {
  let found: Scan;
  beforeAll(() => {
    found = scan(environment);
  });

  it('finds enough connections, the known ones among them, so it cannot pass vacuously', () => {
    const { connections, build } = found;
    expect(distinct(connections).length).toBeGreaterThan(10);
    const has = (from: string, to: string, port?: number) =>
      connections.some((c) => nameOf(c.source) === from && nameOf(c.target) === to && (port === undefined || c.port?.port === port));
    expect(has('trino', 'opa', 8181)).toBe(true);
    expect(has('trino', 'polaris', 8181)).toBe(true);
    expect(has('dbt', 'trino', 8443)).toBe(true);
    if (build.services.some((s) => s.declaration.name === 'openmetadata')) expect(has('openmetadata', 'opensearch', 9200)).toBe(true);
  });

  it('resolves every address to rendered pods and a port their Service exposes', () => {
    expect(found.unresolved).toEqual([]);
  });

  it('accounts for every address in the rendered objects: read by a workload, or known not to be a connection', () => {
    expect(found.unattributed.filter((where) => !Object.keys(NOT_CONNECTIONS).some((k) => where.startsWith(k)))).toEqual([]);
  });

  it('isolates every pod a connection starts or ends at, so the rules below are what lets it through', () => {
    const pods = [...new Set(found.connections.flatMap((c) => [c.source, c.target]))];
    expect(
      pods.filter((w) => !isolated(found.policies, w.pod, 'Egress') || !isolated(found.policies, w.pod, 'Ingress')).map((w) => w.id),
    ).toEqual([]);
  });

  it('lets every connection out of its source and into its target', () => {
    const denied = found.connections.flatMap((c) => {
      const ends = [
        allowsEgress(found.policies, c.source.pod, c.target.pod, c.port) ? [] : ['egress at the source'],
        allowsIngress(found.policies, c.source.pod, c.target.pod, c.port) ? [] : ['ingress at the target'],
      ].flat();
      return ends.length
        ? [`${c.source.id} -> ${c.target.id} port ${portText(c)} via ${c.address} (${c.where}): no ${ends.join(', no ')}`]
        : [];
    });
    expect([...new Set(denied)]).toEqual([]);
  });
});

describe.each(ENVIRONMENTS)('%s: every namespace denies by default', (environment) => {
  const build = buildFor(environment);
  const objects = allObjects(build);
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as any[];
  const namespaceLabels = new Map<string, Labels>(
    objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}]),
  );
  const workloads = workloadsOf(objects, namespaceLabels);
  const namespaces = [...new Set([...build.namespaces.map((n) => n.name), ...workloads.map((w) => w.pod.namespace)])];

  it('has namespaces with workloads in them', () => {
    expect(namespaces.length).toBeGreaterThan(0);
    expect(workloads.length).toBeGreaterThan(0);
  });

  it.each(namespaces)('%s: a default-deny policy selects every pod of the namespace and lets nothing in or out', (namespace) => {
    const deny = policies.find((p) => p.metadata.namespace === namespace && p.metadata.name === 'default-deny');
    expect(deny).toBeDefined();
    expect(deny.spec.podSelector).toEqual({});
    expect(policyTypesOf(deny)).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
    // What it selects: every pod of its namespace (the rendered ones and any other), none elsewhere.
    const pods: PodRef[] = [
      ...workloads.filter((w) => w.pod.namespace === namespace).map((w) => w.pod),
      { namespace, labels: {} },
      { namespace, labels: { 'app.kubernetes.io/name': 'anything-else' } },
    ];
    expect(pods.every((pod) => selects(deny, pod.namespace, pod.labels))).toBe(true);
    expect(selects(deny, `${namespace}-other`, {})).toBe(false);
    // What it blocks: alone, no peer on any port, in either direction.
    const peers: PodRef[] = [
      { namespace, labels: {} },
      { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    ];
    for (const pod of pods)
      for (const other of peers) {
        expect(allowsIngress([deny], other, pod)).toBe(false);
        expect(allowsEgress([deny], pod, other)).toBe(false);
      }
    expect(deny.spec.ingress ?? []).toEqual([]);
    expect(deny.spec.egress ?? []).toEqual([]);
  });
});

// For every environment, the whole platform: schema-valid against the Kubernetes OpenAPI models,
// every reference resolves, namespaces are restricted, no Secret object, images pinned, DNS open.
import { allObjects } from '../../components/platform/build';
import type { KubeObject } from '../../components/platform/kube-object';
import { effectiveEdges } from '../../components/platform/graph';
import { podMetadataOf, podSpecOf, restrictedViolations } from '../../components/base/pod-security';
import { checkReferences } from '../../policies/validation/references';
import { validateSchema } from '../../policies/validation/schema';
import { buildFor, ENVIRONMENTS, plannedSecrets, userSecrets } from '../helpers/build';
import { allowsEgress, allowsIngress, PodRef } from '../helpers/network-policy';

const containers = (o: KubeObject): any[] => {
  const pod = podSpecOf(o);
  return pod ? [...(pod.initContainers ?? []), ...pod.containers] : [];
};

describe.each(ENVIRONMENTS)('the full %s render', (environment) => {
  const build = buildFor(environment);
  const objects = allObjects(build);
  const everything = [...objects, ...plannedSecrets(build)];

  it('builds the storage layer and the edge', () => {
    const names = build.services.map((s) => s.declaration.name);
    expect(names).toEqual(expect.arrayContaining(['postgres-platform', 'postgres-warehouse']));
  });

  it('is valid against the Kubernetes OpenAPI models: required fields, types, no unknown fields', () => {
    expect(validateSchema(everything)).toEqual([]);
  });

  it('resolves every reference: Secrets and keys, ConfigMaps, selectors, ports, claims, accounts, classes, backends', () => {
    const storageClasses = Object.values(build.config.storageClasses);
    expect(checkReferences(everything, { storageClasses, externalSecrets: userSecrets(build) })).toEqual([]);
  });

  it('puts every pod in a namespace labelled restricted, and every pod meets restricted', () => {
    for (const ns of build.namespaces) expect({ ns: ns.name, level: ns.podSecurity }).toEqual({ ns: ns.name, level: 'restricted' });
    for (const o of objects) {
      const pod = podSpecOf(o);
      if (pod)
        expect({ object: `${o.kind}/${o.metadata.name}`, violations: restrictedViolations(pod) }).toEqual({
          object: `${o.kind}/${o.metadata.name}`,
          violations: [],
        });
    }
  });

  // Secret values are the delivery paths' (render's secrets/, Pulumi's random): that none reaches a
  // manifest is judged on real renders of every environment in test/render/no-secret-outside-secrets.test.ts.
  it('holds no Secret object: every Secret is made by a delivery path', () => {
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([]);
  });

  it('pins every image by tag, through the mirror and by digest where the environment asks', () => {
    const images = objects.flatMap(containers).map((c) => c.image as string);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image).not.toMatch(/:latest(@|$)/);
      expect(image).toMatch(/^[^/]+\/.+:[^:@/]+(@sha256:[0-9a-f]{64})?$/);
      if (build.config.images.registryMirror) expect(image.startsWith(`${build.config.images.registryMirror}/`)).toBe(true);
      if (build.config.images.digestPinning) expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
  });

  describe('network policies, evaluated as Kubernetes does, against the declared edges', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const NAME = 'app.kubernetes.io/name';
    const COMPONENT = 'app.kubernetes.io/component';
    /** Every rendered pod template as the policies see it. */
    const pods: PodRef[] = objects
      .filter((o) => podSpecOf(o))
      .map((o) => {
        const spec = podSpecOf(o)!;
        return {
          namespace: o.metadata.namespace!,
          labels: (podMetadataOf(o) as { labels?: Record<string, string> } | undefined)?.labels ?? {},
          ports: [...(spec.initContainers ?? []), ...spec.containers].flatMap((c: any) => c.ports ?? []),
        };
      });
    const podsOf = (service: string, component?: string) =>
      pods.filter((p) => p.labels[NAME] === service && (!component || p.labels[COMPONENT] === component));
    const declarations = build.services.map((s) => s.declaration);
    const edges = build.services.flatMap((s) =>
      effectiveEdges(s.declaration, build.config, declarations)
        .filter((e) => e.to !== s.declaration.name)
        .map((e) => {
          const port = declarations.find((d) => d.name === e.to)!.ports.find((p) => p.name === e.port)!;
          return { from: s.declaration.name, to: e.to, name: e.port, port: port.port, servedBy: port.servedBy };
        }),
    );

    it('has edges between services that run pods', () => {
      expect(edges.length).toBeGreaterThan(10);
      expect(edges.filter((e) => podsOf(e.from).length && podsOf(e.to, e.servedBy).length).length).toBeGreaterThan(10);
    });

    it("lets every pod of an edge's source out to, and into, every pod serving its port", () => {
      const denied = edges.flatMap((e) =>
        podsOf(e.from).flatMap((source) =>
          podsOf(e.to, e.servedBy).flatMap((target) => {
            const port = { port: e.port };
            const ends = [
              allowsEgress(policies, source, target, port) ? [] : ['egress'],
              allowsIngress(policies, source, target, port) ? [] : ['ingress'],
            ].flat();
            return ends.length ? [`${e.from} -> ${e.to}:${e.name} (${e.port}): no ${ends.join(', no ')}`] : [];
          }),
        ),
      );
      expect([...new Set(denied)]).toEqual([]);
    });

    /** A pod of no platform namespace: a port that lets it in is open to anyone. */
    const anyone: PodRef = { namespace: 'somewhere-else', labels: {} };
    const publicPorts = declarations.flatMap((d) =>
      d.ports
        .filter((p) => podsOf(d.name).some((target) => allowsIngress(policies, anyone, target, { port: p.port })))
        .map((p) => `${d.name}:${p.name}`),
    );

    it("opens ports to anyone only at the edge: Traefik's web and websecure", () => {
      expect(publicPorts.sort()).toEqual(['traefik:web', 'traefik:websecure']);
    });

    it("opens no service's port to another service without an edge, at either end (the edge's public ports aside)", () => {
      const declared = new Set(edges.map((e) => `${e.from} -> ${e.to}:${e.port}`));
      const services = [...new Set(pods.map((p) => p.labels[NAME]).filter(Boolean))];
      const open = services.flatMap((from) =>
        services
          .filter((to) => to !== from)
          .flatMap((to) =>
            (declarations.find((d) => d.name === to)?.ports ?? [])
              .filter((p) => !declared.has(`${from} -> ${to}:${p.port}`))
              .flatMap((p) => {
                const pairs = podsOf(from).flatMap((source) => podsOf(to).map((target) => [source, target] as const));
                const port = { port: p.port };
                const isPublic = publicPorts.includes(`${to}:${p.name}`);
                return [
                  pairs.some(([source, target]) => allowsEgress(policies, source, target, port)) ? ['egress at the source'] : [],
                  !isPublic && pairs.some(([source, target]) => allowsIngress(policies, source, target, port))
                    ? ['ingress at the target']
                    : [],
                ]
                  .flat()
                  .map((end) => `${from} -> ${to}:${p.name} (${p.port}): ${end}`);
              }),
          ),
      );
      expect(open).toEqual([]);
    });
  });

  // Default deny (what it selects and blocks) is judged in test/components/platform/rendered-connections.test.ts;
  // here, the one thing every namespace opens besides the edges: DNS, to the cluster's resolver only.
  it('lets every pod reach the cluster resolver (kube-system/kube-dns) on port 53 over UDP and TCP, and a pod no edge concerns nothing else', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const dns: PodRef = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    const pods: PodRef[] = objects
      .filter((o) => podSpecOf(o))
      .map((o) => ({
        namespace: o.metadata.namespace!,
        labels: (podMetadataOf(o) as { labels?: Record<string, string> } | undefined)?.labels ?? {},
      }));
    expect(pods.length).toBeGreaterThan(10);
    // A pod no service policy selects: only the namespace baseline applies to it.
    const strangers: PodRef[] = build.namespaces.map((ns) => ({ namespace: ns.name, labels: { 'app.kubernetes.io/name': 'stranger' } }));
    const reaches = (pod: PodRef, target: PodRef, port: number, protocol = 'UDP') =>
      allowsEgress(policies, pod, target, { port, protocol });
    for (const pod of [...pods, ...strangers])
      expect({ pod, udp: reaches(pod, dns, 53), tcp: reaches(pod, dns, 53, 'TCP') }).toEqual({ pod, udp: true, tcp: true });
    for (const pod of strangers) {
      expect({ pod, otherPort: reaches(pod, dns, 80, 'TCP') }).toEqual({ pod, otherPort: false });
      expect({ pod, otherPod: reaches(pod, { namespace: 'kube-system', labels: { 'k8s-app': 'metrics' } }, 53) }).toEqual({
        pod,
        otherPod: false,
      });
      expect({ pod, elsewhere: reaches(pod, { namespace: 'other', labels: { 'k8s-app': 'kube-dns' } }, 53) }).toEqual({
        pod,
        elsewhere: false,
      });
    }
  });

  it('names objects readably: no generated hashes', () => {
    for (const o of objects) expect(o.metadata.name).not.toMatch(/-[0-9a-f]{8}$|c8[0-9a-f]{6}/);
  });
});

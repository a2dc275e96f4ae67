// For every environment, the whole platform: schema-valid against the Kubernetes OpenAPI models,
// every reference resolves, namespaces are restricted, no secret value in any object, images pinned.
import { allObjects } from '../../components/platform/build';
import type { KubeObject } from '../../components/platform/kube-object';
import { effectiveEdges } from '../../components/platform/graph';
import { podSpecOf, restrictedViolations } from '../../components/base/pod-security';
import { checkReferences } from '../../policies/validation/references';
import { validateSchema } from '../../policies/validation/schema';
import { buildFor, ENVIRONMENTS, plannedSecrets, userSecrets } from '../helpers/build';

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

  it('holds no secret value: no Secret objects, no literal credentials in env or config', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const o of objects)
      for (const c of containers(o))
        for (const env of c.env ?? [])
          if (/PASSWORD|SECRET|TOKEN|ACCESS_KEY|CREDENTIAL/i.test(env.name) && !/_FILE$|_PATH$/.test(env.name))
            expect({ object: o.metadata.name, env: env.name, literal: env.value }).toEqual({
              object: o.metadata.name,
              env: env.name,
              literal: undefined,
            });
    const generated = build.services
      .flatMap((s) => s.secrets)
      .flatMap((p) => Object.values(p.data))
      .filter((d) => d.kind === 'random');
    expect(generated.length).toBeGreaterThan(0);
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

  it('opens one allow per edge: egress at the source and ingress at the target', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as any[];
    /** The rules of the service's policy, or of its serving component's policy for a port only that component serves. */
    const allows = (name: string, direction: 'ingress' | 'egress', servedBy?: string) =>
      policies.find((p) => p.metadata.name === (servedBy ? `${name}-${servedBy}-${direction}` : `${name}-${direction}`))?.spec[direction] ??
      [];
    for (const service of build.services) {
      for (const edge of effectiveEdges(
        service.declaration,
        build.config,
        build.services.map((s) => s.declaration),
      )) {
        if (edge.to === service.declaration.name) continue;
        const { port, servedBy } = build.services
          .find((s) => s.declaration.name === edge.to)!
          .declaration.ports.find((p) => p.name === edge.port)!;
        const out = allows(service.declaration.name, 'egress').some(
          (r: any) =>
            r.to.some((p: any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === edge.to) &&
            r.ports.some((p: any) => p.port === port),
        );
        const inn = allows(edge.to, 'ingress', servedBy).some(
          (r: any) =>
            r.from.some((p: any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === service.declaration.name) &&
            r.ports.some((p: any) => p.port === port),
        );
        expect({ edge: `${service.declaration.name} -> ${edge.to}:${edge.port}`, egress: out, ingress: inn }).toEqual({
          edge: `${service.declaration.name} -> ${edge.to}:${edge.port}`,
          egress: true,
          ingress: true,
        });
      }
    }
  });

  it('denies everything else by default in every namespace, allowing DNS', () => {
    for (const ns of build.namespaces) {
      const names = ns.objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
      expect(names).toEqual(['default-deny', 'allow-dns']);
    }
  });

  it('names objects readably: no generated hashes', () => {
    for (const o of objects) expect(o.metadata.name).not.toMatch(/-[0-9a-f]{8}$|c8[0-9a-f]{6}/);
  });
});

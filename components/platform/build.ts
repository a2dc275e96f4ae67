// Builds the platform model for one validated config: declarations, graph checks, each service's
// objects in its own cdk8s chart, the derived network policies, routes and namespaces.
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { PlatformConfig } from '../../environments/schema';
import { podMetadataOf, podSecurityLevel, podSpecOf, PodSecurityLevel, PSS_VERSION } from '../base/pod-security';
import { PART_OF, standardLabels } from '../base/labels';
import { ImageLock, ImageResolver } from '../images';
import { BuildContext } from './context';
import { ExternalServices, graphProblems } from './graph';
import { CLUSTER_SCOPED_KINDS, KubeObject } from './kube-object';
import { namespaceName, Placement, PLACEMENTS } from './layers';
import { namespaceBaseline, servicePolicies } from './network';
import { publicRoute } from './routes';
import type { SecretPlan } from './secrets';
import type { ServiceDeclaration, ServiceDefinition } from './service';
import type { TlsPlan } from './tls';

export interface BuiltService {
  declaration: ServiceDeclaration;
  namespace: string;
  objects: KubeObject[];
  secrets: SecretPlan[];
}

export interface BuiltNamespace {
  placement: Placement;
  name: string;
  podSecurity: PodSecurityLevel;
  objects: KubeObject[];
}

export interface PlatformBuild {
  config: PlatformConfig;
  images: ImageResolver;
  services: BuiltService[];
  namespaces: BuiltNamespace[];
  /** Planned by the edge service; absent only in builds without it (construct tests). */
  tls?: TlsPlan;
  /** Services reached outside the platform. */
  external: ExternalServices;
}

export class PlatformModelError extends Error {
  constructor(readonly problems: string[]) {
    super(`the platform model is inconsistent:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PlatformModelError';
  }
}

export interface BuildOptions {
  lock?: ImageLock;
  /** Services this platform does not run, reached at endpoints outside it (an identity provider, OPA). */
  external?: ExternalServices;
}

function synth(chart: Chart): KubeObject[] {
  return (chart.toJson() as KubeObject[]).map((o) => {
    if (CLUSTER_SCOPED_KINDS.has(o.kind)) delete o.metadata.namespace;
    return o;
  });
}

export function imageResolverFor(config: PlatformConfig, lock?: ImageLock): ImageResolver {
  return new ImageResolver(config.images, lock, config.k3d ? { k3s: { tag: config.k3d.k3sVersion } } : {});
}

/** The model of the given services (those enabled by the config): their objects and the wiring derived between them. */
export function buildModel(config: PlatformConfig, available: ServiceDefinition[], options: BuildOptions = {}): PlatformBuild {
  const definitions = available.filter((d) => d.enabled({ config }));
  const declarations = definitions.map((d) => d.declare({ config }));
  const external = options.external ?? {};
  const problems = graphProblems(declarations, config, external);
  if (problems.length) throw new PlatformModelError(problems);

  const images = imageResolverFor(config, options.lock);
  const ctx = new BuildContext(config, images, declarations, external);
  const app = new App();
  const services: BuiltService[] = definitions.map((definition, i) => {
    const declaration = declarations[i];
    const namespace = ctx.namespaceOf(declaration.name);
    const chart = new Chart(app, declaration.name, { namespace, disableResourceNameHashes: true });
    new k8s.KubeServiceAccount(chart, 'service-account', {
      metadata: { name: declaration.name, labels: standardLabels(ctx, declaration, 'identity') },
      automountServiceAccountToken: false,
    });
    const secretsBefore = ctx.secrets.length;
    definition.build(chart, ctx, declaration);
    servicePolicies(chart, ctx, declaration);
    publicRoute(chart, ctx, declaration);
    return { declaration, namespace, objects: synth(chart), secrets: ctx.secrets.slice(secretsBefore) };
  });
  const unused = unusedEdges(ctx);
  if (unused.length) throw new PlatformModelError(unused);
  // Secrets a service plans for a consumer belong with the consumer.
  for (const service of services) service.secrets = ctx.secrets.filter((s) => s.service === service.declaration.name);

  const namespaces: BuiltNamespace[] = [];
  for (const placement of PLACEMENTS) {
    const members = services.filter((s) => s.declaration.layer === placement);
    if (!members.length) continue;
    const name = namespaceName(config.prefix, placement);
    const podSecurity = strictestLevel(members.flatMap((s) => s.objects.filter((o) => o.metadata.namespace === name)));
    const chart = new Chart(app, `namespace-${placement}`, { namespace: name, disableResourceNameHashes: true });
    new k8s.KubeNamespace(chart, 'namespace', {
      metadata: {
        name,
        labels: {
          'app.kubernetes.io/part-of': PART_OF,
          'app.kubernetes.io/managed-by': PART_OF,
          'pod-security.kubernetes.io/enforce': podSecurity,
          'pod-security.kubernetes.io/enforce-version': PSS_VERSION,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    namespaceBaseline(chart);
    namespaces.push({ placement, name, podSecurity, objects: synth(chart) });
  }
  return { config, images, services, namespaces, tls: ctx.tls, external };
}

/** Declared edges no build asked the address of: a rule with nothing behind it, or an address written by hand. */
function unusedEdges(ctx: BuildContext): string[] {
  return ctx.services.flatMap((s) =>
    s.edges
      .filter((e) => ctx.reaches(e.to) && !ctx.connections.has(`${s.name}>${e.to}:${e.port}`))
      .map(
        (e) =>
          `service "${s.name}": declares an edge to "${e.to}" (port "${e.port}") but never asks for its address (ctx.connect): ` +
          'remove the edge, or take the address from the model',
      ),
  );
}

function strictestLevel(objects: KubeObject[]): PodSecurityLevel {
  const order: PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];
  let worst = 0;
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (pod) worst = Math.max(worst, order.indexOf(podSecurityLevel(pod, podMetadataOf(object))));
  }
  return order[worst];
}

/** All objects of a build, namespaces first. */
export function allObjects(build: PlatformBuild): KubeObject[] {
  return [...build.namespaces.flatMap((n) => n.objects), ...build.services.flatMap((s) => s.objects)];
}

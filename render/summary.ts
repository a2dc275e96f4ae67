// The machine-readable summary of a build: per service its images, hosts, requests and limits
// (every container's, times its workload's replicas), and the totals.
import type { BuiltService, PlatformBuild } from '../components/platform/build';
import type { KubeObject } from '../components/platform/kube-object';
import { cpuToMillicores, memoryToBytes } from '../components/platform/quantity';
import { publicHostName } from '../components/platform/routes';

export interface ServiceSummary {
  name: string;
  layer: string;
  namespace: string;
  images: string[];
  hosts: string[];
  requests: Resources;
  limits: Resources;
}

/** CPU in millicores, memory in bytes. */
export interface Resources {
  cpu: number;
  memory: number;
}

export interface PlatformSummary {
  environment: string;
  services: ServiceSummary[];
  /** `cpu` and `memory` are the requests (as in earlier renders); `limits` beside them. */
  totals: { cpu: number; memory: number; objects: number; limits: Resources };
  images: string[];
}

/** Long-running workloads only: Jobs finish, so they do not hold capacity. */
function replicasOf(object: KubeObject): number {
  const spec = object.spec as { replicas?: number } | undefined;
  if (object.kind === 'Deployment' || object.kind === 'StatefulSet') return spec?.replicas ?? 1;
  if (object.kind === 'DaemonSet') return 1;
  return 0;
}

type Quantities = { cpu?: string; memory?: string };
type Container = { image: string; resources?: { requests?: Quantities; limits?: Quantities } };

function containersOf(object: KubeObject): Container[] {
  const spec = object.spec as { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } | undefined;
  return spec?.template?.spec?.containers ?? [];
}

function imagesOf(object: KubeObject): string[] {
  const pod = (object.spec as any)?.template?.spec ?? (object.spec as any)?.jobTemplate?.spec?.template?.spec;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map((c: Container) => c.image);
}

/** A service's requests and limits: every container's times its workload's replicas (Jobs excluded). */
export function serviceResources(service: BuiltService): { requests: Resources; limits: Resources } {
  const requests = { cpu: 0, memory: 0 };
  const limits = { cpu: 0, memory: 0 };
  for (const object of service.objects) {
    const replicas = replicasOf(object);
    for (const c of containersOf(object)) {
      requests.cpu += replicas * cpuToMillicores(c.resources?.requests?.cpu ?? '0');
      requests.memory += replicas * memoryToBytes(c.resources?.requests?.memory ?? '0');
      limits.cpu += replicas * cpuToMillicores(c.resources?.limits?.cpu ?? '0');
      limits.memory += replicas * memoryToBytes(c.resources?.limits?.memory ?? '0');
    }
  }
  return { requests, limits };
}

const sum = (values: Resources[]): Resources => ({
  cpu: values.reduce((n, v) => n + v.cpu, 0),
  memory: values.reduce((n, v) => n + v.memory, 0),
});

/** The whole build's requests and limits, summed over its services as the summary does. */
export function resourceTotals(build: PlatformBuild): { requests: Resources; limits: Resources } {
  const each = build.services.map(serviceResources);
  return { requests: sum(each.map((r) => r.requests)), limits: sum(each.map((r) => r.limits)) };
}

export function summarize(build: PlatformBuild, objectCount: number): PlatformSummary {
  const services = build.services.map((service): ServiceSummary => {
    const decl = service.declaration;
    return {
      name: decl.name,
      layer: decl.layer,
      namespace: service.namespace,
      images: [...new Set([...service.objects.flatMap(imagesOf), ...decl.images.map((key) => build.images.ref(key))])].sort(),
      hosts: decl.publicHost ? [publicHostName(decl.publicHost, build.config.domain)] : [],
      ...serviceResources(service),
    };
  });
  const requests = sum(services.map((s) => s.requests));
  return {
    environment: build.config.environment,
    services,
    totals: { ...requests, objects: objectCount, limits: sum(services.map((s) => s.limits)) },
    images: [...new Set(services.flatMap((s) => s.images))].sort(),
  };
}

const GiB = 2 ** 30;

/** A few lines a person reads after a render; `optional`: what the switches that are off would add (footprint.ts). */
export function humanSummary(summary: PlatformSummary, outDir: string, optional: string[] = []): string {
  const byLayer = new Map<string, string[]>();
  for (const s of summary.services) byLayer.set(s.layer, [...(byLayer.get(s.layer) ?? []), s.name]);
  const lines = [`Rendered environment "${summary.environment}" to ${outDir}`];
  for (const [layer, names] of byLayer)
    lines.push(`  ${layer.padEnd(14)} ${String(names.length).padStart(2)} service${names.length === 1 ? ' ' : 's'}  ${names.join(', ')}`);
  const hosts = summary.services.flatMap((s) => s.hosts);
  lines.push(
    `  requests:      ${(summary.totals.cpu / 1000).toFixed(2)} CPU, ${(summary.totals.memory / GiB).toFixed(2)} GiB memory`,
    `  limits:        ${(summary.totals.limits.cpu / 1000).toFixed(2)} CPU, ${(summary.totals.limits.memory / GiB).toFixed(2)} GiB memory`,
    ...optional,
    `  objects:       ${summary.totals.objects} across ${summary.services.length} services; ${summary.images.length} images`,
    ...(hosts.length ? [`  public hosts:  ${hosts.join(', ')}`] : []),
    `  secrets:       ${outDir}/secrets/ (generated here, git-ignored: keep it private)`,
    `  apply with:    kubectl apply -k ${outDir}`,
  );
  return lines.join('\n');
}

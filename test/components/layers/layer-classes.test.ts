// Every layer class in both styles, from the same props: as a cdk8s Chart (its objects are its
// layer's, the app synthesizes without an explicit build) and as a Pulumi ComponentResource under
// mocks (objects registered as typed children of their layer, the provider passed, Secrets secret,
// stateful objects retained and protected where the config says so).
import { App } from 'cdk8s';
import { PLACEMENTS, Placement } from '../../../components/platform/layers';
import { Platform, PlatformError } from '../../../components/platform/platform';
import { StorageChart, storageLayer } from '../../../components/storage/layer';
import { LAYER_CHARTS, LAYER_DEFINITIONS } from '../../../stacks/charts';
import { configFor, plannedSecrets } from '../../helpers/build';
import { installMocks, isSecretValue, Registration } from '../../stacks/pulumi-mocks';

describe.each(['k3d', 'eks'])('every layer as a cdk8s Chart (%s)', (environment) => {
  const app = new App();
  const platform = new Platform(configFor(environment));
  const charts = PLACEMENTS.map((p) => new LAYER_CHARTS[p](app, p, { platform }));
  // No explicit build: synthesizing the app builds the platform.
  const synthesized = charts.map((c) => c.toJson());

  it.each(PLACEMENTS.map((p, i) => [p, i] as const))('%s: holds exactly its layer objects, in its namespace', (placement, i) => {
    const layer = charts[i].layer!;
    expect(layer.placement).toBe(placement);
    const expected = [...(layer.namespace?.objects ?? []), ...layer.services.flatMap((s) => s.objects)];
    expect(synthesized[i]).toHaveLength(expected.length);
    expect(new Set(synthesized[i].map((o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`))).toEqual(
      new Set(expected.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)),
    );
    for (const service of layer.services) expect(service.declaration.layer).toBe(placement);
    // Namespaced objects live in the layer namespace, except the ones a service puts elsewhere on purpose (kube-system).
    const foreign = synthesized[i].filter(
      (o: any) => o.metadata.namespace && o.metadata.namespace !== `platform-${placement}` && o.metadata.namespace !== 'kube-system',
    );
    expect(foreign).toEqual([]);
  });

  it('leaves the layers without services empty: no namespace, no objects', () => {
    const empty = charts.filter((c) => !c.layer!.services.length);
    expect(empty.map((c) => c.layer!.placement)).toEqual(['ingestion', 'ai', 'analytics', 'observability']);
    for (const c of empty) expect(c.toJson()).toEqual([]);
  });
});

describe('a layer given its own config slice', () => {
  it('validates the slice against the layer schema, naming the key and what is allowed', () => {
    const platform = new Platform(configFor('k3d'));
    const { postgres, objectStorage } = platform.config;
    const config = { postgres, objectStorage, polaris: { ...platform.config.polaris, catalog: 'Not A Name' } };
    expect(() => new StorageChart(new App(), 'storage', { platform, config })).toThrow(
      /^storage layer config: polaris\.catalog: received "Not A Name"; a Kubernetes object name: lowercase letters, digits and "-"$/,
    );
  });

  it('replaces the platform config slice it owns', () => {
    const platform = new Platform(configFor('k3d'));
    const polaris = { ...platform.config.polaris, catalog: 'lake' };
    const { postgres, objectStorage } = platform.config;
    new StorageChart(new App(), 'storage', { platform, config: { postgres, objectStorage, polaris } });
    expect(platform.config.polaris.catalog).toBe('lake');
  });

  it('refuses an external service whose endpoint is not a URL, naming the key and the value', () => {
    expect(() => new Platform(configFor('k3d'), { external: { opa: { url: 'opa:8181', cidrs: ['10.0.0.0/8'] } } })).toThrow(
      /^external services: external\.opa\.url: received "opa:8181"; /,
    );
  });

  it('refuses a layer added twice or after the build', () => {
    const platform = new Platform(configFor('k3d'));
    const app = new App();
    for (const p of PLACEMENTS) new LAYER_CHARTS[p](app, p, { platform });
    expect(() => platform.register(storageLayer, undefined, () => undefined)).toThrow(PlatformError);
    platform.build();
    expect(() => platform.register(LAYER_DEFINITIONS.storage, undefined, () => undefined)).toThrow(/already built/);
  });

  it('refuses a service listed in a layer it does not declare', () => {
    const platform = new Platform(configFor('k3d'));
    platform.register({ ...LAYER_DEFINITIONS.ai, services: LAYER_DEFINITIONS.storage.services }, undefined, () => undefined);
    expect(() => platform.build()).toThrow(/service "postgres-platform" declares layer "storage" but is listed in the ai layer/);
  });
});

async function runLayers(environment: string) {
  let registrations: Registration[] = [];
  let layers: any[] = [];
  await new Promise<void>((resolve, reject) =>
    jest.isolateModules(() => {
      (async () => {
        registrations = await installMocks(environment, {});
        const k8s = await import('@pulumi/kubernetes');
        const { LAYER_RESOURCES } = await import('../../../stacks/layers');
        const { Platform: IsolatedPlatform } = await import('../../../components/platform/platform');
        const platform = new IsolatedPlatform(configFor(environment));
        const provider = new k8s.Provider('cluster', {});
        layers = PLACEMENTS.map((p) => new LAYER_RESOURCES[p](p, { platform }, { provider }));
        platform.build();
        await new Promise((r) => setTimeout(r, 50));
      })().then(resolve, reject);
    }),
  );
  return { registrations, layers };
}

const typeOf = (p: Placement) => `analytics-platform:layers:${p[0].toUpperCase()}${p.slice(1)}Layer`;

describe.each(['k3d', 'eks'])('every layer as a Pulumi ComponentResource under mocks (%s)', (environment) => {
  let run: Awaited<ReturnType<typeof runLayers>>;
  const config = configFor(environment);
  beforeAll(async () => {
    run = await runLayers(environment);
  });

  it.each([...PLACEMENTS])('%s: registers its layer objects as typed children with the provider', (placement) => {
    const children = run.registrations.filter((r) => r.parentType === typeOf(placement));
    const platform = new Platform(config);
    const app = new App();
    const charts = PLACEMENTS.map((p) => new LAYER_CHARTS[p](app, p, { platform }));
    const build = platform.build();
    const layer = charts[PLACEMENTS.indexOf(placement)].layer!;
    const objects = [...(layer.namespace?.objects ?? []), ...layer.services.flatMap((s) => s.objects)];
    const secrets = plannedSecrets(build).filter((s) =>
      layer.services.some((svc) => svc.secrets.some((p) => p.name === s.metadata.name && p.namespace === s.metadata.namespace)),
    );
    const certificate = placement === 'edge' && config.tls.mode === 'self-signed' ? 2 : 0;
    expect(children.filter((r) => r.type.startsWith('kubernetes:'))).toHaveLength(objects.length + secrets.length + certificate);
    for (const child of children.filter((r) => r.type.startsWith('kubernetes:'))) {
      expect(child.hasProvider).toBe(true);
      expect(child.type).toMatch(/^kubernetes:([a-z0-9.-]+\/)?(core\/)?v[0-9a-z]+:[A-Z][A-Za-z]+$/);
    }
  });

  it('keeps every Secret value secret', () => {
    const secrets = run.registrations.filter((r) => r.type === 'kubernetes:core/v1:Secret');
    expect(secrets.length).toBeGreaterThan(10);
    for (const s of secrets) expect({ name: s.name, secret: isSecretValue(s.inputs.stringData) }).toEqual({ name: s.name, secret: true });
  });

  it('retains stateful objects on delete and protects them where the config says so', () => {
    const stateful = run.registrations.filter(
      (r) =>
        r.type === 'kubernetes:core/v1:PersistentVolumeClaim' ||
        (r.type === 'kubernetes:apps/v1:StatefulSet' && r.inputs.spec?.volumeClaimTemplates?.length),
    );
    expect(stateful.length).toBeGreaterThan(2);
    for (const s of stateful)
      expect({ name: s.name, retain: s.retainOnDelete, protect: s.protect ?? false }).toEqual({
        name: s.name,
        retain: true,
        protect: config.protect,
      });
    for (const d of run.registrations.filter((r) => r.type === 'kubernetes:apps/v1:Deployment')) expect(d.retainOnDelete).toBeUndefined();
  });

  it('exposes each layer namespace and Secret names, and the CA on the layer that serves the self-signed certificate', () => {
    const byPlacement = Object.fromEntries(PLACEMENTS.map((p, i) => [p, run.layers[i]]));
    expect(byPlacement.storage.namespace).toBe('platform-storage');
    expect(byPlacement.ingestion.namespace).toBeUndefined();
    expect(byPlacement.storage.secretNames).toContain('platform-storage/postgres-platform-superuser');
    expect(Boolean(byPlacement.edge.caCertificate)).toBe(config.tls.mode === 'self-signed');
  });
});

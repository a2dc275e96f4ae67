import Ajv from 'ajv';
import { parse } from 'yaml';
import { k3dClusterConfig } from '../../../../components/edge/k3d-cluster/k3d-cluster';
import { imageResolverFor } from '../../../../components/platform/build';
import { loadPlatformConfig } from '../../../../environments/load';
import schema from '../../../fixtures/k3d-v1alpha5.schema.json';

const configFor = (overrides: Record<string, unknown> = {}) => loadPlatformConfig({ environment: 'k3d', ...overrides });
const k3dConfig = (overrides: Record<string, unknown> = {}): any => {
  const config = configFor(overrides);
  return k3dClusterConfig(config, imageResolverFor(config));
};
const validate = new Ajv({ allErrors: true }).compile(schema);

describe('k3d cluster config', () => {
  it('validates against the k3d v1alpha5 schema, with and without a registry mirror', () => {
    for (const config of [k3dConfig(), k3dConfig({ images: { registryMirror: 'k3d-registry.localhost:5000' } })]) {
      const ok = validate(config);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('the schema check rejects a malformed config, so it can fail', () => {
    expect(validate({ ...k3dConfig(), ports: [{ port: 80 }] })).toBe(false);
    expect(validate({ ...k3dConfig(), extra: true })).toBe(false);
  });

  it('names the cluster and sizes its nodes from config', () => {
    const out = k3dConfig({ k3d: { clusterName: 'lab', servers: 3, agents: 2, k3sVersion: 'v1.31.5-k3s1', httpPort: 80, httpsPort: 443 } });
    expect(out).toMatchObject({ apiVersion: 'k3d.io/v1alpha5', kind: 'Simple', metadata: { name: 'lab' }, servers: 3, agents: 2 });
  });

  it('runs the k3s image of k3d.k3sVersion, through the mirror when one is set', () => {
    const version = { clusterName: 'platform', servers: 1, agents: 0, k3sVersion: 'v1.33.1-k3s1', httpPort: 80, httpsPort: 443 };
    expect(k3dConfig({ k3d: version }).image).toBe('docker.io/rancher/k3s:v1.33.1-k3s1');
    expect(k3dConfig({ k3d: version, images: { registryMirror: 'k3d-registry.localhost:5000' } }).image).toBe(
      'k3d-registry.localhost:5000/rancher/k3s:v1.33.1-k3s1',
    );
  });

  it('maps the configured host ports to 80 and 443 on the load balancer', () => {
    const out = k3dConfig({
      k3d: { clusterName: 'platform', servers: 1, agents: 0, k3sVersion: 'v1.31.5-k3s1', httpPort: 8080, httpsPort: 8443 },
    });
    expect(out.ports).toEqual([
      { port: '8080:80', nodeFilters: ['loadbalancer'] },
      { port: '8443:443', nodeFilters: ['loadbalancer'] },
    ]);
  });

  it("disables k3s's bundled Traefik on every server", () => {
    expect(k3dConfig().options.k3s.extraArgs).toEqual([{ arg: '--disable=traefik', nodeFilters: ['server:*'] }]);
  });

  it('configures no registries without a mirror', () => {
    expect(k3dConfig().registries).toBeUndefined();
  });

  it('sends docker.io, quay.io and ghcr.io pulls, and the mirror itself, to the mirror over HTTP', () => {
    const doc = parse(k3dConfig({ images: { registryMirror: 'k3d-registry.localhost:5000' } }).registries.config);
    const endpoint = ['http://k3d-registry.localhost:5000'];
    expect(doc.mirrors).toEqual({
      'docker.io': { endpoint },
      'quay.io': { endpoint },
      'ghcr.io': { endpoint },
      'k3d-registry.localhost:5000': { endpoint },
    });
  });

  it('writes registries.yaml as plain YAML, without anchors or aliases', () => {
    const text: string = k3dConfig({ images: { registryMirror: 'k3d-registry.localhost:5000' } }).registries.config;
    expect(text).not.toMatch(/[&*]a\d/);
  });

  it('rewrites upstream repositories under a mirror path, as image references do', () => {
    const doc = parse(k3dConfig({ images: { registryMirror: 'registry.lan:5000/mirror' } }).registries.config);
    expect(doc.mirrors['docker.io']).toEqual({ endpoint: ['http://registry.lan:5000'], rewrite: { '^(.*)$': 'mirror/$1' } });
    expect(doc.mirrors['registry.lan:5000']).toEqual({ endpoint: ['http://registry.lan:5000'] });
  });

  it('refuses other environments with a clear error', () => {
    const eks = loadPlatformConfig({
      environment: 'eks',
      domain: 'data.example.com',
      tls: { mode: 'cert-manager', clusterIssuer: 'letsencrypt' },
    });
    expect(() => k3dClusterConfig(eks, imageResolverFor(eks))).toThrow(/environment is "eks".*only the "k3d" environment/);
  });
});

// The Pulumi program for each stack under mocks: typed resources, parents, the provider,
// secrets kept secret, stateful objects retained and protected where the stack says so.
import { isSecretValue, installMocks, Registration, valueOf } from './pulumi-mocks';
import { ENVIRONMENT_OVERRIDES } from '../helpers/build';

const asStackConfig = (overrides: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(overrides).map(([key, value]) => [
      `analytics-platform:${key}`,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );

async function runStack(environment: string, overrides = ENVIRONMENT_OVERRIDES[environment]) {
  let registrations: Registration[] = [];
  let outputs: any;
  let error: unknown;
  await jestIsolated(async () => {
    registrations = await installMocks(environment, asStackConfig(overrides));
    const { deployPlatform } = await import('../../stacks/platform');
    try {
      outputs = deployPlatform();
      // Let every registration settle.
      await new Promise((r) => setTimeout(r, 50));
    } catch (e) {
      error = e;
    }
  });
  return { registrations, outputs, error };
}

/** Each stack runs in fresh module instances: the Pulumi runtime keeps global state. */
function jestIsolated(fn: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    jest.isolateModules(() => {
      fn().then(resolve, reject);
    });
  });
}

const kubernetes = (rs: Registration[]) => rs.filter((r) => r.type.startsWith('kubernetes:') && r.type !== 'pulumi:providers:kubernetes');

describe.each(['k3d', 'eks', 'airgapped'])('stack %s under mocks', (environment) => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    run = await runStack(environment);
  });

  it('registers without error', () => {
    expect(run.error).toBeUndefined();
  });

  it('registers every manifest object as its own typed resource', () => {
    const types = new Set(kubernetes(run.registrations).map((r) => r.type));
    for (const type of [
      'kubernetes:core/v1:Namespace',
      'kubernetes:apps/v1:StatefulSet',
      'kubernetes:batch/v1:Job',
      'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'kubernetes:core/v1:Secret',
    ])
      expect(types).toContain(type);
    for (const type of types) expect(type).toMatch(/^kubernetes:([a-z0-9.-]+\/)?(core\/)?v[0-9a-z]+:[A-Z][A-Za-z]+$/);
    expect([...types].filter((t) => /^kubernetes:v1:/.test(t))).toEqual([]);
  });

  it('gives every Kubernetes object its layer class as parent and the stack provider', () => {
    for (const r of kubernetes(run.registrations)) {
      // A namespaced object's layer is the one its namespace is named after.
      const namespace = r.inputs.metadata?.namespace as string | undefined;
      const placement = namespace?.startsWith('platform-') ? namespace.slice('platform-'.length) : undefined;
      const expected = placement
        ? `analytics-platform:layers:${placement[0].toUpperCase()}${placement.slice(1)}Layer`
        : expect.stringMatching(/^analytics-platform:layers:[A-Z][a-z]+Layer$/);
      expect({ name: r.name, parent: r.parentType, provider: r.hasProvider }).toEqual({ name: r.name, parent: expected, provider: true });
    }
  });

  it('registers one component per layer of the environment, aliased to the type stacks were deployed with before', () => {
    const layers = run.registrations.filter((r) => r.type.startsWith('analytics-platform:layers:')).map((r) => r.name);
    expect(layers).toEqual(['ingestion', 'storage', 'compute', 'ai', 'analytics', 'governance', 'edge', 'observability']);
  });

  it('keeps every Secret value secret', () => {
    const secrets = run.registrations.filter((r) => r.type === 'kubernetes:core/v1:Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.inputs.data).toBeUndefined();
      expect({ name: secret.name, secret: isSecretValue(secret.inputs.stringData) }).toEqual({ name: secret.name, secret: true });
    }
  });

  it('makes passwords with @pulumi/random, letters and digits only', () => {
    const passwords = run.registrations.filter((r) => r.type === 'random:index/randomPassword:RandomPassword');
    expect(passwords.map((p) => p.name)).toContain('postgres-platform/superuser');
    for (const p of passwords) expect(p.inputs).toMatchObject({ special: false });
    // 20 is the length of an S3 access key id; every password is longer.
    expect(passwords.every((p) => p.inputs.length >= 20)).toBe(true);
  });

  it('retains database StatefulSets on delete, and protects them where the stack asks', () => {
    const protect = environment !== 'k3d';
    const databases = run.registrations.filter((r) => r.type === 'kubernetes:apps/v1:StatefulSet' && r.name.includes('postgres-'));
    expect(databases.length).toBe(2);
    for (const db of databases) expect({ retain: db.retainOnDelete, protect: db.protect ?? false }).toEqual({ retain: true, protect });
    const deployments = run.registrations.filter((r) => r.type === 'kubernetes:apps/v1:Deployment');
    for (const d of deployments) expect(d.retainOnDelete).toBeUndefined();
  });

  it('replaces bootstrap Jobs by deleting first, since their names are stable', () => {
    const jobs = run.registrations.filter((r) => r.type === 'kubernetes:batch/v1:Job');
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) expect(job.deleteBeforeReplace).toBe(true);
  });

  it('exports the public URLs and namespaces', async () => {
    const urls = await valueOf(run.outputs.urls);
    const domain = (ENVIRONMENT_OVERRIDES[environment].domain as string | undefined) ?? 'platform.localhost';
    for (const url of Object.values(urls as Record<string, string>))
      expect(url).toMatch(new RegExp(`^https://[a-z-]+\\.${domain.replace(/\./g, '\\.')}$`));
    expect(run.outputs.namespaces).toContain('platform-storage');
  });
});

describe('self-signed TLS on the Pulumi path', () => {
  it('creates the CA and wildcard certificate with the tls provider and exports the CA', async () => {
    const run = await runStack('k3d');
    const types = run.registrations.map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining(['tls:index/selfSignedCert:SelfSignedCert', 'tls:index/locallySignedCert:LocallySignedCert']),
    );
    const request = run.registrations.find((r) => r.type === 'tls:index/certRequest:CertRequest')!;
    expect(request.inputs.dnsNames).toEqual(['platform.localhost', '*.platform.localhost']);
    expect(await valueOf(run.outputs.caCertificate)).toMatch(/BEGIN CERTIFICATE/);
  });

  it('uses no tls provider when the certificate comes from elsewhere', async () => {
    const run = await runStack('eks');
    expect(run.registrations.filter((r) => r.type.startsWith('tls:'))).toEqual([]);
    expect(run.outputs.caCertificate).toBeUndefined();
  });
});

describe('bad stack config', () => {
  it('fails before any resource is registered', async () => {
    const run = await runStack('k3d', { environment: 'k3d', sizing: 'huge' });
    expect(String(run.error)).toMatch(/sizing: received "huge"; expected one of "small", "medium", "large"/);
    expect(run.registrations).toEqual([]);
  });
});

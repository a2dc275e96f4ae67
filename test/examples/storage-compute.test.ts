// The example user program (examples/storage-compute) under Pulumi mocks: storage and compute on an
// existing cluster, with the identity provider, sign-in proxy and OPA outside the platform.
import { installMocks, Registration, valueOf } from '../stacks/pulumi-mocks';

type Program = typeof import('../../examples/storage-compute/program');

async function runProgram(run: (program: Program) => unknown) {
  let registrations: Registration[] = [];
  let result: any;
  let error: unknown;
  await new Promise<void>((resolve, reject) => {
    jest.isolateModules(() => {
      (async () => {
        registrations = await installMocks('example', {});
        const program: Program = await import('../../examples/storage-compute/program');
        try {
          result = run(program);
          await new Promise((r) => setTimeout(r, 50));
        } catch (e) {
          error = e;
        }
      })().then(resolve, reject);
    });
  });
  return { registrations, result, error };
}

const configMap = (rs: Registration[], name: string) =>
  rs.find((r) => r.type === 'kubernetes:core/v1:ConfigMap' && r.name.endsWith(`/${name}`));
const policy = (rs: Registration[], name: string) =>
  rs.find((r) => r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy' && r.name.endsWith(`/${name}`));

describe('a user program composing storage and compute with identity and OPA outside the platform', () => {
  let run: Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    run = await runProgram((p) => p.storageAndCompute());
  });

  it('registers its three layer classes and nothing of the governance layer', async () => {
    expect(run.error).toBeUndefined();
    const layers = run.registrations.filter((r) => r.type.startsWith('analytics-platform:layers:')).map((r) => r.type);
    expect(layers).toEqual([
      'analytics-platform:layers:StorageLayer',
      'analytics-platform:layers:ComputeLayer',
      'analytics-platform:layers:EdgeLayer',
    ]);
    expect(await valueOf(run.result.namespaces)).toEqual(['platform-storage', 'platform-compute', 'platform-edge']);
    const namespaces = new Set(run.registrations.map((r) => r.inputs.metadata?.namespace).filter(Boolean));
    expect(namespaces.has('platform-governance')).toBe(false);
    expect(run.result.services).toEqual([
      'postgres-platform',
      'postgres-warehouse',
      'seaweedfs',
      'polaris',
      'trino',
      'spark',
      'spark-history',
      'dbt',
      'traefik',
    ]);
  });

  it('gives every Kubernetes object its layer as parent and the program provider', () => {
    const objects = run.registrations.filter((r) => r.type.startsWith('kubernetes:') && r.type !== 'pulumi:providers:kubernetes');
    expect(objects.length).toBeGreaterThan(50);
    for (const o of objects)
      expect({ name: o.name, parent: o.parentType, provider: o.hasProvider }).toMatchObject({
        provider: true,
        parent: expect.stringMatching(/^analytics-platform:layers:(Storage|Compute|Edge)Layer$/),
      });
  });

  it('points Trino at the organisation OPA and Keycloak, and opens egress only to their ranges', () => {
    const coordinator = configMap(run.registrations, 'trino-coordinator-config')!.inputs.data;
    expect(coordinator['access-control.properties']).toContain('opa.policy.uri=http://opa.corp.example.com:8181/v1/data/trino/allow');
    expect(coordinator['config.properties']).toContain('http-server.authentication.oauth2.issuer=https://sso.corp.example.com/realms/corp');
    const egress = policy(run.registrations, 'trino-egress')!.inputs.spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ protocol: 'TCP', port: 8181 }] });
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  it('asks the organisation sign-in proxy before routing to the Spark UI', () => {
    const dynamic = configMap(run.registrations, 'traefik-dynamic')!.inputs.data;
    expect(Object.values(dynamic).join('\n')).toContain('address: http://sign-in.corp.example.com:4180/?allowed_groups=');
  });

  it('takes the compute layer slice given to its class: Trino scales from one worker', () => {
    const hpa = run.registrations.find((r) => r.type === 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler' && r.name.includes('trino'));
    expect(hpa?.inputs.spec).toMatchObject({ minReplicas: 1, maxReplicas: 4 });
  });
});

describe('a missing neighbour', () => {
  it('is an error naming both sides when compute has neither the governance layer nor an external OPA', async () => {
    const run = await runProgram((p) => {
      const rest = Object.fromEntries(Object.entries(p.ORGANISATION_SERVICES).filter(([name]) => name !== 'opa'));
      return p.storageAndCompute(rest);
    });
    expect(String(run.error)).toMatch(
      /the compute layer's "trino" connects to "opa" \(port "http"\), but no layer of this platform runs "opa" and no external endpoint is configured for it/,
    );
  });
});

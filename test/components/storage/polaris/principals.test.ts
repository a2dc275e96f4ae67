// The catalog's clients: each engine signs in to Polaris as its own principal with its own
// principal role, never as root. The model (Secrets, mounts, config), the bootstrap script run for
// real against a stand-in Polaris, and a scan of every rendered workload of every environment.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlatformBuild } from '../../../../components/platform/build';
import type { KubeObject } from '../../../../components/platform/kube-object';
import { resolveSecretData, SecretPlan } from '../../../../components/platform/secrets';
import { ServiceDefinition, withDefaults } from '../../../../components/platform/service';
import { POLARIS_PORTS, POLARIS_SERVICE, S3_PORT, S3_SERVICE } from '../../../../components/storage/contract';
import { CATALOG_SCRIPT, renderCatalogScript } from '../../../../components/storage/polaris/bootstrap';
import { POLARIS_ROOT_SECRET, POLARIS_ROOT_SECRET_ID, polarisDefinition } from '../../../../components/storage/polaris/polaris';
import { catalogClients } from '../../../../components/storage/polaris/principals';
import { postgresDefinition } from '../../../../components/storage/postgres/postgres';
import { buildFor, containerOf, ENVIRONMENTS, find } from '../../../helpers/build';
import { describeWithTools } from '../../../support/tools';
import { FakePolaris, REALM, ROOT_SECRET } from './fake-polaris';
import { BUSYBOX, busyboxBin, run, shell, USERLANDS } from './script-harness';

/** A stand-in service of the compute layer, a catalog client when it has an edge to Polaris' API. */
const standIn = (name: string, client: boolean, ports: { name: string; port: number }[] = []): ServiceDefinition => ({
  name,
  enabled: () => true,
  declare: () =>
    withDefaults({
      name,
      layer: name === S3_SERVICE ? 'storage' : 'compute',
      description: `${name} stand-in`,
      images: [],
      ports: ports.map((p) => ({ ...p, http: true })),
      edges: client ? [{ to: POLARIS_SERVICE, port: POLARIS_PORTS.api.name }] : [],
      resources: {},
    }),
  // An edge must be used: the client asks for the catalog's address, as an engine does.
  build: (_scope, ctx) => {
    if (client) ctx.connect(name, POLARIS_SERVICE, POLARIS_PORTS.api.name);
  },
});

const build = (): PlatformBuild =>
  buildFor('k3d', {}, [
    postgresDefinition('platform'),
    postgresDefinition('warehouse'),
    standIn(S3_SERVICE, false, [S3_PORT]),
    polarisDefinition,
    standIn('trino', true),
    standIn('spark', true),
    standIn('superset', false),
  ]);

const secretsOf = (b: PlatformBuild): SecretPlan[] => b.services.flatMap((s) => s.secrets);
const planNamed = (b: PlatformBuild, name: string): SecretPlan => secretsOf(b).find((s) => s.name === name)!;
/** The random ids a plan's values come from. */
const idsOf = (plan: SecretPlan): string[] =>
  Object.values(plan.data).flatMap((v) => (v.kind === 'random' ? [v.id] : v.kind === 'template' ? v.ids : []));

describe('catalog clients', () => {
  const b = build();

  it('are the services with an edge to the Polaris API, each its own principal and principal role', () => {
    expect(catalogClients(b.services.map((s) => s.declaration))).toEqual([
      { service: 'trino', principal: 'trino', principalRole: 'trino', secretId: 'polaris/client/trino' },
      { service: 'spark', principal: 'spark', principalRole: 'spark', secretId: 'polaris/client/spark' },
    ]);
  });

  it("hold their own credentials, not root's, in a Secret in their own namespace", () => {
    for (const name of ['trino', 'spark']) {
      const plan = planNamed(b, `${name}-polaris`);
      expect(plan.namespace).toBe('platform-compute');
      expect(plan.service).toBe(name);
      expect(plan.data['client-id']).toEqual({ kind: 'literal', value: name });
      expect(plan.data['client-secret']).toEqual({ kind: 'random', id: `polaris/client/${name}`, length: 32 });
      expect(idsOf(plan)).not.toContain(POLARIS_ROOT_SECRET_ID);
      const values = resolveSecretData(plan, { [`polaris/client/${name}`]: `${name}-generated` });
      expect(values).toEqual({ 'client-id': name, 'client-secret': `${name}-generated`, credential: `${name}:${name}-generated` });
    }
    expect(
      secretsOf(b)
        .filter((s) => s.name.endsWith('-polaris'))
        .map((s) => s.name),
    ).toEqual(['trino-polaris', 'spark-polaris']);
  });

  it('are copied, by the same random ids, into a Secret only the bootstrap Job mounts, one file per principal', () => {
    const copy = planNamed(b, 'polaris-clients');
    expect(copy.namespace).toBe('platform-storage');
    expect(copy.data).toEqual({
      trino: { kind: 'random', id: 'polaris/client/trino', length: 32 },
      spark: { kind: 'random', id: 'polaris/client/spark', length: 32 },
    });
    const objects = b.services.find((s) => s.declaration.name === 'polaris')!.objects;
    const job = find(objects, 'Job', 'polaris-bootstrap');
    expect(containerOf(job, 'create-catalog').volumeMounts).toContainEqual({
      name: 'client-secrets',
      mountPath: '/etc/polaris-clients',
      readOnly: true,
    });
    expect(job.spec.template.spec.volumes).toContainEqual({
      name: 'client-secrets',
      secret: { secretName: 'polaris-clients', defaultMode: 0o440 },
    });
    const server = find(objects, 'Deployment', 'polaris').spec.template.spec;
    expect(JSON.stringify(server)).not.toContain('polaris-clients');
  });
});

// ---------------------------------------------------------------------------------------------
// Every rendered workload of every environment: who mounts which Polaris credentials.

/** The pod spec of a workload, or undefined for other kinds. */
function podSpec(o: KubeObject): any {
  const spec = (o as any).spec;
  if (o.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.spec;
  if (o.kind === 'Pod') return spec;
  return spec?.template?.spec;
}

/** Every Secret a pod reads: env, envFrom, secret and projected volumes. */
function secretsReadBy(pod: any): Set<string> {
  const names = new Set<string>();
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) names.add(e.valueFrom.secretKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.secretRef) names.add(e.secretRef.name);
  }
  for (const v of pod.volumes ?? []) {
    if (v.secret) names.add(v.secret.secretName);
    for (const source of v.projected?.sources ?? []) if (source.secret) names.add(source.secret.name);
  }
  return names;
}

describe.each(ENVIRONMENTS)('Polaris credentials across the whole %s platform', (environment) => {
  const platform = buildFor(environment);
  const workloads = platform.services.flatMap((s) =>
    s.objects.filter((o) => podSpec(o)).map((o) => ({ service: s.declaration.name, object: o, reads: secretsReadBy(podSpec(o)) })),
  );
  const readers = (secret: string) =>
    workloads.filter((w) => w.reads.has(secret)).map((w) => `${w.object.kind} ${w.object.metadata.namespace}/${w.object.metadata.name}`);

  it('mounts the root credentials in the Polaris bootstrap Job only', () => {
    expect(workloads.length).toBeGreaterThan(10);
    expect(readers(POLARIS_ROOT_SECRET)).toEqual(['Job platform-storage/polaris-bootstrap']);
    expect(readers('polaris-clients')).toEqual(['Job platform-storage/polaris-bootstrap']);
  });

  it("plans root's secret in Polaris' own Secret only", () => {
    const holders = secretsOf(platform).filter((p) => idsOf(p).includes(POLARIS_ROOT_SECRET_ID));
    expect(holders.map((p) => `${p.namespace}/${p.name}`)).toEqual(['platform-storage/polaris-root']);
  });

  it("gives each engine its own principal's Secret, read by that engine's pods only", () => {
    for (const engine of ['trino', 'spark']) {
      const plan = planNamed(platform, `${engine}-polaris`);
      expect(plan.namespace).toBe('platform-compute');
      expect(plan.data['client-id']).toEqual({ kind: 'literal', value: engine });
      expect(idsOf(plan)).toEqual(expect.arrayContaining([`polaris/client/${engine}`]));
      expect(new Set(idsOf(plan))).toEqual(new Set([`polaris/client/${engine}`]));
      const foreign = workloads.filter((w) => w.reads.has(`${engine}-polaris`) && w.service !== engine);
      expect(foreign.map((w) => w.object.metadata.name)).toEqual([]);
      expect(workloads.some((w) => w.service === engine && w.reads.has(`${engine}-polaris`))).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The bootstrap script with clients, run for real against a stand-in Polaris.

const PLAN = {
  realm: REALM,
  catalog: 'warehouse',
  bucket: 'platform-warehouse',
  namespaces: ['raw', 'staging', 'curated'],
  s3: { endpoint: 'http://seaweedfs:8333', region: 'us-east-1', pathStyle: true },
};
const CLIENTS = catalogClients(build().services.map((s) => s.declaration));
const NAMESPACE_PRIVILEGES = [
  'NAMESPACE_READ_PROPERTIES',
  'TABLE_LIST',
  'TABLE_READ_DATA',
  'TABLE_WRITE_DATA',
  'TABLE_CREATE',
  'TABLE_DROP',
  'VIEW_LIST',
  'VIEW_READ_PROPERTIES',
  'VIEW_CREATE',
  'VIEW_WRITE_PROPERTIES',
  'VIEW_DROP',
];

describeWithTools(['shellcheck'], 'the bootstrap script with clients', () => {
  it.each([
    ['three namespaces', PLAN.namespaces],
    ['one namespace', ['raw']],
  ])('passes shellcheck (%s)', (_name, namespaces) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'polaris-shellcheck-')), CATALOG_SCRIPT);
    fs.writeFileSync(file, renderCatalogScript({ ...PLAN, namespaces }, CLIENTS));
    try {
      expect(() => execFileSync('shellcheck', ['-s', 'sh', file], { encoding: 'utf8' })).not.toThrow();
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

describe.each(USERLANDS)('client principals against a stand-in Polaris ($name userland, real curl)', (userland) => {
  const polarisObjects = build().services.find((s) => s.declaration.name === 'polaris')!.objects;
  const files: Record<string, string> = find(polarisObjects, 'ConfigMap', 'polaris-bootstrap-script').data;
  const SECRETS: Record<string, string> = { trino: 'tr1no-"quoted"\\-s3cr3t', spark: 'sp4rk-s3cr3t-value' };
  let dir: string;
  let bin: string | undefined;
  let secrets: string;
  let polaris: FakePolaris;
  let url: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polaris-clients-'));
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    if (userland.shell === BUSYBOX) bin = busyboxBin();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (bin) fs.rmSync(bin, { recursive: true, force: true });
  });

  /** A fresh stand-in Polaris and client secret files. */
  async function setUp(): Promise<void> {
    secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'polaris-client-secrets-'));
    for (const [name, value] of Object.entries(SECRETS)) fs.writeFileSync(path.join(secrets, name), value);
    polaris = new FakePolaris();
    url = await polaris.listen();
  }
  async function tearDown(): Promise<void> {
    fs.rmSync(secrets, { recursive: true, force: true });
    await polaris.close();
  }

  const runScript = () =>
    run(...shell(userland, [path.join(dir, CATALOG_SCRIPT)]), {
      PATH: bin ?? '',
      POLARIS_URL: url,
      POLARIS_MANAGEMENT_URL: url,
      POLARIS_REALM: REALM,
      ROOT_CLIENT_ID: 'root',
      ROOT_CLIENT_SECRET: ROOT_SECRET,
      BOOTSTRAP_FILES: dir,
      CLIENT_SECRETS: secrets,
      WAIT_SECONDS: '0',
      TMPDIR: dir,
    });
  const expectNoCredentials = (output: string) => {
    for (const value of [...polaris.issued, ...Object.values(SECRETS), ROOT_SECRET]) expect(output).not.toContain(value);
    expect(output).not.toContain('s3cr3t');
  };
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  // One run, inspected by several tests: each run sends some fifty requests through curl.
  describe('a first run', () => {
    let result: { code: number; stdout: string; stderr: string };
    beforeAll(async () => {
      await setUp();
      result = await runScript();
    });
    afterAll(tearDown);

    it('creates the catalog role, its grants, and each principal role and principal with the exact management API calls', () => {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // The clients' part of the run: the requests after the catalog's namespaces.
      const after = polaris.requests.slice(polaris.requests.map((r) => r.url).lastIndexOf('/api/catalog/v1/warehouse/namespaces') + 1);
      const body = (r: { url: string; body: string }) => (r.body && !r.url.includes('/oauth/') ? JSON.parse(r.body) : r.body);
      const grants = '/api/management/v1/catalogs/warehouse/catalog-roles/table_readwrite/grants';
      const perClient = (name: string) => [
        ['POST', '/api/management/v1/principal-roles', { principalRole: { name } }, 'root'],
        ['PUT', `/api/management/v1/principal-roles/${name}/catalog-roles/warehouse`, { catalogRole: { name: 'table_readwrite' } }, 'root'],
        ['POST', '/api/management/v1/principals', { principal: { name }, credentialRotationRequired: false }, 'root'],
        ['POST', `/api/management/v1/principals/${name}/reset`, { clientId: name, clientSecret: SECRETS[name] }, 'root'],
        ['PUT', `/api/management/v1/principals/${name}/principal-roles`, { principalRole: { name } }, 'root'],
        ['POST', '/api/catalog/v1/oauth/tokens', `grant_type=client_credentials&scope=PRINCIPAL_ROLE:${name}`, undefined],
        ['GET', '/api/catalog/v1/config?warehouse=warehouse', '', name],
      ];
      expect(after.map((r) => [r.method, r.url, body(r), r.caller])).toEqual([
        ['POST', '/api/management/v1/catalogs/warehouse/catalog-roles', { catalogRole: { name: 'table_readwrite' } }, 'root'],
        ['PUT', grants, { grant: { type: 'catalog', privilege: 'NAMESPACE_LIST' } }, 'root'],
        ...PLAN.namespaces.flatMap((ns) =>
          NAMESPACE_PRIVILEGES.map((privilege) => ['PUT', grants, { grant: { type: 'namespace', namespace: [ns], privilege } }, 'root']),
        ),
        ...perClient('trino'),
        ...perClient('spark'),
      ]);
      const tokens = after.filter((r) => r.url.endsWith('/oauth/tokens'));
      expect(tokens.map((r) => r.headers.authorization)).toEqual([basic('trino', SECRETS.trino), basic('spark', SECRETS.spark)]);
      expect(result.stdout).toContain('polaris-bootstrap: principal trino: signs in with scope PRINCIPAL_ROLE:trino');
    });

    it('leaves each client its own role only, holding table and view rights in the namespaces and no management right', () => {
      for (const name of ['trino', 'spark']) {
        expect(polaris.principals.get(name)).toEqual({ clientId: name, secret: SECRETS[name], roles: new Set([name]) });
        expect(polaris.principalRoles.get(name)).toEqual(new Set(['warehouse/table_readwrite']));
      }
      const granted = polaris.grantsOf('warehouse', 'table_readwrite') as { type: string; privilege: string }[];
      expect(granted.filter((g) => g.type === 'catalog')).toEqual([{ type: 'catalog', privilege: 'NAMESPACE_LIST' }]);
      expect(new Set(granted.map((g) => g.privilege))).toEqual(new Set(['NAMESPACE_LIST', ...NAMESPACE_PRIVILEGES]));
    });

    it('names the realm in every API request, token requests included', () => {
      const api = polaris.requests.filter((r) => r.url.startsWith('/api/'));
      expect(api.length).toBeGreaterThan(40);
      expect(api.filter((r) => r.headers['polaris-realm'] !== REALM)).toEqual([]);
    });

    it('prints no secret and no token', () => {
      expectNoCredentials(result.stdout + result.stderr);
    });
  });

  // The other states in the curl image's userland only (busybox when installed): each run takes seconds.
  if (userland === USERLANDS[USERLANDS.length - 1])
    describe('again, or against a Polaris in another state', () => {
      beforeEach(setUp);
      afterEach(tearDown);

      it('converges on a second run: creates nothing twice and leaves credentials Polaris accepts as they are', async () => {
        expect((await runScript()).code).toBe(0);
        const firstRun = polaris.requests.length;
        const again = await runScript();
        expect(again.code).toBe(0);
        expect(polaris.requests.slice(firstRun).filter((r) => r.url.endsWith('/reset'))).toEqual([]);
        for (const name of ['trino', 'spark']) {
          expect(again.stdout).toContain(`principal role ${name}: exists already`);
          expect(again.stdout).toContain(`principal ${name}: exists already`);
          expect(again.stdout).toContain(`principal ${name}: Polaris accepts the credentials of its Secret`);
          expect(again.stdout).toContain(`principal ${name}: signs in with scope PRINCIPAL_ROLE:${name}`);
        }
        expect(again.stdout).toContain('catalog role table_readwrite: exists already');
        expect([...polaris.principals.keys()]).toEqual(['root', 'trino', 'spark']);
        expect(polaris.grantsOf('warehouse', 'table_readwrite')).toHaveLength(1 + 3 * NAMESPACE_PRIVILEGES.length);
        expectNoCredentials(again.stdout + again.stderr);
      });

      it("resets an existing principal's credentials to its Secret's value when Polaris does not accept them", async () => {
        expect((await runScript()).code).toBe(0);
        // The Secret holds a new value (regenerated), which Polaris does not know yet.
        fs.writeFileSync(path.join(secrets, 'spark'), 'sp4rk-rotated-s3cr3t');
        const firstRun = polaris.requests.length;
        const again = await runScript();
        expect(again.stderr).toBe('');
        expect(again.code).toBe(0);
        const resets = polaris.requests.slice(firstRun).filter((r) => r.url.endsWith('/reset'));
        expect(resets.map((r) => [r.url, JSON.parse(r.body)])).toEqual([
          ['/api/management/v1/principals/spark/reset', { clientId: 'spark', clientSecret: 'sp4rk-rotated-s3cr3t' }],
        ]);
        expect(polaris.principals.get('spark')!.secret).toBe('sp4rk-rotated-s3cr3t');
        expect(again.stdout).toContain('principal spark: credentials set to those of its Secret');
        expect(again.stdout).not.toContain('rotated');
      });

      it('takes over a principal that exists with credentials Polaris generated', async () => {
        polaris.principals.set('trino', { clientId: '0a1b2c3d4e5f6a7b', secret: 'generated-by-polaris', roles: new Set() });
        const result = await runScript();
        expect(result.code).toBe(0);
        expect(polaris.principals.get('trino')).toEqual({ clientId: 'trino', secret: SECRETS.trino, roles: new Set(['trino']) });
        expect(result.stdout).not.toContain('generated-by-polaris');
      });

      it('fails, naming the principal, when its client secret is missing', async () => {
        fs.rmSync(path.join(secrets, 'spark'));
        const result = await runScript();
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain(`polaris-bootstrap: principal spark: no client secret in ${secrets}/spark`);
        expect(polaris.principals.has('spark')).toBe(false);
        expectNoCredentials(result.stdout + result.stderr);
      });

      it('fails without printing the response when Polaris refuses the reset, as it might quote the request', async () => {
        polaris.failOn = {
          method: 'POST',
          path: '/api/management/v1/principals/trino/reset',
          status: 400,
          body: (request) => ({ error: { message: `Malformed request: ${request}`, type: 'BadRequestException', code: 400 } }),
        };
        const result = await runScript();
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain('polaris-bootstrap: principal trino: credentials reset to its Secret: HTTP 400');
        expect(result.stderr).not.toContain('Malformed');
        expectNoCredentials(result.stdout + result.stderr);
      });

      it('fails when the client cannot use the catalog with its own role, as the engine would', async () => {
        polaris.ignoreRoleAssignments = true;
        const result = await runScript();
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain('polaris-bootstrap: principal trino: catalog warehouse with scope PRINCIPAL_ROLE:trino: HTTP 401');
        expectNoCredentials(result.stdout + result.stderr);
      });
    });
});

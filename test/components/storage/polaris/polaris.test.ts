import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlatformBuild } from '../../../../components/platform/build';
import { resolveSecretData, SecretPlan } from '../../../../components/platform/secrets';
import { ServiceDefinition, withDefaults } from '../../../../components/platform/service';
import { S3_PORT, S3_SERVICE } from '../../../../components/storage/contract';
import { polarisDefinition } from '../../../../components/storage/polaris/polaris';
import { CATALOG_SCRIPT, renderSchemaWaitScript } from '../../../../components/storage/polaris/bootstrap';
import { postgresDefinition } from '../../../../components/storage/postgres/postgres';
import { podSecurityLevel } from '../../../../components/base/pod-security';
import { contentChecksum } from '../../../../components/base/workload';
import { validateSchema } from '../../../../policies/validation/schema';
import { buildFor, ENVIRONMENTS, find } from '../../../helpers/build';
import { describeWithPostgres, PG_BIN_DIR, startPostgres, type PostgresServer } from '../../../support/postgres-server';
import { FakePolaris, REALM, ROOT_SECRET } from './fake-polaris';
import { BUSYBOX, busyboxBin, run, SH, shell, USERLANDS } from './script-harness';

/** Stands in for the S3 store (built elsewhere): Polaris' bucket use implies an edge to it. */
const s3Store: ServiceDefinition = {
  name: S3_SERVICE,
  enabled: () => true,
  declare: () =>
    withDefaults({
      name: S3_SERVICE,
      layer: 'storage',
      description: 'S3 store stand-in',
      images: [],
      ports: [{ name: S3_PORT.name, port: S3_PORT.port, http: true }],
      resources: {},
    }),
  build: () => undefined,
};

function build(environment: string, extra: Record<string, unknown> = {}): PlatformBuild {
  const external = (extra.objectStorage as { mode?: string } | undefined)?.mode === 'external';
  return buildFor(environment, extra, [
    postgresDefinition('platform'),
    postgresDefinition('warehouse'),
    ...(external ? [] : [s3Store]),
    polarisDefinition,
  ]);
}

const polarisOf = (b: PlatformBuild) => b.services.find((s) => s.declaration.name === 'polaris')!;

function containerOf(workload: any, name: string): any {
  const pod = workload.spec.template.spec;
  const found = [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

const env = (container: any, name: string) => container.env?.find((e: any) => e.name === name);
const fromSecret = (secret: string, key: string) => ({ valueFrom: { secretKeyRef: { name: secret, key } } });

describe('Polaris declaration', () => {
  const decl = polarisOf(build('k3d')).declaration;

  it('serves the API on 8181 and health and metrics on the management port 8182, with no public host', () => {
    expect(decl.layer).toBe('storage');
    expect(decl.ports).toEqual([
      { name: 'api', port: 8181, http: true },
      { name: 'management', port: 8182, http: true },
    ]);
    expect(decl.metrics).toEqual({ port: 'management', path: '/q/metrics' });
    expect(decl.publicHost).toBeUndefined();
  });

  it('owns the polaris database on the platform PostgreSQL and reads and writes the warehouse bucket', () => {
    expect(decl.databases).toEqual([{ instance: 'platform', database: 'polaris', access: 'owner' }]);
    expect(decl.buckets).toEqual([{ name: 'warehouse', access: 'readwrite' }]);
  });
});

describe('Polaris server', () => {
  const built = polarisOf(build('k3d'));
  const deployment = find(built.objects, 'Deployment', 'polaris');
  const pod = deployment.spec.template.spec;
  const server = containerOf(deployment, 'polaris');

  it('runs the pinned 1.7.0 image as the image user 10000:10001 with a read-only root filesystem and /tmp writable', () => {
    expect(server.image).toBe('docker.io/apache/polaris:1.7.0');
    expect(pod.securityContext).toMatchObject({ runAsUser: 10000, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true });
    expect(server.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const tmp = server.volumeMounts.find((m: any) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: any) => v.name === tmp.name)).toEqual({ name: tmp.name, emptyDir: {} });
    expect(podSecurityLevel(pod)).toBe('restricted');
  });

  it('persists in PostgreSQL over JDBC with the datasource taken from the database Secret', () => {
    expect(env(server, 'POLARIS_PERSISTENCE_TYPE').value).toBe('relational-jdbc');
    expect(env(server, 'POLARIS_PERSISTENCE_RELATIONAL_JDBC_DATABASE_TYPE').value).toBe('postgresql');
    expect(env(server, 'QUARKUS_DATASOURCE_JDBC_URL')).toMatchObject(fromSecret('polaris-postgres-platform', 'jdbc-url'));
    expect(env(server, 'QUARKUS_DATASOURCE_USERNAME')).toMatchObject(fromSecret('polaris-postgres-platform', 'username'));
    expect(env(server, 'QUARKUS_DATASOURCE_PASSWORD')).toMatchObject(fromSecret('polaris-postgres-platform', 'password'));
  });

  it('serves the configured realm, logs to stdout only and signs S3 requests with its own keys', () => {
    expect(env(server, 'POLARIS_REALM_CONTEXT_REALMS').value).toBe('POLARIS');
    expect(env(server, 'QUARKUS_LOG_FILE_ENABLED').value).toBe('false');
    expect(env(server, 'AWS_ACCESS_KEY_ID')).toMatchObject(fromSecret('polaris-s3', 'access-key'));
    expect(env(server, 'AWS_SECRET_ACCESS_KEY')).toMatchObject(fromSecret('polaris-s3', 'secret-key'));
    expect(env(server, 'AWS_REGION').value).toBe('us-east-1');
  });

  it('probes start-up, liveness and readiness on the management port health endpoints', () => {
    expect(server.startupProbe.httpGet).toEqual({ path: '/q/health/live', port: 8182 });
    expect(server.startupProbe.periodSeconds * server.startupProbe.failureThreshold).toBeGreaterThanOrEqual(120);
    expect(server.livenessProbe.httpGet).toEqual({ path: '/q/health/live', port: 8182 });
    expect(server.readinessProbe.httpGet).toEqual({ path: '/q/health/ready', port: 8182 });
    expect(server.ports.map((p: any) => p.containerPort)).toEqual([8181, 8182]);
    const service = find(built.objects, 'Service', 'polaris');
    expect(service.spec.ports.map((p: any) => [p.name, p.port])).toEqual([
      ['api', 8181],
      ['management', 8182],
    ]);
  });

  it('signs tokens with a shared key file from a Secret, configured in the mounted application.properties', () => {
    const properties: string = find(built.objects, 'ConfigMap', 'polaris-config').data['application.properties'];
    expect(properties).toContain('polaris.authentication.token-broker.type=symmetric-key\n');
    expect(properties).toContain('polaris.authentication.token-broker.symmetric-key.file=/deployments/config/symmetric.key\n');
    expect(properties).toContain('polaris.features."SUPPORTED_CATALOG_STORAGE_TYPES"=["S3"]\n');
    expect(server.volumeMounts).toContainEqual({ name: 'config', mountPath: '/deployments/config', readOnly: true });
    expect(server.workingDir).toBe('/deployments');
    const sources = pod.volumes.find((v: any) => v.name === 'config').projected.sources;
    expect(sources).toEqual([
      { configMap: { name: 'polaris-config', items: [{ key: 'application.properties', path: 'application.properties' }] } },
      { secret: { name: 'polaris-token-key', items: [{ key: 'symmetric.key', path: 'symmetric.key' }] } },
    ]);
    expect(built.secrets.find((s) => s.name === 'polaris-token-key')!.data['symmetric.key']).toEqual({
      kind: 'random',
      id: 'polaris/token-key',
      length: 64,
    });
  });

  it('refuses requests that do not name the realm in the Polaris-Realm header, instead of serving the default realm', () => {
    const properties: string = find(built.objects, 'ConfigMap', 'polaris-config').data['application.properties'];
    expect(properties).toContain('polaris.realm-context.header-name=Polaris-Realm\n');
    expect(properties).toContain('polaris.realm-context.require-header=true\n');
    // The bootstrap sets the clients' credentials with the management API's reset endpoint.
    expect(properties).toContain('polaris.features."ENABLE_CREDENTIAL_RESET"=true\n');
    // Read only at start: a change of the file rolls the pods.
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'checksum/config': contentChecksum({ 'application.properties': properties }),
    });
  });

  it('starts only once the JDBC schema exists, checked with psql and the database Secret', () => {
    const wait = containerOf(deployment, 'wait-for-schema');
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['wait-for-schema']);
    expect(wait.command).toEqual(['/bin/sh', '-c', renderSchemaWaitScript()]);
    for (const [name, key] of [
      ['PGHOST', 'host'],
      ['PGPORT', 'port'],
      ['PGDATABASE', 'database'],
      ['PGUSER', 'username'],
      ['PGPASSWORD', 'password'],
    ])
      expect(env(wait, name)).toMatchObject(fromSecret('polaris-postgres-platform', key));
  });

  it.each([
    ['k3d', 1],
    ['airgapped', 2],
    ['eks', 3],
  ])('runs the sizing profile replicas on %s (%i), spread when more than one', (environment, replicas) => {
    const d = find(polarisOf(build(environment)).objects, 'Deployment', 'polaris');
    expect(d.spec.replicas).toBe(replicas);
    expect(Boolean(d.spec.template.spec.topologySpreadConstraints)).toBe(replicas > 1);
  });

  it('pulls every image through the registry mirror in the airgapped environment', () => {
    const objects = polarisOf(build('airgapped')).objects;
    const images = ['Deployment', 'Job'].flatMap((kind) => {
      const w = objects.find((o) => o.kind === kind) as any;
      return [...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers].map((c: any) => c.image);
    });
    expect(images.length).toBe(4);
    for (const image of images) expect(image).toMatch(/^registry\.corp\.internal:5000\//);
  });
});

describe('Polaris objects', () => {
  it.each(ENVIRONMENTS)('are valid against the Kubernetes API schema on %s', (environment) => {
    expect(validateSchema(polarisOf(build(environment)).objects)).toEqual([]);
  });
});

describe('Polaris secrets', () => {
  const b = build('k3d');
  const built = polarisOf(b);

  it('plans root credentials with the literal client id "root" and a generated secret, and renders the admin tool file from it', () => {
    const root = built.secrets.find((s) => s.name === 'polaris-root')!;
    expect(root.namespace).toBe('platform-storage');
    expect(root.data['client-id']).toEqual({ kind: 'literal', value: 'root' });
    expect(root.data['client-secret']).toEqual({ kind: 'random', id: 'polaris/root-client-secret', length: 32 });
    const values = resolveSecretData(root, { 'polaris/root-client-secret': 's3cr3t"\\x' });
    expect(JSON.parse(values['credentials.json'])).toEqual({ POLARIS: { 'client-id': 'root', 'client-secret': 's3cr3t"\\x' } });
  });

  it('puts no generated value into any object: every secret is referenced by name', () => {
    const plans: SecretPlan[] = b.services.flatMap((s) => s.secrets);
    const ids = [
      ...new Set(
        plans.flatMap((p) => Object.values(p.data).flatMap((v) => (v.kind === 'random' ? [v.id] : v.kind === 'template' ? v.ids : []))),
      ),
    ];
    const values = Object.fromEntries(ids.map((id, i) => [id, `GENERATED-${i}-${id.replace(/\W/g, '')}-VALUE`]));
    const text = JSON.stringify(built.objects);
    for (const plan of plans)
      for (const [key, value] of Object.entries(resolveSecretData(plan, values)))
        if (plan.data[key].kind !== 'literal') expect(text).not.toContain(value.trim());
    expect(text).not.toContain('GENERATED-');
  });
});

describe('Polaris bootstrap Job', () => {
  const built = polarisOf(build('k3d'));
  const job = find(built.objects, 'Job', 'polaris-bootstrap');
  const pod = job.spec.template.spec;
  const files: Record<string, string> = find(built.objects, 'ConfigMap', 'polaris-bootstrap-script').data;

  it('bootstraps the realm with the admin tool from the root credentials file, datasource from the database Secret', () => {
    const admin = containerOf(job, 'bootstrap-realm');
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['bootstrap-realm']);
    expect(admin.image).toBe('docker.io/apache/polaris-admin-tool:1.7.0');
    expect(admin.args).toEqual(['bootstrap', '--credentials-file', '/etc/polaris-root/credentials.json']);
    expect(admin.volumeMounts).toContainEqual({ name: 'root-credentials', mountPath: '/etc/polaris-root', readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === 'root-credentials').secret).toMatchObject({
      secretName: 'polaris-root',
      items: [{ key: 'credentials.json', path: 'credentials.json' }],
    });
    expect(env(admin, 'QUARKUS_DATASOURCE_PASSWORD')).toMatchObject(fromSecret('polaris-postgres-platform', 'password'));
    expect(env(admin, 'QUARKUS_DATASOURCE_JDBC_URL')).toMatchObject(fromSecret('polaris-postgres-platform', 'jdbc-url'));
  });

  it('then runs the generated catalog script in the curl image against the in-cluster Service, credentials from the root Secret', () => {
    const script = containerOf(job, 'create-catalog');
    expect(script.image).toBe('docker.io/curlimages/curl:8.14.1');
    expect(script.command).toEqual(['/bin/sh', `/bootstrap/${CATALOG_SCRIPT}`]);
    expect(env(script, 'POLARIS_URL').value).toBe('http://polaris.platform-storage.svc.cluster.local:8181');
    expect(env(script, 'POLARIS_MANAGEMENT_URL').value).toBe('http://polaris.platform-storage.svc.cluster.local:8182');
    expect(env(script, 'POLARIS_REALM').value).toBe('POLARIS');
    expect(env(script, 'ROOT_CLIENT_ID')).toMatchObject(fromSecret('polaris-root', 'client-id'));
    expect(env(script, 'ROOT_CLIENT_SECRET')).toMatchObject(fromSecret('polaris-root', 'client-secret'));
    expect(pod.volumes.find((v: any) => v.name === 'files').configMap.name).toBe('polaris-bootstrap-script');
    expect(podSecurityLevel(pod)).toBe('restricted');
  });

  it('creates an internal catalog on the SeaweedFS endpoint, path-style, without STS, confined to the prefixed bucket', () => {
    expect(JSON.parse(files['catalog.json'])).toEqual({
      catalog: {
        name: 'warehouse',
        type: 'INTERNAL',
        properties: { 'default-base-location': 's3://platform-warehouse/warehouse' },
        storageConfigInfo: {
          storageType: 'S3',
          allowedLocations: ['s3://platform-warehouse/'],
          endpoint: 'http://seaweedfs.platform-storage.svc.cluster.local:8333',
          pathStyleAccess: true,
          stsUnavailable: true,
          region: 'us-east-1',
        },
      },
    });
    expect(JSON.parse(files['grant.json'])).toEqual({ grant: { type: 'catalog', privilege: 'CATALOG_MANAGE_CONTENT' } });
  });

  it('takes endpoint, region and addressing style from the config when the object store is external', () => {
    const external = polarisOf(
      build('eks', {
        objectStorage: {
          mode: 'external',
          endpoint: 'https://s3.eu-west-1.amazonaws.com',
          region: 'eu-west-1',
          pathStyle: false,
          credentialsSecret: 's3-admin',
          cidrs: ['52.0.0.0/8'],
        },
      }),
    );
    const catalog = JSON.parse(find(external.objects, 'ConfigMap', 'polaris-bootstrap-script').data['catalog.json']).catalog;
    expect(catalog.storageConfigInfo).toMatchObject({
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      pathStyleAccess: false,
      stsUnavailable: true,
    });
    expect(env(containerOf(find(external.objects, 'Deployment', 'polaris'), 'polaris'), 'AWS_REGION').value).toBe('eu-west-1');
  });

  it('creates the namespaces the config names, and the catalog it names', () => {
    const custom = polarisOf(build('k3d', { polaris: { realm: 'LAKE', catalog: 'lake', namespaces: ['bronze', 'gold'] } }));
    const data = find(custom.objects, 'ConfigMap', 'polaris-bootstrap-script').data;
    expect(Object.keys(data).filter((k) => k.startsWith('namespace-'))).toEqual(['namespace-bronze.json', 'namespace-gold.json']);
    expect(JSON.parse(data['namespace-gold.json'])).toEqual({ namespace: ['gold'], properties: {} });
    expect(data[CATALOG_SCRIPT]).toContain("NAMESPACES='bronze gold'\n");
    expect(data[CATALOG_SCRIPT]).toContain('/api/catalog/v1/lake/namespaces');
    expect(JSON.parse(data['catalog.json']).catalog.properties['default-base-location']).toBe('s3://platform-warehouse/lake');
    expect(env(containerOf(find(custom.objects, 'Job', 'polaris-bootstrap'), 'create-catalog'), 'POLARIS_REALM').value).toBe('LAKE');
  });

  it('can reach the Polaris pods on both ports it calls, and the database and S3 store from every Polaris pod', () => {
    const ingress = find(built.objects, 'NetworkPolicy', 'polaris-ingress').spec.ingress;
    const self = ingress.find((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'] === 'polaris');
    expect(self.ports.map((p: any) => p.port)).toEqual([8181, 8182]);
    const egress = find(built.objects, 'NetworkPolicy', 'polaris-egress').spec.egress;
    const to = (name: string) => egress.find((r: any) => r.to[0].podSelector?.matchLabels['app.kubernetes.io/name'] === name);
    expect(to('postgres-platform').ports.map((p: any) => p.port)).toEqual([5432]);
    expect(to('seaweedfs').ports.map((p: any) => p.port)).toEqual([8333]);
  });
});

// ---------------------------------------------------------------------------------------------
// The generated scripts, run for real: sh from this machine, real curl and psql.

describe.each(USERLANDS)('generated scripts are valid POSIX sh ($name)', (userland) => {
  const files = find(polarisOf(build('k3d')).objects, 'ConfigMap', 'polaris-bootstrap-script').data;

  it.each([
    ['catalog script', files[CATALOG_SCRIPT]],
    ['schema wait', renderSchemaWaitScript()],
  ])('%s passes sh -n', async (_name, script) => {
    const result = await run(...shell(userland, ['-n', '-c', script]), {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe.each(USERLANDS)('catalog script against a fake Polaris ($name userland, real curl)', (userland) => {
  const files: Record<string, string> = find(polarisOf(build('k3d')).objects, 'ConfigMap', 'polaris-bootstrap-script').data;
  let dir: string;
  let bin: string | undefined;
  let polaris: FakePolaris;
  let url: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polaris-bootstrap-'));
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    if (userland.shell === BUSYBOX) bin = busyboxBin();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (bin) fs.rmSync(bin, { recursive: true, force: true });
  });
  beforeEach(async () => {
    polaris = new FakePolaris();
    url = await polaris.listen();
  });
  afterEach(() => polaris.close());

  const runScript = (env: Record<string, string> = {}) =>
    run(...shell(userland, [path.join(dir, CATALOG_SCRIPT)]), {
      PATH: bin ?? '',
      POLARIS_URL: url,
      POLARIS_MANAGEMENT_URL: url,
      POLARIS_REALM: REALM,
      ROOT_CLIENT_ID: 'root',
      ROOT_CLIENT_SECRET: ROOT_SECRET,
      BOOTSTRAP_FILES: dir,
      WAIT_SECONDS: '0',
      TMPDIR: dir,
      ...env,
    });
  const expectNoCredentials = (output: string) => {
    for (const issued of polaris.issued) expect(output).not.toContain(issued);
    expect(output).not.toContain('pa:ss');
  };

  it('leaves nothing behind in the temporary directory', async () => {
    const before = fs.readdirSync(dir).sort();
    expect((await runScript()).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it('waits for readiness, then creates the catalog, its grant and every namespace with the root token', async () => {
    polaris.notReadyFor = 2;
    const result = await runScript();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    if (bin) expect(fs.readlinkSync(path.join(bin, 'sed'))).toBe(BUSYBOX);
    expect([...polaris.catalogs]).toEqual(['warehouse']);
    expect([...polaris.namespaces]).toEqual(['warehouse.raw', 'warehouse.staging', 'warehouse.curated']);
    expect(polaris.grantsOf('warehouse', 'catalog_admin')).toEqual([{ type: 'catalog', privilege: 'CATALOG_MANAGE_CONTENT' }]);
    expect(polaris.requests.filter((r) => r.url === '/q/health/ready')).toHaveLength(3);
    const catalog = polaris.requests.find((r) => r.url === '/api/management/v1/catalogs')!;
    expect(catalog.headers['content-type']).toBe('application/json');
    expect(JSON.parse(catalog.body)).toEqual(JSON.parse(files['catalog.json']));
    expect(result.stdout).toContain('catalog warehouse: done');
    expectNoCredentials(result.stdout);
  });

  it('succeeds again on a second run, when everything exists already (409)', async () => {
    expect((await runScript()).code).toBe(0);
    const again = await runScript();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('catalog warehouse: exists already');
    expect(again.stdout).toContain('namespace warehouse.curated: exists already');
    expect(polaris.requests.filter((r) => r.method === 'POST' && r.url === '/api/management/v1/catalogs')).toHaveLength(2);
  });

  it('fails with the response body when Polaris answers an error, and stops there', async () => {
    polaris.failOn = { method: 'POST', path: '/api/catalog/v1/warehouse/namespaces' };
    const result = await runScript();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('namespace warehouse.raw: HTTP 500');
    expect(result.stderr).toContain('Database is on fire');
    expect(polaris.requests.filter((r) => r.url.endsWith('/namespaces'))).toHaveLength(1);
    expectNoCredentials(result.stdout + result.stderr);
  });

  it('fails without printing the secret when the root credentials are refused', async () => {
    const result = await runScript({ ROOT_CLIENT_SECRET: 'pa:ss-wrong' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('token request for realm POLARIS: HTTP 401');
    expectNoCredentials(result.stdout + result.stderr);
    expect(polaris.catalogs.size).toBe(0);
  });

  it('gives up when Polaris never becomes ready', async () => {
    polaris.notReadyFor = 1000;
    const result = await runScript({ WAIT_ATTEMPTS: '3' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('not ready');
    expect(polaris.requests.filter((r) => r.url === '/q/health/ready')).toHaveLength(3);
  });
});

describeWithPostgres('schema wait against a real PostgreSQL', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());

  it('keeps the server waiting until the admin tool has created polaris_schema.version, then lets it start', async () => {
    const child = spawn(SH, ['-c', renderSchemaWaitScript()], {
      env: {
        PATH: `${PG_BIN_DIR}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        PGHOST: pg.host,
        PGPORT: String(pg.port),
        PGUSER: pg.superuser,
        PGPASSWORD: pg.superuserPassword,
        PGDATABASE: 'postgres',
        PGSSLMODE: 'disable',
        WAIT_SECONDS: '0.2',
      },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

    await new Promise((r) => setTimeout(r, 1500));
    expect(child.exitCode).toBeNull();
    expect(output).toContain('waiting for the Polaris schema');
    expect(output).toContain('polaris_schema.version');

    const created = pg.psql([
      '-c',
      "CREATE SCHEMA polaris_schema; CREATE TABLE polaris_schema.version (version_key TEXT PRIMARY KEY, version_value INTEGER NOT NULL); INSERT INTO polaris_schema.version VALUES ('version', 5);",
    ]);
    expect(created.stderr).toBe('');
    const timeout = setTimeout(() => child.kill(), 20_000);
    expect(await exited).toBe(0);
    clearTimeout(timeout);
    expect(output).toContain('Polaris schema version 5 found');
    expect(output).not.toContain(pg.superuserPassword);
  });
});

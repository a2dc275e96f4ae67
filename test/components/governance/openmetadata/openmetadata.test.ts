// OpenMetadata: database and search wiring per environment, OIDC through Keycloak, migrations as a
// plain Job the server waits for, key material that survives restarts, the ingestion bot Secret.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomIds, resolveSecretData, SecretPlan } from '../../../../components/platform/secrets';
import { buildFor as buildEnvironment, containerOf, envValue, find, objectsOf } from '../../../helpers/build';

/** The data catalog is off by default on k3d (the laptop budget); these tests turn it on there. */
const CATALOG_ON = { governance: { openmetadata: { enabled: true } } };
const buildFor = (env: string, extra: Record<string, any> = {}) =>
  buildEnvironment(env, env === 'k3d' ? { ...extra, governance: { ...CATALOG_ON.governance, ...extra.governance } } : extra);

const objects = (env: string) => objectsOf(buildFor(env), 'openmetadata');
const deployment = (env: string) => find(objects(env), 'Deployment', 'openmetadata');
const server = (env: string) => containerOf(deployment(env), 'openmetadata');
const scripts = (env: string) => find(objects(env), 'ConfigMap', 'openmetadata-scripts').data;
const ref = (container: any, name: string) => envValue(container, name)?.valueFrom?.secretKeyRef;

function resolved(env: string, name: string): Record<string, string> {
  const plan = buildFor(env)
    .services.flatMap((s) => s.secrets)
    .find((p: SecretPlan) => p.name === name)!;
  const values = Object.fromEntries(randomIds(plan).map(({ id }) => [id, `seed-${id}`.padEnd(64, 'x')]));
  return resolveSecretData(plan, values);
}

describe('the database', () => {
  it('is the platform PostgreSQL, reached with the credentials of the database Secret', () => {
    const c = server('k3d');
    expect(envValue(c, 'DB_DRIVER_CLASS').value).toBe('org.postgresql.Driver');
    expect(envValue(c, 'DB_SCHEME').value).toBe('postgresql');
    const secret = 'openmetadata-postgres-platform';
    expect(ref(c, 'DB_HOST')).toEqual({ name: secret, key: 'host' });
    expect(ref(c, 'DB_PORT')).toEqual({ name: secret, key: 'port' });
    expect(ref(c, 'DB_USER')).toEqual({ name: secret, key: 'username' });
    expect(ref(c, 'DB_USER_PASSWORD')).toEqual({ name: secret, key: 'password' });
    expect(ref(c, 'OM_DATABASE')).toEqual({ name: secret, key: 'database' });
    expect(envValue(c, 'DB_PARAMS').value).toBe('sslmode=disable');
    expect(buildFor('k3d').services.find((s) => s.declaration.name === 'openmetadata')!.declaration.databases).toEqual([
      { instance: 'platform', database: 'openmetadata', access: 'owner' },
    ]);
  });
});

describe('the search backend', () => {
  it('on k3d is plain HTTP without credentials', () => {
    const c = server('k3d');
    expect(envValue(c, 'SEARCH_TYPE').value).toBe('opensearch');
    expect(envValue(c, 'ELASTICSEARCH_HOST').value).toBe('opensearch.platform-governance.svc.cluster.local');
    expect(envValue(c, 'ELASTICSEARCH_PORT').value).toBe('9200');
    expect(envValue(c, 'ELASTICSEARCH_SCHEME').value).toBe('http');
    expect(envValue(c, 'ELASTICSEARCH_USER')).toBeUndefined();
    expect(envValue(c, 'ELASTICSEARCH_TRUST_STORE_PATH')).toBeUndefined();
  });

  it('outside k3d is HTTPS with the generated user and a truststore holding the search CA', () => {
    for (const env of ['eks', 'airgapped']) {
      const c = server(env);
      expect(envValue(c, 'ELASTICSEARCH_SCHEME').value).toBe('https');
      expect(ref(c, 'ELASTICSEARCH_USER')).toEqual({ name: 'openmetadata-search', key: 'username' });
      expect(ref(c, 'ELASTICSEARCH_PASSWORD')).toEqual({ name: 'openmetadata-search', key: 'password' });
      expect(envValue(c, 'ELASTICSEARCH_TRUST_STORE_PATH').value).toBe('/opt/openmetadata/truststore/truststore.p12');
      expect(ref(c, 'ELASTICSEARCH_TRUST_STORE_PASSWORD')).toEqual({ name: 'openmetadata-search', key: 'truststore-password' });
      expect(scripts(env)['prepare.sh']).toContain('-importcert -noprompt -alias search-ca');
    }
    expect(scripts('k3d')['prepare.sh']).not.toContain('search-ca');
  });

  it('shares the search password and CA with OpenSearch through the same generated values', () => {
    const search = resolved('eks', 'openmetadata-search');
    expect(search['ca.crt']).toBe(resolved('eks', 'opensearch-certificates')['ca.crt']);
    expect(search.password).toBe(resolved('eks', 'opensearch-users').openmetadata);
    expect(search.username).toBe('openmetadata');
  });
});

describe('sign-in', () => {
  it('sends browsers to the public issuer, validates user tokens with the back-channel keys and its own bot keys', () => {
    const c = server('eks');
    expect(envValue(c, 'AUTHENTICATION_PROVIDER').value).toBe('custom-oidc');
    expect(envValue(c, 'AUTHENTICATION_CLIENT_TYPE').value).toBe('confidential');
    expect(envValue(c, 'AUTHENTICATION_AUTHORITY').value).toBe('https://identity.data.example.com/realms/platform');
    expect(JSON.parse(envValue(c, 'AUTHENTICATION_PUBLIC_KEYS').value)).toEqual([
      'https://keycloak.platform-governance.svc.cluster.local:8443/realms/platform/protocol/openid-connect/certs',
      'http://localhost:8585/api/v1/system/config/jwks',
    ]);
    expect(envValue(c, 'OIDC_DISCOVERY_URI').value).toBe(
      'https://keycloak.platform-governance.svc.cluster.local:8443/realms/platform/.well-known/openid-configuration',
    );
    // Discovery, token and keys are HTTPS: the JVM's default trust is the store of Keycloak's CA the prepare step writes.
    expect(envValue(c, 'OPENMETADATA_OPTS').value).toBe(
      '-Djavax.net.ssl.trustStore=/opt/openmetadata/truststore/identity.p12 -Djavax.net.ssl.trustStoreType=PKCS12',
    );
    expect(envValue(c, 'AUTHENTICATION_CALLBACK_URL').value).toBe('https://catalog.data.example.com/callback');
    expect(envValue(c, 'OIDC_CALLBACK').value).toBe('https://catalog.data.example.com/callback');
    expect(envValue(c, 'OIDC_SERVER_URL').value).toBe('https://catalog.data.example.com');
    expect(JSON.parse(envValue(c, 'AUTHENTICATION_JWT_PRINCIPAL_CLAIMS').value)[0]).toBe('preferred_username');
  });

  it('reads the client id and secret from the OIDC Secret, never as literals', () => {
    const c = server('k3d');
    expect(ref(c, 'OIDC_CLIENT_ID')).toEqual({ name: 'openmetadata-oidc', key: 'client-id' });
    expect(ref(c, 'OIDC_CLIENT_SECRET')).toEqual({ name: 'openmetadata-oidc', key: 'client-secret' });
    expect(ref(c, 'AUTHENTICATION_CLIENT_ID')).toEqual({ name: 'openmetadata-oidc', key: 'client-id' });
  });

  it('declares its callback on the catalog host for its Keycloak client', () => {
    const decl = buildFor('k3d').services.find((s) => s.declaration.name === 'openmetadata')!.declaration;
    expect(decl.publicHost).toEqual({ name: 'catalog', port: 'http', signIn: 'native-oidc', redirectPaths: ['/callback'] });
    expect(find(objects('k3d'), 'Ingress', 'openmetadata').spec.rules[0].host).toBe('catalog.platform.localhost');
  });
});

describe('migrations', () => {
  it('run as a plain Job, openmetadata-ops.sh migrate with the server environment, without chart hooks', () => {
    const job = find(objects('eks'), 'Job', 'openmetadata-migrate');
    const c = containerOf(job, 'migrate');
    expect(c.command).toEqual(['/opt/openmetadata/bootstrap/openmetadata-ops.sh', 'migrate']);
    expect(c.workingDir).toBe('/opt/openmetadata');
    expect(ref(c, 'DB_USER_PASSWORD')).toEqual(ref(server('eks'), 'DB_USER_PASSWORD'));
    expect(envValue(c, 'ELASTICSEARCH_SCHEME').value).toBe('https');
    expect(Object.keys(job.metadata.annotations ?? {}).filter((k) => k.startsWith('helm.sh/'))).toEqual([]);
  });

  it('hold the server back: it waits until server_change_log records the newest migration its image ships', () => {
    const pod = deployment('k3d').spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['prepare', 'wait-for-migrations']);
    expect(scripts('k3d')['prepare.sh']).toContain('/opt/openmetadata/bootstrap/sql/migrations/native');
    expect(scripts('k3d')['wait-for-migrations.sh']).toContain("SELECT count(*) FROM server_change_log WHERE version = '$expected'");
    const wait = containerOf(deployment('k3d'), 'wait-for-migrations');
    expect(ref(wait, 'PGPASSWORD')).toEqual({ name: 'openmetadata-postgres-platform', key: 'password' });
  });
});

describe('the server', () => {
  it('starts the server script with a heap of two thirds of its memory limit, on a read-only root with writable logs and tmp', () => {
    const c = server('k3d');
    expect(c.command).toEqual(['/opt/openmetadata/bin/openmetadata-server-start.sh', '/opt/openmetadata/conf/openmetadata.yaml']);
    expect(c.resources.limits.memory).toBe('1536Mi');
    expect(envValue(c, 'OPENMETADATA_HEAP_OPTS').value).toBe('-Xms1024m -Xmx1024m');
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/opt/openmetadata/logs', '/tmp']));
    expect(envValue(c, 'PIPELINE_SERVICE_CLIENT_ENABLED').value).toBe('false');
  });

  it('exposes metrics on the admin port and keeps replicas sticky when there are several', () => {
    const decl = buildFor('eks').services.find((s) => s.declaration.name === 'openmetadata')!.declaration;
    expect(decl.metrics).toEqual({ port: 'admin', path: '/prometheus' });
    expect(deployment('eks').spec.replicas).toBe(2);
    expect(
      find(objects('eks'), 'Service', 'openmetadata').metadata.annotations['traefik.ingress.kubernetes.io/service.sticky.cookie'],
    ).toBe('true');
    expect(find(objects('k3d'), 'Service', 'openmetadata').metadata.annotations).toBeUndefined();
  });
});

describe('the probes', () => {
  it("ask Dropwizard's health check on the admin port, 8586 /healthcheck, the documented one, for start-up, readiness and liveness", () => {
    const c = server('k3d');
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe])
      expect(probe.httpGet).toEqual({ path: '/healthcheck', port: 8586 });
    const admin = buildFor('k3d')
      .services.find((s) => s.declaration.name === 'openmetadata')!
      .declaration.ports.find((p) => p.port === 8586);
    expect(admin).toEqual({ name: 'admin', port: 8586, http: true });
    expect(c.ports.map((p: any) => p.containerPort)).toContain(8586);
  });
});

describe('key material', () => {
  it('gives a Fernet key of 32 bytes in URL-safe base64, and the same one every time', () => {
    const key = resolved('k3d', 'openmetadata-keys')['fernet-key'];
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(resolved('k3d', 'openmetadata-keys')['fernet-key']).toBe(key);
    expect(ref(server('k3d'), 'FERNET_KEY')).toEqual({ name: 'openmetadata-keys', key: 'fernet-key' });
  });

  it('gives an RSA key pair from a stored seed, the same at every render, converted to DER for the server at start', () => {
    const keys = resolved('k3d', 'openmetadata-keys');
    expect(keys['private_key.pem']).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(crypto.createPublicKey(keys['private_key.pem']).export({ type: 'spki', format: 'pem' })).toBe(keys['public_key.pem']);
    expect(resolved('k3d', 'openmetadata-keys')['private_key.pem']).toBe(keys['private_key.pem']);
    expect(envValue(server('k3d'), 'RSA_PRIVATE_KEY_FILE_PATH').value).toBe('/opt/openmetadata/jwt/private_key.der');
    expect(scripts('k3d')['prepare.sh']).toContain('sed \'/-----/d\' "/keys/$key.pem" | base64 -d > "/opt/openmetadata/jwt/$key.der"');
  });

  it('signs the bootstrap token with that key, for the bootstrap principal, who is an administrator', () => {
    const keys = resolved('k3d', 'openmetadata-keys');
    const token = resolved('k3d', 'openmetadata-bootstrap').token;
    const [header, payload, signature] = token.split('.');
    expect(crypto.verify('sha256', Buffer.from(`${header}.${payload}`), keys['public_key.pem'], Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ kid: 'platform-openmetadata-1', typ: 'JWT', alg: 'RS256' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'platform-bootstrap', isBot: false, iss: 'https://catalog.platform.localhost' });
    expect(JSON.parse(envValue(server('k3d'), 'AUTHORIZER_ADMIN_PRINCIPALS').value)).toEqual(['platform-bootstrap', 'demo-admin']);
    expect(JSON.parse(envValue(server('eks'), 'AUTHORIZER_ADMIN_PRINCIPALS').value)).toEqual(['platform-bootstrap']);
    expect(envValue(server('k3d'), 'JWT_KEY_ID').value).toBe('platform-openmetadata-1');
  });
});

describe('the prepare script, run with sh, sed, base64, awk and keytool', () => {
  it("writes DER keys Java can read, Keycloak's CA as a trust store, and names the newest numbered migration directory", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-prepare-'));
    const keys = resolved('k3d', 'openmetadata-keys');
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.writeFileSync(path.join(dir, 'keys/private_key.pem'), keys['private_key.pem']);
    fs.writeFileSync(path.join(dir, 'keys/public_key.pem'), keys['public_key.pem']);
    fs.mkdirSync(path.join(dir, 'identity-ca'));
    fs.writeFileSync(path.join(dir, 'identity-ca/ca.crt'), resolved('k3d', 'keycloak-tls')['ca.crt']);
    for (const d of [
      'om/jwt',
      'om/truststore',
      'migration',
      ...['1.9.10', '1.12.4', '1.13.6', '1.13.0', 'extension'].map((v) => `om/bootstrap/sql/migrations/native/${v}`),
    ])
      fs.mkdirSync(path.join(dir, d), { recursive: true });
    const prepare: string = scripts('k3d')['prepare.sh'];
    const script = prepare
      .replaceAll('/opt/openmetadata', `${dir}/om`)
      .replaceAll('"/keys', `"${dir}/keys`)
      .replaceAll('"/identity-ca', `"${dir}/identity-ca`)
      .replaceAll('/migration/', `${dir}/migration/`);
    execFileSync('sh', ['-c', script], { stdio: 'pipe' });
    expect(fs.statSync(path.join(dir, 'om/truststore/identity.p12')).size).toBeGreaterThan(0);
    const der = fs.readFileSync(path.join(dir, 'om/jwt/private_key.der'));
    expect(crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).asymmetricKeyType).toBe('rsa');
    const publicDer = fs.readFileSync(path.join(dir, 'om/jwt/public_key.der'));
    expect(crypto.createPublicKey({ key: publicDer, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' })).toBe(
      keys['public_key.pem'],
    );
    expect(fs.readFileSync(path.join(dir, 'migration/expected-version'), 'utf8').trim()).toBe('1.13.6');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the ingestion bot credential', () => {
  it('is copied into its Secret by an idempotent Job that may write that one Secret only', () => {
    const job = find(objects('k3d'), 'Job', 'openmetadata-bootstrap');
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(true);
    const c = containerOf(job, 'ingestion-bot');
    expect(envValue(c, 'TARGET_NAME').value).toBe('openmetadata-ingestion-bot');
    const script = scripts('k3d')['ingestion-bot.sh'];
    expect(script).toContain('/api/v1/users/auth-mechanism/$user_id');
    expect(script).toContain('409)');
    expect(script).toContain('kube PATCH');
    const role = find(objects('k3d'), 'Role', 'openmetadata-bot-secret');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['openmetadata-ingestion-bot'], verbs: ['get', 'patch'] },
    ]);
    expect(find(objects('k3d'), 'RoleBinding', 'openmetadata-bot-secret').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'openmetadata', namespace: 'platform-governance' },
    ]);
    expect(deployment('k3d').spec.template.spec.automountServiceAccountToken).toBe(false);
  });
});

describe('reaching the Kubernetes API', () => {
  const objects = objectsOf(buildFor('eks'), 'openmetadata');
  const apiServerRules = (policy: any) => (policy.spec.egress ?? []).filter((rule: any) => rule.to?.some((peer: any) => peer.ipBlock));

  it('is open to the bootstrap Job pods only, not to the server or the migrations', () => {
    expect(apiServerRules(find(objects, 'NetworkPolicy', 'openmetadata-egress'))).toEqual([]);
    const api = find(objects, 'NetworkPolicy', 'openmetadata-api-server');
    expect(api.spec.podSelector.matchExpressions).toEqual([{ key: 'app.kubernetes.io/component', operator: 'In', values: ['bootstrap'] }]);
    expect(apiServerRules(api)[0].ports.map((p: any) => p.port)).toEqual([443, 6443]);
  });
});

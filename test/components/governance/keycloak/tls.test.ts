// Keycloak's back channel over TLS. Signing keys (JWKS), tokens and the admin API travel between
// services in the cluster; over plain HTTP anyone on the path could swap the keys a service
// validates tokens with (Trino's jwt.html calls an http:// key URL "a severe security risk").
// So: no rendered object names Keycloak in-cluster over http://, Keycloak serves `https` with a
// certificate of the names clients use, and every client mounts Keycloak's CA and points its
// TLS client at exactly that file (or, for Java, at a trust store made of it at start).
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { truststoreScript } from '../../../../components/governance/contract';
import { allObjects, PlatformBuild } from '../../../../components/platform/build';
import { resolveSecretData } from '../../../../components/platform/secrets';
import { buildModel } from '../../../../components/platform/build';
import { describeWithTools } from '../../../support/tools';
import { buildFor, configFor, containerOf, ENVIRONMENTS, envValue, find, objectsOf, SERVICE_DEFINITIONS } from '../../../helpers/build';

const SEED = 'k'.repeat(64);
const GOVERNANCE = 'platform-governance';
const builds = Object.fromEntries(ENVIRONMENTS.map((env) => [env, buildFor(env)])) as Record<string, PlatformBuild>;
const eks = builds.eks;

/** Every in-cluster URL naming Keycloak, anywhere in the rendered objects (env, args, files in ConfigMaps). */
const keycloakUrls = (b: PlatformBuild): string[] => [
  ...new Set([...JSON.stringify(allObjects(b)).matchAll(/[a-z][a-z0-9+.-]*:\/\/keycloak(?:\.[a-z0-9-]+)*(?::\d+)?/g)].map((m) => m[0])),
];

/** A Secret key's value as the delivery path renders it, from a fixed seed. */
function secretValue(b: PlatformBuild, namespace: string, name: string, key: string): string {
  const plan = b.services.flatMap((s) => s.secrets).find((p) => p.name === name && p.namespace === namespace);
  if (!plan) throw new Error(`no Secret ${namespace}/${name} is planned`);
  return resolveSecretData({ ...plan, data: { [key]: plan.data[key] } }, { 'keycloak/tls-ca-seed': SEED })[key];
}
const keycloakCa = (b: PlatformBuild) => secretValue(b, GOVERNANCE, 'keycloak-tls', 'ca.crt');

const podOf = (workload: any) => (workload.kind === 'CronJob' ? workload.spec.jobTemplate : workload);

/** What a container sees at `file`: the Secret and key a volume projects there (read-only), or the emptyDir it is on. */
function fileSource(workload: any, container: string, file: string): { secret?: string; key?: string; emptyDir?: string } {
  const pod = podOf(workload);
  const mount = containerOf(pod, container).volumeMounts.find((m: any) => file.startsWith(`${m.mountPath}/`));
  if (!mount) throw new Error(`${container} mounts nothing at ${file}`);
  const relative = file.slice(mount.mountPath.length + 1);
  const volume = pod.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
  if (volume.emptyDir) return { emptyDir: volume.name };
  expect(mount.readOnly).toBe(true);
  const sources = volume.secret
    ? [{ name: volume.secret.secretName, items: volume.secret.items }]
    : volume.projected.sources.map((s: any) => s.secret);
  for (const source of sources) {
    const item = source?.items?.find((i: any) => i.path === relative);
    if (item) return { secret: source.name, key: item.key };
  }
  throw new Error(`no volume item is ${file} in ${container}`);
}

/** The file a container reads Keycloak's CA from holds exactly it (a copy in the client's namespace, or Keycloak's own `ca.crt`). */
function expectKeycloakCa(b: PlatformBuild, workload: any, container: string, file: string): void {
  const source = fileSource(workload, container, file);
  expect(source.secret).toBeDefined();
  expect(secretValue(b, workload.metadata.namespace, source.secret!, source.key!)).toBe(keycloakCa(b));
}

/** A Java client: an init container writes `store` (an emptyDir shared with `container`) from a file holding Keycloak's CA. */
function expectTruststoreOfKeycloakCa(b: PlatformBuild, workload: any, init: string, container: string, store: string): void {
  const script = containerOf(podOf(workload), init).command.join(' ');
  const [, caFile, written] = script.match(/-file "([^"]+)"[\s\\]+-keystore "([^"]+)"/)!;
  expect(written).toBe(store);
  expectKeycloakCa(b, workload, init, caFile);
  expect(fileSource(workload, init, store).emptyDir).toBeDefined();
  expect(fileSource(workload, container, store)).toEqual(fileSource(workload, init, store));
}

const jvmTrust = (options: string): string | undefined => options.match(/-Djavax\.net\.ssl\.trustStore=(\S+)/)?.[1];

describe("Keycloak's back channel is TLS only", () => {
  it.each(ENVIRONMENTS)('no rendered object on %s reaches Keycloak in-cluster other than https://…:8443', (env) => {
    const urls = keycloakUrls(builds[env]);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((u) => !u.startsWith('https://') || !u.endsWith(':8443'))).toEqual([]);
  });

  it('every holder of an OIDC client connects to the `https` port, the plain port is left to the edge', () => {
    const ingress = find(objectsOf(eks, 'keycloak'), 'NetworkPolicy', 'keycloak-ingress').spec.ingress;
    const bySource = ingress.flatMap((r: any) =>
      r.from.map((p: any) => [p.podSelector.matchLabels['app.kubernetes.io/name'], r.ports.map((port: any) => port.port)]),
    );
    const clients = bySource.filter(([source]: [string]) => source !== 'keycloak' && source !== 'traefik');
    expect(clients.map(([source]: [string]) => source).sort()).toEqual(['dbt', 'oauth2-proxy', 'openmetadata', 'trino']);
    for (const [source, ports] of clients) expect([source, ports]).toEqual([source, [8443]]);
    expect(bySource.filter(([source]: [string]) => source === 'traefik')).toEqual([['traefik', [8080]]]);
  });

  it('serves `https` on 8443 with the certificate and key of its TLS Secret, mounted for the image user only', () => {
    const deployment = find(objectsOf(eks, 'keycloak'), 'Deployment', 'keycloak');
    const kc = containerOf(deployment, 'keycloak');
    expect(envValue(kc, 'KC_HTTPS_PORT').value).toBe('8443');
    expect(fileSource(deployment, 'keycloak', envValue(kc, 'KC_HTTPS_CERTIFICATE_FILE').value)).toEqual({
      secret: 'keycloak-tls',
      key: 'tls.crt',
    });
    expect(fileSource(deployment, 'keycloak', envValue(kc, 'KC_HTTPS_CERTIFICATE_KEY_FILE').value)).toEqual({
      secret: 'keycloak-tls',
      key: 'tls.key',
    });
    const volume = deployment.spec.template.spec.volumes.find((v: any) => v.secret?.secretName === 'keycloak-tls');
    expect(volume.secret.defaultMode).toBe(0o440);
  });

  it.each(ENVIRONMENTS)('has a certificate on %s that covers every name clients use, signed by the CA they trust', (env) => {
    const b = builds[env];
    const certificate = new crypto.X509Certificate(secretValue(b, GOVERNANCE, 'keycloak-tls', 'tls.crt'));
    const ca = new crypto.X509Certificate(keycloakCa(b));
    expect(certificate.verify(ca.publicKey)).toBe(true);
    expect(certificate.checkIssued(ca)).toBe(true);
    expect(certificate.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    for (const url of keycloakUrls(b)) expect([url, certificate.checkHost(new URL(url).hostname)]).toEqual([url, new URL(url).hostname]);
    const key = crypto.createPrivateKey(secretValue(b, GOVERNANCE, 'keycloak-tls', 'tls.key'));
    expect(crypto.createPublicKey(key).export({ format: 'jwk' })).toEqual(certificate.publicKey.export({ format: 'jwk' }));
  });
});

describe("every back-channel client trusts Keycloak's CA", () => {
  it("oauth2-proxy: --provider-ca-file is the CA, from Keycloak's Secret (its namespace), the certificate only", () => {
    const deployment = find(objectsOf(eks, 'oauth2-proxy'), 'Deployment', 'oauth2-proxy');
    const flags = containerOf(deployment, 'oauth2-proxy').args.filter((a: string) => a.startsWith('--provider-ca-file='));
    expect(flags).toHaveLength(1);
    expectKeycloakCa(eks, deployment, 'oauth2-proxy', flags[0].split('=')[1]);
  });

  it('Trino: its OAuth2 and JWT key clients read a PEM trust store that is the CA, mounted from a CA-only copy in its namespace', () => {
    const deployment = find(objectsOf(eks, 'trino'), 'Deployment', 'trino-coordinator');
    const config = find(objectsOf(eks, 'trino'), 'ConfigMap', 'trino-coordinator-config').data['config.properties'] as string;
    const value = (key: string) => config.match(new RegExp(`^${key.replace(/\./g, '\\.')}=(.*)$`, 'm'))?.[1];
    const file = value('oauth2-jwk.http-client.trust-store-path')!;
    expect(value('jwk.http-client.trust-store-path')).toBe(file);
    expect(value('http-server.authentication.jwt.key-file')).toMatch(/^https:\/\//);
    expect(value('http-server.authentication.oauth2.jwks-url')).toMatch(/^https:\/\//);
    expectKeycloakCa(eks, deployment, 'trino', file);
    expect(fileSource(deployment, 'trino', file).secret).toBe('trino-keycloak-ca');
  });

  it("Trino's group sync: the init container and the sidecar check Keycloak's certificate against KEYCLOAK_CA_FILE, the CA", () => {
    const deployment = find(objectsOf(eks, 'trino'), 'Deployment', 'trino-coordinator');
    for (const name of ['group-sync-init', 'group-sync']) {
      const c = containerOf(deployment, name);
      expectKeycloakCa(eks, deployment, name, envValue(c, 'KEYCLOAK_CA_FILE').value);
      expect(envValue(c, 'KEYCLOAK_SIGNIN_URL').value).toMatch(/^https:\/\//);
      expect(envValue(c, 'KEYCLOAK_ADMIN_URL').value).toMatch(/^https:\/\//);
    }
  });

  it("dbt: the sign-in checks Keycloak's certificate against DBT_SIGN_IN_CA_FILE, the CA", () => {
    const cron = find(objectsOf(eks, 'dbt'), 'CronJob', 'dbt-build');
    const c = containerOf(podOf(cron), 'dbt');
    expect(envValue(c, 'DBT_SIGN_IN_URL').value).toMatch(/^https:\/\//);
    expectKeycloakCa(eks, cron, 'dbt', envValue(c, 'DBT_SIGN_IN_CA_FILE').value);
    expect(fileSource(cron, 'dbt', envValue(c, 'DBT_SIGN_IN_CA_FILE').value).secret).toBe('dbt-keycloak-ca');
  });

  it("OpenMetadata: the JVM's default trust is a store of the CA, written before the server and the migration start", () => {
    for (const workload of [
      find(objectsOf(eks, 'openmetadata'), 'Deployment', 'openmetadata'),
      find(objectsOf(eks, 'openmetadata'), 'Job', 'openmetadata-migrate'),
    ]) {
      const main = workload.kind === 'Job' ? 'migrate' : 'openmetadata';
      const store = jvmTrust(envValue(containerOf(workload, main), 'OPENMETADATA_OPTS').value)!;
      expect(store).toBeDefined();
      const scriptsVolume = workload.spec.template.spec.volumes.find((v: any) => v.name === 'scripts').configMap.name;
      const prepare = find(objectsOf(eks, 'openmetadata'), 'ConfigMap', scriptsVolume).data['prepare.sh'] as string;
      const stores = [...prepare.matchAll(/-file "([^"]+)"[\s\\]+-keystore "([^"]+)"/g)].filter((m) => m[2] === store);
      expect(stores).toHaveLength(1);
      expectKeycloakCa(eks, workload, 'prepare', stores[0][1]);
      expect(fileSource(workload, main, store).emptyDir).toBe(fileSource(workload, 'prepare', store).emptyDir);
    }
    expect(
      envValue(containerOf(find(objectsOf(eks, 'openmetadata'), 'Deployment', 'openmetadata'), 'openmetadata'), 'OIDC_DISCOVERY_URI').value,
    ).toMatch(/^https:\/\//);
  });

  it("keycloak-config-cli: its own trust store and the JVM's default are a store of the CA, written by an init container", () => {
    for (const workload of [
      find(objectsOf(eks, 'keycloak'), 'Job', 'keycloak-realm'),
      find(objectsOf(eks, 'keycloak'), 'CronJob', 'keycloak-realm-drift'),
    ]) {
      const c = containerOf(podOf(workload), 'keycloak-config-cli');
      const store = envValue(c, 'KEYCLOAK_TLS_TRUSTSTOREPATH').value;
      expect(envValue(c, 'KEYCLOAK_TLS_TRUSTSTORETYPE').value).toBe('PKCS12');
      expect(jvmTrust(envValue(c, 'JAVA_OPTS').value)).toBe(store);
      expect(envValue(c, 'KEYCLOAK_URL').value).toMatch(/^https:\/\//);
      expectTruststoreOfKeycloakCa(eks, workload, 'truststore', 'keycloak-config-cli', store);
    }
  });
});

describe('an identity provider outside the platform', () => {
  const external = { keycloak: { url: 'https://sso.corp.example.com', cidrs: ['10.20.0.0/16'] } };
  const outside = buildModel(
    configFor('eks', { governance: { realm: 'corp' } }),
    SERVICE_DEFINITIONS.filter((d) => d.name !== 'keycloak'),
    { external },
  );

  it('is reached at its own https URL, trusted as the system trusts it: no CA is planned or pointed at', () => {
    expect(keycloakUrls(outside)).toEqual([]);
    const text = JSON.stringify(allObjects(outside));
    expect(text).toContain('https://sso.corp.example.com/realms/corp');
    expect(outside.services.flatMap((s) => s.secrets).filter((p) => /keycloak/.test(p.name))).toEqual([]);
    // What the containers are told (environment, arguments) and Trino's server file; scripts may name the variables.
    const settings = JSON.stringify([
      allObjects(outside).flatMap((o: any) => {
        const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
        return pod ? [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => [c.env, c.args, c.command]) : [];
      }),
      find(objectsOf(outside, 'trino'), 'ConfigMap', 'trino-coordinator-config').data,
    ]);
    for (const needle of ['KEYCLOAK_CA_FILE', 'DBT_SIGN_IN_CA_FILE', 'provider-ca-file', 'trust-store-path', 'javax.net.ssl.trustStore'])
      expect([needle, settings.includes(needle)]).toEqual([needle, false]);
  });
});

describeWithTools(['sh', 'keytool', 'java'], 'the trust store Java clients of Keycloak load (real keytool and JVM)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keycloak-truststore-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is the JVM's default trust with the options clients get, holding the CA alone, loadable without a password; reruns", () => {
    const ca = keycloakCa(eks);
    fs.writeFileSync(path.join(dir, 'ca.crt'), ca);
    const store = path.join(dir, 'store', 'keycloak-ca.p12');
    fs.mkdirSync(path.dirname(store));
    const script = `set -eu\n${truststoreScript(path.join(dir, 'ca.crt'), store)}`;
    // Twice: an init container that runs again (a restarted pod keeps its emptyDir) must not fail on the existing alias.
    for (let i = 0; i < 2; i++) execFileSync('sh', ['-c', script], { stdio: 'pipe' });
    const probe = path.join(dir, 'Load.java');
    fs.writeFileSync(
      probe,
      // The default TrustManagerFactory reads javax.net.ssl.trustStore* (as every JSSE client without its own
      // trust does); keycloak-config-cli's own option loads the store like the second part, password null.
      `import java.io.FileInputStream;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
public class Load {
  public static void main(String[] args) throws Exception {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers())
      if (manager instanceof X509TrustManager x509)
        for (X509Certificate issuer : x509.getAcceptedIssuers()) System.out.println("default " + issuer.getSubjectX500Principal().getName());
    KeyStore store = KeyStore.getInstance(System.getProperty("javax.net.ssl.trustStoreType"));
    try (FileInputStream in = new FileInputStream(System.getProperty("javax.net.ssl.trustStore"))) { store.load(in, null); }
    for (String alias : java.util.Collections.list(store.aliases()))
      System.out.println(alias + " " + store.isCertificateEntry(alias));
  }
}
`,
    );
    const options = containerOf(find(objectsOf(eks, 'keycloak'), 'Job', 'keycloak-realm'), 'keycloak-config-cli')
      .env.find((e: any) => e.name === 'JAVA_OPTS')
      .value.split(' ')
      .filter((o: string) => o.startsWith('-Djavax.net.ssl.'))
      .map((o: string) => o.replace(/trustStore=\S+/, `trustStore=${store}`));
    const out = execFileSync('java', [...options, probe], { encoding: 'utf8' });
    const subject = new crypto.X509Certificate(ca).subject.split('\n').reverse().join(',');
    expect(out.trim().split('\n')).toEqual([`default ${subject}`, 'keycloak-ca true']);
  });
});

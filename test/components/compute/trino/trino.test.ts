import { parseProperties } from '../../../../components/compute/trino/properties';
import { SHUTDOWN_GRACE_SECONDS, TRINO_MANAGEMENT_USER } from '../../../../components/compute/trino/config';
import { QUERY_DRAIN_SECONDS, WORKER_TERMINATION_SECONDS } from '../../../../components/compute/trino/workloads';
import { drainScript } from '../../../../components/compute/trino/drain';
import { OPA_DECISIONS } from '../../../../components/governance/contract';
import { oidcClients } from '../../../../components/governance/keycloak/clients';
import type { PlatformBuild } from '../../../../components/platform/build';
import * as crypto from 'node:crypto';
import forge from 'node-forge';
import { randomIds, resolveSecretData } from '../../../../components/platform/secrets';
import { POLARIS_ROOT_SECRET_ID } from '../../../../components/storage/polaris/polaris';
import { evaluate } from '../../../../policies/engine';
import { podSecurityLevel } from '../../../../components/base/pod-security';
import { RULES } from '../../../../policies/registry';
import { effectiveEdges } from '../../../../components/platform/graph';
import { policyContextFor } from '../../../../policies/context';
import { buildFor, containerOf, ENVIRONMENT_OVERRIDES, envValue, find, objectsOf } from '../../../helpers/build';

const k3d = buildFor('k3d');
const eks = buildFor('eks');
const airgapped = buildFor('airgapped');

const trinoOf = (b: PlatformBuild) => b.services.find((s) => s.declaration.name === 'trino')!;
const objects = (b: PlatformBuild) => objectsOf(b, 'trino');
const configMap = (b: PlatformBuild, name: string): Record<string, string> => find(objects(b), 'ConfigMap', name).data;
const coordinatorFile = (b: PlatformBuild, file: string) => configMap(b, 'trino-coordinator-config')[file];
const workerFile = (b: PlatformBuild, file: string) => configMap(b, 'trino-worker-config')[file];
const catalog = (b: PlatformBuild, name: string) => parseProperties(configMap(b, 'trino-catalog-properties')[`${name}.properties`]);
const coordinatorConfig = (b: PlatformBuild) => parseProperties(coordinatorFile(b, 'config.properties'));
const workerConfig = (b: PlatformBuild) => parseProperties(workerFile(b, 'config.properties'));
const deployment = (b: PlatformBuild, name: string) => find(objects(b), 'Deployment', name);
const fromSecret = (secret: string, key: string) => ({ valueFrom: { secretKeyRef: { name: secret, key } } });

describe('Trino declaration', () => {
  const decl = trinoOf(k3d).declaration;

  it('lives in the compute layer, serves HTTP on 8080, HTTPS for clients on 8443, and publishes metrics on HTTP', () => {
    expect(decl.layer).toBe('compute');
    expect(decl.images).toEqual(['trino', 'python']);
    expect(decl.ports).toEqual([
      { name: 'http', port: 8080, http: true, servedBy: 'coordinator' },
      { name: 'https', port: 8443, servedBy: 'coordinator' },
    ]);
    expect(decl.metrics).toEqual({ port: 'http', path: '/metrics' });
  });

  it('signs users in natively with Keycloak at federation.<domain>, called back on /oauth2/callback', () => {
    expect(decl.publicHost).toEqual({ name: 'federation', port: 'http', signIn: 'native-oidc', redirectPaths: ['/oauth2/callback'] });
    const client = oidcClients(
      k3d.config,
      k3d.services.map((s) => s.declaration),
    ).find((c) => c.service === 'trino');
    expect(client?.redirectUris).toEqual(['https://federation.platform.localhost/oauth2/callback']);
  });

  it('connects to the Polaris API, OPA and Keycloak, reads the warehouse database and reads and writes the warehouse bucket', () => {
    expect(decl.edges).toEqual([
      { to: 'polaris', port: 'api' },
      { to: 'opa', port: 'http' },
      // Only while the AI layer runs the gateway (the AI functions).
      { to: 'litellm', port: 'http', ifEnabled: true },
    ]);
    // Keycloak's back channel comes with its OIDC client (sign-in and the group sync's service account).
    const all = k3d.services.map((s) => s.declaration);
    expect(effectiveEdges(decl, k3d.config, all)).toContainEqual({ to: 'keycloak', port: 'https' });
    expect(decl.databases).toEqual([{ instance: 'warehouse', database: 'warehouse', access: 'read' }]);
    expect(decl.buckets).toEqual([{ name: 'warehouse', access: 'readwrite' }]);
  });

  it('runs the pinned Trino 483 image', () => {
    expect(containerOf(deployment(k3d, 'trino-coordinator'), 'trino').image).toBe('docker.io/trinodb/trino:483');
    expect(containerOf(deployment(airgapped, 'trino-worker'), 'trino').image).toMatch(
      /^registry\.corp\.internal:5000\/trinodb\/trino:483@sha256:[0-9a-f]{64}$/,
    );
  });
});

describe('Trino on k3d: one coordinator that also runs the tasks', () => {
  const coordinator = deployment(k3d, 'trino-coordinator');
  const pod = coordinator.spec.template.spec;
  const trino = containerOf(coordinator, 'trino');

  it('has no workers and no autoscaler', () => {
    expect(objects(k3d).filter((o) => o.metadata.name === 'trino-worker')).toEqual([]);
    expect(objects(k3d).filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(coordinator.spec.replicas).toBe(1);
  });

  it('schedules tasks on the coordinator and sizes the cluster query limit to that one node', () => {
    const config = coordinatorConfig(k3d);
    expect(config.coordinator).toBe('true');
    expect(config['node-scheduler.include-coordinator']).toBe('true');
    expect(config['query.max-memory']).toBe(config['query.max-memory-per-node']);
  });

  it('runs as the image user 1000 with a read-only root filesystem, writing only to emptyDirs for /data/trino and /tmp', () => {
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true });
    expect(trino.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    for (const path of ['/data/trino', '/tmp']) {
      const mount = trino.volumeMounts.find((m: any) => m.mountPath === path);
      expect(pod.volumes.find((v: any) => v.name === mount.name)).toEqual({ name: mount.name, emptyDir: {} });
    }
    expect(podSecurityLevel(pod)).toBe('restricted');
  });

  it('mounts its server files at /etc/trino and the catalogs under /etc/trino/catalog, read-only', () => {
    expect(trino.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/trino', readOnly: true });
    const sources = pod.volumes.find((v: any) => v.name === 'config').projected.sources;
    expect(sources[0].configMap.name).toBe('trino-coordinator-config');
    expect(sources[0].configMap.items.map((i: any) => i.path).sort()).toEqual([
      'access-control.properties',
      'config.properties',
      'group-provider.properties',
      'jvm.config',
      'log.properties',
      'node.properties',
    ]);
    expect(sources[1]).toEqual({
      configMap: {
        name: 'trino-catalog-properties',
        items: [
          { key: 'iceberg.properties', path: 'catalog/iceberg.properties' },
          { key: 'postgresql.properties', path: 'catalog/postgresql.properties' },
        ],
      },
    });
  });

  it('is ready once /v1/info stops reporting "starting", and alive while /v1/info answers', () => {
    expect(trino.startupProbe.exec.command).toEqual(['/usr/lib/trino/bin/health-check']);
    expect(trino.startupProbe.periodSeconds * trino.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(trino.readinessProbe.exec.command).toEqual(['/usr/lib/trino/bin/health-check']);
    expect(trino.livenessProbe.httpGet).toEqual({ path: '/v1/info', port: 8080 });
  });

  it('rolls the pods when a configuration file changes, and only then', () => {
    const checksumOf = (b: PlatformBuild) => deployment(b, 'trino-coordinator').spec.template.metadata.annotations['checksum/trino-config'];
    expect(checksumOf(k3d)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf(buildFor('k3d', { prefix: 'acme' }))).not.toBe(checksumOf(k3d));
    // The AI model is not used while the AI functions are off: no file changes.
    expect(checksumOf(buildFor('k3d', { compute: { trino: { ai: { model: 'other' } } } }))).toBe(checksumOf(k3d));
  });
  it('is reached through the Service named trino, which selects the coordinator, and the federation route', () => {
    const service = find(objects(k3d), 'Service', 'trino');
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'trino', 'app.kubernetes.io/component': 'coordinator' });
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'https', port: 8443, targetPort: 'https', protocol: 'TCP' },
    ]);
    const route = find(objects(k3d), 'Ingress', 'trino');
    expect(route.spec.rules[0].host).toBe('federation.platform.localhost');
    expect(route.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'trino', port: { name: 'http' } });
  });
});

describe('Trino server files', () => {
  it('node.properties: one environment for all nodes, named from the prefix, data in /data/trino', () => {
    expect(parseProperties(coordinatorFile(k3d, 'node.properties'))).toEqual({
      'node.environment': 'platform',
      'node.data-dir': '/data/trino',
    });
    expect(parseProperties(coordinatorFile(buildFor('k3d', { prefix: 'data-lab' }), 'node.properties'))['node.environment']).toBe(
      'data_lab',
    );
    expect(workerFile(eks, 'node.properties')).toBe(coordinatorFile(eks, 'node.properties'));
  });

  it('jvm.config: a fixed heap, exit on out-of-memory, and the image defaults', () => {
    const jvm = coordinatorFile(k3d, 'jvm.config').trim().split('\n');
    expect(jvm[0]).toBe('-server');
    expect(jvm).toEqual(
      // The small coordinator's 1792Mi: 512Mi off-heap, a 1280M heap (71%, the least Trino's 70% allows).
      expect.arrayContaining(['-Xms1280M', '-Xmx1280M', '-XX:+ExitOnOutOfMemoryError', '-XX:ReservedCodeCacheSize=256M']),
    );
    expect(jvm).toContain('-agentpath:/usr/lib/trino/bin/libjvmkill.so');
    expect(jvm.filter((line) => /RAMPercentage|HeapDumpOnOutOfMemoryError/.test(line))).toEqual([]);
  });

  it('config.properties: discovery at the coordinator Service, the cluster secret and the management user by reference', () => {
    for (const config of [coordinatorConfig(eks), workerConfig(eks)]) {
      expect(config['discovery.uri']).toBe('http://trino.platform-compute.svc.cluster.local:8080');
      expect(config['http-server.http.port']).toBe('8080');
      expect(config['internal-communication.shared-secret']).toBe('${ENV:TRINO_INTERNAL_SHARED_SECRET}');
      expect(config['management.user']).toBe(TRINO_MANAGEMENT_USER);
      expect(config['http-server.log.enabled']).toBe('false');
    }
  });

  it('config.properties: OAuth2 for the Web UI and JWT for clients, with the issuer public and the keys in-cluster', () => {
    const config = coordinatorConfig(eks);
    const back = 'https://keycloak.platform-governance.svc.cluster.local:8443/realms/platform/protocol/openid-connect';
    const issuer = 'https://identity.data.example.com/realms/platform';
    expect(config).toMatchObject({
      'http-server.authentication.type': 'OAUTH2,JWT',
      'web-ui.authentication.type': 'OAUTH2',
      'http-server.authentication.oauth2.issuer': issuer,
      'http-server.authentication.oauth2.oidc.discovery': 'false',
      'http-server.authentication.oauth2.auth-url': `${issuer}/protocol/openid-connect/auth`,
      'http-server.authentication.oauth2.end-session-url': `${issuer}/protocol/openid-connect/logout`,
      'http-server.authentication.oauth2.token-url': `${back}/token`,
      'http-server.authentication.oauth2.jwks-url': `${back}/certs`,
      'http-server.authentication.oauth2.client-id': '${ENV:TRINO_OIDC_CLIENT_ID}',
      'http-server.authentication.oauth2.client-secret': '${ENV:TRINO_OIDC_CLIENT_SECRET}',
      'http-server.authentication.oauth2.principal-field': 'preferred_username',
      'http-server.authentication.jwt.key-file': `${back}/certs`,
      'http-server.authentication.jwt.required-issuer': issuer,
      'http-server.authentication.jwt.required-audience': 'trino',
      'http-server.authentication.jwt.principal-field': 'preferred_username',
      // Keys and tokens over TLS, checked against Keycloak's CA (a PEM trust store) by both key clients.
      'oauth2-jwk.http-client.trust-store-path': '/etc/trino-identity-ca/ca.crt',
      'jwk.http-client.trust-store-path': '/etc/trino-identity-ca/ca.crt',
    });
    expect(config['http-server.authentication.oauth2.userinfo-url']).toBeUndefined();
  });

  it('config.properties: behind the TLS edge, forwarded HTTPS is authenticated and plain HTTP without a token is refused', () => {
    const config = coordinatorConfig(eks);
    expect(config['http-server.process-forwarded']).toBe('true');
    expect(config['http-server.authentication.allow-insecure-over-http']).toBe('false');
  });

  it('config.properties: in-cluster clients get an HTTPS listener on 8443 with the mounted PEM certificate and key', () => {
    for (const b of [k3d, eks]) {
      const config = coordinatorConfig(b);
      expect(config['http-server.https.enabled']).toBe('true');
      expect(config['http-server.https.port']).toBe('8443');
      expect(config['http-server.https.keystore.path']).toBe('/etc/trino-tls/tls.pem');
      // An unencrypted PEM key needs no keystore password (security/inspect-pem.html).
      expect(config['http-server.https.keystore.key']).toBeUndefined();
      expect(config['http-server.http.port']).toBe('8080');
    }
    expect(Object.keys(workerConfig(eks)).filter((k) => k.startsWith('http-server.https'))).toEqual([]);
  });

  it('config.properties: workers authenticate no clients and drain for a grace period on shutdown', () => {
    const config = workerConfig(eks);
    expect(config.coordinator).toBe('false');
    expect(config['shutdown.grace-period']).toBe(`${SHUTDOWN_GRACE_SECONDS}s`);
    expect(Object.keys(config).filter((k) => k.startsWith('http-server.authentication') || k.startsWith('web-ui'))).toEqual([]);
    expect(config['node-scheduler.include-coordinator']).toBeUndefined();
    expect(coordinatorConfig(eks)['node-scheduler.include-coordinator']).toBe('false');
  });

  it('log.properties: Trino at INFO on stdout', () => {
    expect(coordinatorFile(eks, 'log.properties')).toContain('\nio.trino=INFO\n');
  });

  it('access-control.properties: the coordinator asks OPA at the governance decision paths, logging no requests', () => {
    const opa = 'http://opa.platform-governance.svc.cluster.local:8181';
    expect(parseProperties(coordinatorFile(k3d, 'access-control.properties'))).toEqual({
      'access-control.name': 'opa',
      'opa.policy.uri': `${opa}${OPA_DECISIONS.allow}`,
      'opa.policy.batched-uri': `${opa}${OPA_DECISIONS.batch}`,
      'opa.policy.row-filters-uri': `${opa}${OPA_DECISIONS.rowFilters}`,
      'opa.policy.batch-column-masking-uri': `${opa}${OPA_DECISIONS.batchColumnMasks}`,
      'opa.log-requests': 'false',
      'opa.log-responses': 'false',
      'opa.allow-permission-management-operations': 'false',
    });
  });

  it('access-control.properties: workers let only the management user read and write system information', () => {
    expect(parseProperties(workerFile(eks, 'access-control.properties'))).toEqual({
      'access-control.name': 'file',
      'security.config-file': '/etc/trino/worker-rules.json',
    });
    expect(JSON.parse(workerFile(eks, 'worker-rules.json'))).toEqual({
      system_information: [{ user: TRINO_MANAGEMENT_USER, allow: ['read', 'write'] }],
    });
  });
});

describe('Trino catalogs', () => {
  it("iceberg: the REST catalog at Polaris as Trino's own principal, asking for Trino's principal role only, by env reference", () => {
    expect(catalog(k3d, 'iceberg')).toMatchObject({
      'connector.name': 'iceberg',
      'iceberg.catalog.type': 'rest',
      'iceberg.rest-catalog.uri': 'http://polaris.platform-storage.svc.cluster.local:8181/api/catalog',
      'iceberg.rest-catalog.warehouse': 'warehouse',
      'iceberg.rest-catalog.security': 'OAUTH2',
      'iceberg.rest-catalog.oauth2.credential': '${ENV:POLARIS_CREDENTIAL}',
      'iceberg.rest-catalog.oauth2.scope': 'PRINCIPAL_ROLE:trino',
      'iceberg.rest-catalog.oauth2.server-uri': 'http://polaris.platform-storage.svc.cluster.local:8181/api/catalog/v1/oauth/tokens',
      'iceberg.rest-catalog.http-headers': 'Polaris-Realm:POLARIS',
      'iceberg.rest-catalog.vended-credentials-enabled': 'false',
    });
  });

  it('iceberg: the native S3 file system on the platform store, path-style, with Trino keys by env reference', () => {
    expect(catalog(k3d, 'iceberg')).toMatchObject({
      'fs.s3.enabled': 'true',
      's3.endpoint': 'http://seaweedfs.platform-storage.svc.cluster.local:8333',
      's3.region': 'us-east-1',
      's3.path-style-access': 'true',
      's3.aws-access-key': '${ENV:S3_ACCESS_KEY}',
      's3.aws-secret-key': '${ENV:S3_SECRET_KEY}',
    });
  });

  it('iceberg: follows the catalog name, realm and an external S3 endpoint from the config', () => {
    const b = buildFor('eks', {
      polaris: { realm: 'LAKE', catalog: 'lake', namespaces: ['raw'] },
      objectStorage: {
        mode: 'external',
        endpoint: 'https://s3.eu-west-1.amazonaws.com',
        region: 'eu-west-1',
        pathStyle: false,
        credentialsSecret: 'lake-admin',
        cidrs: ['10.0.0.0/8'],
      },
    });
    expect(catalog(b, 'iceberg')).toMatchObject({
      'iceberg.rest-catalog.warehouse': 'lake',
      'iceberg.rest-catalog.http-headers': 'Polaris-Realm:LAKE',
      's3.endpoint': 'https://s3.eu-west-1.amazonaws.com',
      's3.region': 'eu-west-1',
      's3.path-style-access': 'false',
    });
  });

  it('postgresql: the warehouse database with the read role, all by env reference', () => {
    expect(catalog(k3d, 'postgresql')).toEqual({
      'connector.name': 'postgresql',
      'connection-url': '${ENV:WAREHOUSE_JDBC_URL}',
      'connection-user': '${ENV:WAREHOUSE_USER}',
      'connection-password': '${ENV:WAREHOUSE_PASSWORD}',
    });
  });

  it('every node loads the same catalog files', () => {
    const volumeOf = (name: string) => deployment(eks, name).spec.template.spec.volumes.find((v: any) => v.name === 'config');
    expect(volumeOf('trino-worker').projected.sources[1]).toEqual(volumeOf('trino-coordinator').projected.sources[1]);
  });
});

describe("Trino's in-cluster HTTPS listener", () => {
  const plan = trinoOf(eks).secrets.find((s) => s.name === 'trino-tls')!;
  const resolve = () => resolveSecretData(plan, Object.fromEntries(randomIds(plan).map(({ id }) => [id, `seed-${id}`.padEnd(64, 'x')])));

  it('plans the trino-tls Secret from a generated seed: the coordinator certificate and key in one PEM, and the CA', () => {
    expect(plan.namespace).toBe('platform-compute');
    expect(randomIds(plan).every(({ length }) => length >= 64)).toBe(true);
    const data = resolve();
    expect(Object.keys(data).sort()).toEqual(['ca.crt', 'tls.pem']);
    expect(data['tls.pem']).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n/);
    expect(resolve()).toEqual(data);
  });

  it("gives the coordinator a certificate signed by the CA for every in-cluster name of the Service, whose key is the PEM's key", () => {
    const data = resolve();
    const ca = forge.pki.certificateFromPem(data['ca.crt']);
    const leaf = forge.pki.certificateFromPem(data['tls.pem']);
    expect(ca.verify(leaf)).toBe(true);
    const names = (leaf.getExtension('subjectAltName') as any).altNames.map((n: any) => n.value ?? n.ip);
    expect(names).toEqual(
      expect.arrayContaining(['trino', 'trino.platform-compute', 'trino.platform-compute.svc', 'trino.platform-compute.svc.cluster.local']),
    );
    expect(leaf.getExtension('extKeyUsage')).toMatchObject({ serverAuth: true });
    const spki = (pem: string) => crypto.createPublicKey(pem).export({ type: 'spki', format: 'pem' });
    expect(spki(data['tls.pem'].slice(data['tls.pem'].indexOf('-----BEGIN PRIVATE KEY-----')))).toBe(spki(data['tls.pem']));
  });

  it('mounts only the certificate and key on the coordinator, read-only, and serves the https port there; workers get neither', () => {
    const pod = deployment(eks, 'trino-coordinator').spec.template.spec;
    const trino = containerOf(deployment(eks, 'trino-coordinator'), 'trino');
    expect(pod.volumes).toContainEqual({
      name: 'tls',
      secret: { secretName: 'trino-tls', defaultMode: 0o440, items: [{ key: 'tls.pem', path: 'tls.pem' }] },
    });
    expect(trino.volumeMounts).toContainEqual({ name: 'tls', mountPath: '/etc/trino-tls', readOnly: true });
    expect(trino.ports.map((p: any) => [p.name, p.containerPort])).toEqual([
      ['http', 8080],
      ['https', 8443],
    ]);
    const worker = deployment(eks, 'trino-worker').spec.template.spec;
    expect(worker.volumes.some((v: any) => v.name === 'tls')).toBe(false);
    expect(containerOf(deployment(eks, 'trino-worker'), 'trino').ports.map((p: any) => p.name)).toEqual(['http']);
  });

  it('lets dbt reach 8443 on the coordinator only, and no other service reach the workers', () => {
    const coordinator = find(objects(eks), 'NetworkPolicy', 'trino-coordinator-ingress');
    expect(coordinator.spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('coordinator');
    const dbt = coordinator.spec.ingress.find((r: any) => r.from[0].podSelector?.matchLabels['app.kubernetes.io/name'] === 'dbt');
    expect(dbt.ports).toEqual([{ protocol: 'TCP', port: 8443 }]);
    // The policy every Trino pod has lets only Trino pods in.
    const everyPod = find(objects(eks), 'NetworkPolicy', 'trino-ingress');
    expect(everyPod.spec.ingress.flatMap((r: any) => r.from.map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']))).toEqual([
      'trino',
    ]);
    expect(find(objects(eks), 'Service', 'trino').spec.selector['app.kubernetes.io/component']).toBe('coordinator');
  });
});

describe('Trino credentials', () => {
  const coordinator = containerOf(deployment(eks, 'trino-coordinator'), 'trino');
  const worker = containerOf(deployment(eks, 'trino-worker'), 'trino');

  it('fills every env reference of its files from a Secret', () => {
    const expected: [string, string, string][] = [
      ['TRINO_INTERNAL_SHARED_SECRET', 'trino-internal', 'shared-secret'],
      ['POLARIS_CREDENTIAL', 'trino-polaris', 'credential'],
      ['S3_ACCESS_KEY', 'trino-s3', 'access-key'],
      ['S3_SECRET_KEY', 'trino-s3', 'secret-key'],
      ['WAREHOUSE_JDBC_URL', 'trino-postgres-warehouse', 'jdbc-url'],
      ['WAREHOUSE_USER', 'trino-postgres-warehouse', 'username'],
      ['WAREHOUSE_PASSWORD', 'trino-postgres-warehouse', 'password'],
    ];
    for (const container of [coordinator, worker])
      for (const [name, secret, key] of expected) expect(envValue(container, name)).toEqual({ name, ...fromSecret(secret, key) });
    expect(envValue(coordinator, 'TRINO_OIDC_CLIENT_ID')).toMatchObject(fromSecret('trino-oidc', 'client-id'));
    expect(envValue(coordinator, 'TRINO_OIDC_CLIENT_SECRET')).toMatchObject(fromSecret('trino-oidc', 'client-secret'));
    expect(envValue(worker, 'TRINO_OIDC_CLIENT_SECRET')).toBeUndefined();
  });

  it('references in every file resolve to an env var the containers set', () => {
    const set = new Set(coordinator.env.map((e: any) => e.name));
    const files = { ...configMap(eks, 'trino-coordinator-config'), ...configMap(eks, 'trino-catalog-properties') };
    const refs = Object.values(files).flatMap((text) => [...text.matchAll(/\$\{ENV:([A-Z0-9_]+)\}/g)].map((m) => m[1]));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(set).toContain(ref);
  });

  it('signs in to Polaris as its own principal, whose secret the Polaris bootstrap sets, never as root', () => {
    const plan = trinoOf(eks).secrets.find((s) => s.name === 'trino-polaris')!;
    expect(plan.namespace).toBe('platform-compute');
    const ids = Object.values(plan.data).flatMap((v) => (v.kind === 'random' ? [v.id] : v.kind === 'template' ? v.ids : []));
    expect(ids).not.toContain(POLARIS_ROOT_SECRET_ID);
    const values = resolveSecretData(plan, { 'polaris/client/trino': 'generated' });
    expect(values.credential).toBe('trino:generated');
    const bootstrap = eks.services.find((s) => s.declaration.name === 'polaris')!.secrets.find((s) => s.name === 'polaris-clients')!;
    expect(bootstrap.data.trino).toEqual(plan.data['client-secret']);
  });

  it('generates a long shared secret for node-to-node requests', () => {
    const plan = trinoOf(eks).secrets.find((s) => s.name === 'trino-internal')!;
    expect(plan.data['shared-secret']).toMatchObject({ kind: 'random' });
    expect((plan.data['shared-secret'] as { length: number }).length).toBeGreaterThanOrEqual(64);
  });

  it('keeps no secret value in any object: generated values appear in no manifest', () => {
    const values: Record<string, string> = {};
    const plans = eks.services.flatMap((s) => s.secrets);
    let n = 0;
    for (const plan of plans) for (const { id } of randomIds(plan)) values[id] ??= `SECRET-VALUE-${n++}-${id}`.padEnd(64, 'x');
    const rendered = JSON.stringify(objects(eks));
    for (const plan of plans.filter((p) => p.service === 'trino' || p.namespace === 'platform-compute'))
      for (const [key, value] of Object.entries(resolveSecretData(plan, values)))
        if (!['username', 'host', 'port', 'database', 'endpoint', 'region', 'client-id'].includes(key))
          expect(rendered).not.toContain(value);
  });

  it('passes the ConfigMap secret rule: every credential setting is a reference', () => {
    const report = evaluate(
      objects(eks).filter((o) => o.kind === 'ConfigMap'),
      RULES.filter((r) => r.id === 'no-secrets-in-configmaps'),
      policyContextFor(eks.config),
    );
    expect(report.violations).toEqual([]);
  });
});

describe('Trino on eks and airgapped: a coordinator and autoscaled workers', () => {
  const coordinator = deployment(eks, 'trino-coordinator');
  const workers = deployment(eks, 'trino-worker');
  const hpa = find(objects(eks), 'HorizontalPodAutoscaler', 'trino-worker');

  it('keeps one coordinator, exempted from the replica rule with its reason, and leaves tasks to the workers', () => {
    expect(coordinator.spec.replicas).toBe(1);
    expect(coordinator.metadata.annotations['policy.analytics-platform.io/exempt-minimum-replicas']).toMatch(/exactly one coordinator/);
    expect(coordinatorConfig(eks)['node-scheduler.include-coordinator']).toBe('false');
  });

  it('labels workers as pods of the trino service, component worker, so the service-internal network rule covers them', () => {
    expect(workers.spec.template.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'trino',
      'app.kubernetes.io/component': 'worker',
    });
    const ingress = find(objects(eks), 'NetworkPolicy', 'trino-ingress');
    expect(ingress.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'trino' } });
    expect(ingress.spec.ingress[0]).toEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'platform-compute' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'trino' } },
        },
      ],
      ports: [
        { protocol: 'TCP', port: 8080 },
        { protocol: 'TCP', port: 8443 },
      ],
    });
  });

  it('scales workers on CPU between the configured bounds, one at a time down, with the autoscaler owning the count', () => {
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'trino-worker' });
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    expect(hpa.spec.behavior.scaleDown.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: WORKER_TERMINATION_SECONDS }]);
    expect(workers.spec.replicas).toBeUndefined();
    const b = buildFor('eks', { compute: { trino: { workers: { min: 3, max: 10 } } } });
    expect(find(objectsOf(b, 'trino'), 'HorizontalPodAutoscaler', 'trino-worker').spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
  });

  it('keeps a fixed worker count without an autoscaler when the bounds are equal', () => {
    // `compute` replaces the environment's own overrides (its package mirrors): keep them.
    const compute = { ...(ENVIRONMENT_OVERRIDES.airgapped.compute as object), trino: { workers: { min: 3, max: 3 } } };
    const b = buildFor('airgapped', { compute });
    expect(objectsOf(b, 'trino').filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(find(objectsOf(b, 'trino'), 'Deployment', 'trino-worker').spec.replicas).toBe(3);
  });

  it('spreads workers over nodes and keeps a disruption budget of one', () => {
    expect(workers.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname' });
    const pdb = find(objects(eks), 'PodDisruptionBudget', 'trino-worker');
    expect(pdb.spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/component': 'worker' } } });
  });

  it('shuts workers down gracefully: the preStop hook (bash built-ins, run in trino-drain.test.ts) asks as the management user', () => {
    const trino = containerOf(workers, 'trino');
    expect(trino.lifecycle.preStop.exec.command).toEqual([
      '/bin/bash',
      '-c',
      drainScript({ port: 8080, user: TRINO_MANAGEMENT_USER, pid: 1, log: '/proc/1/fd/2' }),
    ]);
    expect(containerOf(coordinator, 'trino').lifecycle).toBeUndefined();
  });

  it('never drains two workers at once: the autoscaler removes one per termination grace period', () => {
    const grace = workers.spec.template.spec.terminationGracePeriodSeconds;
    const [policy] = hpa.spec.behavior.scaleDown.policies;
    expect(policy.value).toBe(1);
    expect(policy.periodSeconds).toBeGreaterThanOrEqual(grace);
    // The API's bound (HPAScalingPolicy.periodSeconds <= 1800).
    expect(policy.periodSeconds).toBeLessThanOrEqual(1800);
  });

  it('gives workers time for two grace periods and the longest query allowed to finish', () => {
    const grace = workers.spec.template.spec.terminationGracePeriodSeconds;
    expect(grace).toBe(WORKER_TERMINATION_SECONDS);
    expect(grace).toBeGreaterThan(2 * SHUTDOWN_GRACE_SECONDS + QUERY_DRAIN_SECONDS);
    expect(coordinator.spec.template.spec.terminationGracePeriodSeconds).toBeUndefined();
  });

  it('reaches Polaris, OPA, Keycloak, the warehouse database and the S3 store, and nothing else', () => {
    const egress = find(objects(eks), 'NetworkPolicy', 'trino-egress').spec.egress;
    const targets = egress
      .slice(1)
      .map((rule: any) => [rule.to[0].podSelector.matchLabels['app.kubernetes.io/name'], rule.ports.map((p: any) => p.port)]);
    expect(targets.sort()).toEqual(
      [
        ['keycloak', [8443]],
        ['opa', [8181]],
        ['polaris', [8181]],
        ['postgres-warehouse', [5432]],
        ['seaweedfs', [8333]],
      ].sort(),
    );
  });

  it('sizes workers by profile: airgapped (medium) smaller than eks (large)', () => {
    const memory = (b: PlatformBuild) => containerOf(deployment(b, 'trino-worker'), 'trino').resources.limits.memory;
    expect(memory(airgapped)).toBe('8Gi');
    expect(memory(eks)).toBe('16Gi');
  });
});

describe("Trino's groups, synced from Keycloak", () => {
  const coordinator = deployment(k3d, 'trino-coordinator');
  const pod = coordinator.spec.template.spec;
  const init = containerOf(coordinator, 'group-sync-init');
  const sidecar = containerOf(coordinator, 'group-sync');
  const groupProvider = parseProperties(coordinatorFile(k3d, 'group-provider.properties'));
  const groupDir = groupProvider['file.group-file'].replace(/\/[^/]+$/, '');

  it("acts as its own client's service account, which may only read users, groups and role members", () => {
    expect(trinoOf(k3d).declaration.serviceAccount).toEqual({ roles: [], realmManagement: ['view-users', 'view-realm'] });
  });

  it("group-provider.properties: the coordinator reads users' groups from the synced file, re-read every few seconds", () => {
    expect(groupProvider).toEqual({
      'group-provider.name': 'file',
      'file.group-file': '/var/lib/trino-groups/groups.txt',
      'file.refresh-period': '5s',
    });
    expect(workerFile(eks, 'group-provider.properties')).toBeUndefined();
  });

  it('writes the file before Trino starts (an init container syncs until it succeeds), then keeps it current from a sidecar', () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['group-sync-init']);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['trino', 'group-sync']);
    for (const c of [init, sidecar]) {
      expect(c.image).toBe('docker.io/library/python:3.12.13-slim-trixie');
      expect(c.command).toEqual(['python3', '/opt/group-sync/group-sync.py']);
    }
    expect(init.args).toEqual(['--until-synced']);
    expect(sidecar.args).toEqual([]);
  });

  it('shares the file through an emptyDir Trino mounts read-only at the directory group-provider.properties names', () => {
    expect(containerOf(coordinator, 'trino').volumeMounts).toContainEqual({ name: 'groups', mountPath: groupDir, readOnly: true });
    for (const c of [init, sidecar]) expect(c.volumeMounts).toContainEqual({ name: 'groups', mountPath: groupDir });
    expect(pod.volumes.find((v: any) => v.name === 'groups').emptyDir).toBeDefined();
    expect(pod.volumes.find((v: any) => v.name === 'group-sync').configMap.name).toBe('trino-coordinator-group-sync');
    expect(podSecurityLevel(pod)).toBe('restricted');
  });

  it("reads Keycloak's admin API on the back channel with Trino's client credentials, as files of the trino-oidc Secret", () => {
    const value = (name: string) => envValue(sidecar, name)?.value;
    expect(value('KEYCLOAK_SIGNIN_URL')).toBe(
      'https://keycloak.platform-governance.svc.cluster.local:8443/realms/platform/protocol/openid-connect/token',
    );
    expect(value('KEYCLOAK_ADMIN_URL')).toBe('https://keycloak.platform-governance.svc.cluster.local:8443/admin/realms/platform');
    expect(pod.volumes.find((v: any) => v.name === 'group-sync-client').secret).toEqual({ secretName: 'trino-oidc', defaultMode: 0o440 });
    const mount = sidecar.volumeMounts.find((m: any) => m.name === 'group-sync-client');
    expect(mount.readOnly).toBe(true);
    expect(value('CLIENT_SECRET_FILE')).toBe(`${mount.mountPath}/client-secret`);
    expect(sidecar.env.some((e: any) => e.valueFrom)).toBe(false);
  });

  it('names the platform role groups and the default role group the access model uses, and syncs every 60 s', () => {
    const value = (name: string) => envValue(sidecar, name)?.value;
    expect(value('ROLE_GROUPS')).toBe('platform-admin,platform-engineer,platform-analyst,platform-user,platform-viewer');
    expect(value('DEFAULT_ROLE_GROUP')).toBe('platform-analyst');
    expect(value('SYNC_INTERVAL_SECONDS')).toBe('60');
    expect(value('GROUP_FILE')).toBe(groupProvider['file.group-file']);
    expect(
      envValue(containerOf(deployment(buildFor('k3d', { prefix: 'acme' }), 'trino-coordinator'), 'group-sync'), 'ROLE_GROUPS').value,
    ).toMatch(/^acme-admin,/);
  });

  it('keeps the sidecar ready while a group file exists (a Keycloak outage keeps the last one) and alive while its loop beats', () => {
    expect(sidecar.readinessProbe.exec.command).toEqual(['test', '-f', groupProvider['file.group-file']]);
    expect(sidecar.livenessProbe.exec.command).toEqual(['python3', '/opt/group-sync/group-sync.py', '--alive']);
  });

  it('runs on the coordinator only: workers resolve no groups', () => {
    const worker = deployment(eks, 'trino-worker').spec.template.spec;
    expect(worker.initContainers).toBeUndefined();
    expect(worker.containers.map((c: any) => c.name)).toEqual(['trino']);
  });
});

describe('rollouts', () => {
  it('never run two coordinators or two Spark Connect drivers at once, while workers roll', () => {
    const b = buildFor('eks');
    expect(deployment(b, 'trino-coordinator').spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment(b, 'trino-worker').spec.strategy).toBeUndefined();
    expect(find(objectsOf(b, 'spark'), 'Deployment', 'spark-connect').spec.strategy).toEqual({ type: 'Recreate' });
  });
});

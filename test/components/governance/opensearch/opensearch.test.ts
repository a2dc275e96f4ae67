// OpenSearch: one single-node cluster on a laptop, three cluster-manager-eligible nodes on eks,
// security plugin off only on k3d, TLS material and internal users wired everywhere else.
import * as crypto from 'node:crypto';
import forge from 'node-forge';
import { parse } from 'yaml';
import { randomIds, resolveSecretData, SecretPlan } from '../../../../components/platform/secrets';
import { buildFor as buildEnvironment, containerOf, envValue, find, objectsOf } from '../../../helpers/build';

/** The data catalog is off by default on k3d (the laptop budget); these tests turn it on there. */
const CATALOG_ON = { governance: { openmetadata: { enabled: true } } };
const buildFor = (env: string, extra: Record<string, any> = {}) =>
  buildEnvironment(env, env === 'k3d' ? { ...extra, governance: { ...CATALOG_ON.governance, ...extra.governance } } : extra);

const statefulSet = (env: string, extra: Record<string, unknown> = {}) =>
  find(objectsOf(buildFor(env, extra), 'opensearch'), 'StatefulSet', 'opensearch');
const configMap = (env: string) => find(objectsOf(buildFor(env), 'opensearch'), 'ConfigMap', 'opensearch-config');
const opensearchYml = (env: string) => parse(configMap(env).data['opensearch.yml']);

/** Resolves a planned Secret with fixed values for its random ids, as a delivery path would. */
function resolved(env: string, name: string): Record<string, string> {
  const plan = buildFor(env)
    .services.flatMap((s) => s.secrets)
    .find((p: SecretPlan) => p.name === name)!;
  const values = Object.fromEntries(randomIds(plan).map(({ id }) => [id, `seed-${id}`.padEnd(64, 'x')]));
  return resolveSecretData(plan, values);
}

describe('the search cluster shape', () => {
  it('runs a single node on k3d, discovering nobody', () => {
    expect(statefulSet('k3d').spec.replicas).toBe(1);
    const yml = opensearchYml('k3d');
    expect(yml['discovery.type']).toBe('single-node');
    expect(yml['discovery.seed_hosts']).toBeUndefined();
    expect(yml['cluster.initial_cluster_manager_nodes']).toBeUndefined();
  });

  it('runs three nodes on eks that find each other through the headless Service and elect a cluster manager among the three pods', () => {
    const sts = statefulSet('eks');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('opensearch-headless');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    const yml = opensearchYml('eks');
    expect(yml['discovery.type']).toBeUndefined();
    expect(yml['discovery.seed_hosts']).toEqual(['opensearch-headless']);
    expect(yml['cluster.initial_cluster_manager_nodes']).toEqual(['opensearch-0', 'opensearch-1', 'opensearch-2']);
    expect(envValue(containerOf(sts, 'opensearch'), 'NODE_NAME').valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    const headless = find(objectsOf(buildFor('eks'), 'opensearch'), 'Service', 'opensearch-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.ports.map((p: any) => p.port)).toEqual([9200, 9300]);
  });

  it('needs no vm.max_map_count sysctl: mmap is off, memory is not locked, the heap is half the memory limit', () => {
    const yml = opensearchYml('k3d');
    expect(yml['node.store.allow_mmap']).toBe(false);
    expect(yml['bootstrap.memory_lock']).toBe(false);
    const sts = statefulSet('k3d');
    expect(sts.spec.template.spec.securityContext.sysctls).toBeUndefined();
    const c = containerOf(sts, 'opensearch');
    expect(c.resources.limits.memory).toBe('1Gi');
    expect(envValue(c, 'OPENSEARCH_JAVA_OPTS').value).toBe('-Xms512m -Xmx512m');
    expect(sts.spec.template.spec.securityContext.runAsUser).toBe(1000);
  });

  it('claims the configured storage size for the data directory', () => {
    const sts = statefulSet('k3d', { governance: { openmetadata: { enabled: true, searchStorageSize: '37Gi' } } });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('37Gi');
    expect(containerOf(sts, 'opensearch').volumeMounts).toEqual(
      expect.arrayContaining([{ name: 'data', mountPath: '/usr/share/opensearch/data' }]),
    );
  });

  it('is not built when the catalog is off, and neither is OpenMetadata', () => {
    const names = buildFor('k3d', { governance: { openmetadata: { enabled: false, searchStorageSize: '10Gi' } } }).services.map(
      (s) => s.declaration.name,
    );
    expect(names).not.toContain('opensearch');
    expect(names).not.toContain('openmetadata');
  });
});

describe('the security plugin', () => {
  it('is disabled on k3d only, and the demo configuration is never installed', () => {
    expect(opensearchYml('k3d')['plugins.security.disabled']).toBe(true);
    expect(envValue(containerOf(statefulSet('k3d'), 'opensearch'), 'DISABLE_SECURITY_PLUGIN').value).toBe('true');
    for (const env of ['eks', 'airgapped']) {
      expect(opensearchYml(env)['plugins.security.disabled']).toBeUndefined();
      expect(envValue(containerOf(statefulSet(env), 'opensearch'), 'DISABLE_SECURITY_PLUGIN')).toBeUndefined();
    }
    for (const env of ['k3d', 'eks'])
      expect(envValue(containerOf(statefulSet(env), 'opensearch'), 'DISABLE_INSTALL_DEMO_CONFIG').value).toBe('true');
  });

  it('outside k3d encrypts both layers with the generated node certificate and trusts only that CA and node DN', () => {
    const yml = opensearchYml('eks');
    for (const layer of ['transport', 'http']) {
      expect(yml[`plugins.security.ssl.${layer}.pemcert_filepath`]).toBe('certs/node.crt');
      expect(yml[`plugins.security.ssl.${layer}.pemkey_filepath`]).toBe('certs/node.key');
      expect(yml[`plugins.security.ssl.${layer}.pemtrustedcas_filepath`]).toBe('certs/ca.crt');
    }
    expect(yml['plugins.security.ssl.http.enabled']).toBe(true);
    expect(yml['plugins.security.nodes_dn']).toEqual(['CN=opensearch.platform-governance.svc.cluster.local']);
    expect(yml['plugins.security.allow_default_init_securityindex']).toBe(true);
    const sts = statefulSet('eks');
    expect(sts.spec.template.spec.volumes).toEqual(
      expect.arrayContaining([{ name: 'certificates', secret: { secretName: 'opensearch-certificates', defaultMode: 0o440 } }]),
    );
  });

  it('outside k3d hashes the generated passwords with the image hash tool into internal_users.yml, reading them from the Secret', () => {
    const init = containerOf(statefulSet('eks'), 'configure');
    expect(envValue(init, 'OPENMETADATA_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'opensearch-users', key: 'openmetadata' });
    expect(envValue(init, 'ADMIN_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'opensearch-users', key: 'admin' });
    const script = configMap('eks').data['configure.sh'];
    expect(script).toContain('plugins/opensearch-security/tools/hash.sh" -env "$1"');
    expect(script).toContain('OPENMETADATA_HASH=$(hash OPENMETADATA_PASSWORD)');
    expect(script).toContain('hash: "$OPENMETADATA_HASH"');
    expect(script).not.toMatch(/\$2[aby]\$/);
    expect(configMap('k3d').data['configure.sh']).not.toContain('hash.sh');
  });

  it('maps the OpenMetadata user to a role over indices only, and the admin to the security API', () => {
    const mapping = parse(configMap('eks').data['security-roles_mapping.yml']);
    expect(mapping.openmetadata.users).toEqual(['openmetadata']);
    expect(mapping.security_rest_api_access.users).toEqual(['admin']);
    const roles = parse(configMap('eks').data['security-roles.yml']);
    expect(roles.openmetadata.index_permissions).toEqual([{ index_patterns: ['*'], allowed_actions: ['indices_all'] }]);
    const config = parse(configMap('eks').data['security-config.yml']);
    expect(config.config.dynamic.http.anonymous_auth_enabled).toBe(false);
  });

  it('gets a node certificate signed by its CA, for the Service name and every pod, usable as server and client, with a PKCS#8 key', () => {
    const data = resolved('eks', 'opensearch-certificates');
    const ca = forge.pki.certificateFromPem(data['ca.crt']);
    const node = forge.pki.certificateFromPem(data['tls.crt']);
    expect(ca.verify(node)).toBe(true);
    expect(node.subject.getField('CN').value).toBe('opensearch.platform-governance.svc.cluster.local');
    const names = (node.getExtension('subjectAltName') as any).altNames.map((n: any) => n.value ?? n.ip);
    expect(names).toEqual(expect.arrayContaining(['opensearch', '*.opensearch-headless.platform-governance.svc.cluster.local']));
    expect(node.getExtension('extKeyUsage')).toMatchObject({ serverAuth: true, clientAuth: true });
    expect(data['tls.key']).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(crypto.createPublicKey(data['tls.key']).export({ type: 'spki', format: 'pem' })).toBe(
      crypto.createPublicKey(data['tls.crt']).export({ type: 'spki', format: 'pem' }),
    );
    expect(resolved('eks', 'opensearch-certificates')).toEqual(data);
  });

  it('plans no certificate or user Secret on k3d', () => {
    const plans = buildFor('k3d').services.find((s) => s.declaration.name === 'opensearch')!.secrets;
    expect(plans).toEqual([]);
  });
});

import { LLDAP_ADMIN_PASSWORD_ID, LLDAP_BIND_SECRET, LLDAP_SERVICE } from '../../../../components/governance/contract';
import { allObjects, PlatformBuild } from '../../../../components/platform/build';
import { policyContextFor } from '../../../../policies/context';
import { evaluate, mandatoryViolations } from '../../../../policies/engine';
import { restrictedViolations, podSpecOf } from '../../../../components/base/pod-security';
import { RULES } from '../../../../policies/registry';
import { checkReferences } from '../../../../policies/validation/references';
import { validateSchema } from '../../../../policies/validation/schema';
import { buildFor, containerOf, ENVIRONMENTS, envValue, find, objectsOf, plannedSecrets, userSecrets } from '../../../helpers/build';

const directory = (extra: Record<string, unknown> = {}) => ({
  governance: { directory: { mode: 'lldap', baseDn: 'dc=platform,dc=local', storageSize: '1Gi', ...extra } },
});

const k3d = buildFor('k3d', directory());
const statefulSet = (b: PlatformBuild) => find(objectsOf(b, LLDAP_SERVICE), 'StatefulSet', LLDAP_SERVICE);
const container = (b: PlatformBuild) => containerOf(statefulSet(b), 'lldap');
const configFile = (b: PlatformBuild): string => find(objectsOf(b, LLDAP_SERVICE), 'ConfigMap', 'lldap-config').data['lldap_config.toml'];
const plans = (b: PlatformBuild) => b.services.find((s) => s.declaration.name === LLDAP_SERVICE)!.secrets;

describe('LLDAP is optional', () => {
  it('is absent by default, with no bind Secret', () => {
    const b = buildFor('k3d');
    expect(b.services.map((s) => s.declaration.name)).not.toContain(LLDAP_SERVICE);
    expect(plannedSecrets(b).some((s) => s.metadata.name === LLDAP_BIND_SECRET)).toBe(false);
  });

  it('runs when the directory mode is lldap, in the governance namespace', () => {
    expect(statefulSet(k3d).metadata.namespace).toBe('platform-governance');
  });
});

describe('LLDAP workload', () => {
  it('runs the pinned rootless image as its own user 1000, the generated config mounted read-only', () => {
    const c = container(k3d);
    expect(c.image).toMatch(/^docker\.io\/lldap\/lldap:v0\.\d+\.\d+-alpine-rootless$/);
    expect(statefulSet(k3d).spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect([...c.command, ...c.args]).toEqual(['tini', '--', '/app/lldap', 'run', '--config-file', '/etc/lldap/lldap_config.toml']);
    expect(c.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'data', mountPath: '/data' },
        { name: 'config', mountPath: '/etc/lldap', readOnly: true },
      ]),
    );
  });

  it('keeps its SQLite database on its own volume, sized from config and retained', () => {
    const b = buildFor('eks', directory({ storageSize: '3Gi' }));
    const claims = statefulSet(b).spec.volumeClaimTemplates;
    expect(claims.map((c: any) => [c.metadata.name, c.spec.resources.requests.storage, c.spec.storageClassName])).toEqual([
      ['data', '3Gi', 'gp3'],
    ]);
    expect(statefulSet(b).spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(configFile(b)).toContain('database_url = "sqlite:///data/users.db?mode=rwc"');
  });

  it('serves LDAP and HTTP on the contract ports, checked on /health and the LDAP port', () => {
    const c = container(k3d);
    expect(c.ports.map((p: any) => [p.name, p.containerPort])).toEqual([
      ['ldap', 3890],
      ['http', 17170],
    ]);
    expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 17170 });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 17170 });
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 3890 });
    find(objectsOf(k3d, LLDAP_SERVICE), 'Service', 'lldap');
    expect(find(objectsOf(k3d, LLDAP_SERVICE), 'Service', 'lldap-headless').spec.clusterIP).toBe('None');
  });

  it('runs one replica, with the reason for the exemption on the StatefulSet', () => {
    const b = buildFor('eks', directory());
    expect(statefulSet(b).spec.replicas).toBe(1);
    expect(statefulSet(b).metadata.annotations['policy.analytics-platform.io/exempt-minimum-replicas']).toMatch(/SQLite/);
  });
});

describe('LLDAP configuration', () => {
  it('names the base DN, its public URL and plain listeners behind the edge', () => {
    const toml = configFile(k3d);
    expect(toml).toContain('ldap_base_dn = "dc=platform,dc=local"');
    expect(toml).toContain('http_url = "https://directory.platform.localhost"');
    expect(toml).toContain('ldap_port = 3890');
    expect(toml).toContain('http_port = 17170');
    expect(toml).not.toMatch(/ldaps_options|enabled\s*=\s*true/);
  });

  it('resets the admin password to the Secret at every start and derives its key from the seed, without a key file', () => {
    const toml = configFile(k3d);
    expect(toml).toContain('ldap_user_dn = "admin"');
    expect(toml).toContain('force_ldap_user_pass_reset = "always"');
    expect(toml).toContain('key_file = ""');
    expect(toml).not.toMatch(/jwt_secret|key_seed\s*=|ldap_user_pass\s*=/);
  });

  it('reads the JWT secret, key seed and admin password from a mounted Secret through _FILE variables', () => {
    const c = container(k3d);
    expect(envValue(c, 'LLDAP_JWT_SECRET_FILE').value).toBe('/etc/lldap-secrets/jwt-secret');
    expect(envValue(c, 'LLDAP_KEY_SEED_FILE').value).toBe('/etc/lldap-secrets/key-seed');
    expect(envValue(c, 'LLDAP_LDAP_USER_PASS_FILE').value).toBe('/etc/lldap-secrets/admin-password');
    const volume = statefulSet(k3d).spec.template.spec.volumes.find((v: any) => v.name === 'secrets');
    expect(volume.secret).toEqual({ secretName: 'lldap-secrets', defaultMode: 0o440 });
    const plan = plans(k3d).find((p) => p.name === 'lldap-secrets')!;
    expect(Object.values(plan.data).every((v) => v.kind === 'random')).toBe(true);
    expect(plan.data['admin-password']).toEqual({ kind: 'random', id: LLDAP_ADMIN_PASSWORD_ID, length: 32 });
  });

  it('plans the bind Secret Keycloak federates with: the admin DN and the same generated password', () => {
    const bind = plans(k3d).find((p) => p.name === LLDAP_BIND_SECRET)!;
    expect(bind.namespace).toBe('platform-governance');
    expect(bind.data).toEqual({
      'bind-dn': { kind: 'literal', value: 'uid=admin,ou=people,dc=platform,dc=local' },
      password: { kind: 'random', id: LLDAP_ADMIN_PASSWORD_ID, length: 32 },
    });
    const other = buildFor('k3d', directory({ baseDn: 'dc=corp,dc=example' }));
    expect(plans(other).find((p) => p.name === LLDAP_BIND_SECRET)!.data['bind-dn']).toEqual({
      kind: 'literal',
      value: 'uid=admin,ou=people,dc=corp,dc=example',
    });
  });
});

describe('LLDAP exposure', () => {
  it('publishes its UI at directory.<domain>, behind forward-auth for admins only', () => {
    const decl = k3d.services.find((s) => s.declaration.name === LLDAP_SERVICE)!.declaration;
    expect(decl.publicHost).toEqual({ name: 'directory', port: 'http', signIn: 'forward-auth', allowedRoles: ['admin'] });
    const ingress = find(objectsOf(k3d, LLDAP_SERVICE), 'Ingress', 'lldap');
    expect(ingress.spec.rules[0].host).toBe('directory.platform.localhost');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toBe('sign-in-lldap@file');
  });

  it('lets Traefik reach only the HTTP port; LDAP stays inside the cluster', () => {
    const ingress = find(objectsOf(k3d, LLDAP_SERVICE), 'NetworkPolicy', 'lldap-ingress').spec.ingress;
    const fromTraefik = ingress.filter((r: any) =>
      r.from.some((p: any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === 'traefik'),
    );
    expect(fromTraefik.map((r: any) => r.ports)).toEqual([[{ protocol: 'TCP', port: 17170 }]]);
  });
});

describe.each(ENVIRONMENTS)('the whole %s platform with LLDAP on', (environment) => {
  const b = buildFor(environment, directory());
  const everything = [...allObjects(b), ...plannedSecrets(b)];

  it('is schema-valid, every reference resolves and every pod meets restricted', () => {
    expect(validateSchema(everything)).toEqual([]);
    const storageClasses = Object.values(b.config.storageClasses);
    expect(checkReferences(everything, { storageClasses, externalSecrets: userSecrets(b) })).toEqual([]);
    for (const o of allObjects(b)) {
      const pod = podSpecOf(o);
      if (pod)
        expect({ object: o.metadata.name, violations: restrictedViolations(pod) }).toEqual({ object: o.metadata.name, violations: [] });
    }
  });

  it('has no mandatory policy finding', () => {
    const report = evaluate(everything, RULES, policyContextFor(b.config));
    expect(mandatoryViolations(report).map((v) => `${v.rule} ${v.object}: ${v.message}`)).toEqual([]);
  });
});

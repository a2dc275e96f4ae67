// The realm Keycloak is reconciled to: valid against the representation schema everywhere, the
// five roles with analyst by default, groups from config, one `groups` claim, one client per
// signing-in service on its own host, demo users only where enabled, LLDAP only when it runs.
import { PLATFORM_ROLES } from '../../../../components/governance/schema';
import { OAUTH2_CALLBACK_PATH } from '../../../../components/governance/contract';
import {
  GROUPS_CLAIM,
  LLDAP_BIND_SECRET,
  LLDAP_PORTS,
  LLDAP_SERVICE,
  OAUTH2_PROXY_PORTS,
  OAUTH2_PROXY_SERVICE,
} from '../../../../components/governance/contract';
import {
  CLIENT_DEFAULT_SCOPES,
  GROUPS_SCOPE,
  LDAP_MAPPER_TYPE,
  USER_STORAGE_PROVIDER,
} from '../../../../components/governance/keycloak/realm';
import {
  ENV_PLACEHOLDER,
  realmReferenceProblems,
  realmSchema,
  RealmRepresentation,
} from '../../../../components/governance/keycloak/realm-schema';
import { allObjects, PlatformBuild } from '../../../../components/platform/build';
import { literal } from '../../../../components/platform/secrets';
import { ServiceDefinition, withDefaults } from '../../../../components/platform/service';
import { SERVICE_DEFINITIONS } from '../../../helpers/build';
import { checkReferences } from '../../../../policies/validation/references';
import { buildFor, containerOf, ENVIRONMENTS, envValue, find, objectsOf, plannedSecrets } from '../../../helpers/build';

/** Stands in for a service another part builds, unless the registry already has it. */
function standIn(
  name: string,
  layer: 'governance' | 'analytics',
  ports: { name: string; port: number }[],
  build = () => undefined,
): ServiceDefinition {
  return {
    name,
    enabled: () => true,
    declare: () =>
      withDefaults({
        name,
        layer,
        description: `${name} stand-in`,
        images: [],
        ports: ports.map((p) => ({ ...p, http: true })),
        resources: {},
      }),
    build,
  };
}
const signingIn = (name: string, host: string, signIn: 'native-oidc' | 'forward-auth', extra: object = {}): ServiceDefinition => {
  const base = standIn(name, 'analytics', [{ name: 'http', port: 8088 }]);
  return { ...base, declare: (ctx) => ({ ...base.declare(ctx), publicHost: { name: host, port: 'http', signIn, ...extra } }) };
};
const oauth2Proxy = standIn(OAUTH2_PROXY_SERVICE, 'governance', [OAUTH2_PROXY_PORTS.http]);
const lldap = standIn(LLDAP_SERVICE, 'governance', [LLDAP_PORTS.ldap, LLDAP_PORTS.http], undefined);
lldap.build = (_scope, ctx) =>
  ctx.addSecret({
    name: LLDAP_BIND_SECRET,
    namespace: ctx.namespaceOf(LLDAP_SERVICE),
    service: LLDAP_SERVICE,
    data: { 'bind-dn': literal('uid=admin,ou=people,dc=platform,dc=local'), password: literal('stand-in') },
  });

const SIGNING_IN = [
  signingIn('notebooks', 'lab', 'native-oidc', { redirectPaths: ['/hub/oauth_callback'] }),
  signingIn('dashboards', 'bi', 'native-oidc', { redirectPaths: ['/oauth-authorized/keycloak'] }),
  signingIn('pipelines', 'orchestrator', 'forward-auth'),
  signingIn('experiments', 'experiments', 'forward-auth', { allowedRoles: ['admin', 'engineer'] }),
];
const has = (name: string) => SERVICE_DEFINITIONS.some((d) => d.name === name);
const withSignIn = [...SERVICE_DEFINITIONS, ...(has(OAUTH2_PROXY_SERVICE) ? [] : [oauth2Proxy]), ...SIGNING_IN];

function realmOf(build: PlatformBuild): RealmRepresentation {
  const cm = find(objectsOf(build, 'keycloak'), 'ConfigMap', 'keycloak-realm-config');
  const files = Object.keys(cm.data);
  expect(files).toEqual([`${build.config.governance.realm}.json`]);
  return JSON.parse(cm.data[files[0]]);
}

const LLDAP_MODE = { governance: { directory: { mode: 'lldap', baseDn: 'dc=platform,dc=local', storageSize: '1Gi' } } };
const lldapBuild = (env: string) => buildFor(env, LLDAP_MODE, [...SERVICE_DEFINITIONS, ...(has(LLDAP_SERVICE) ? [] : [lldap])]);

describe('the realm file', () => {
  it.each(ENVIRONMENTS)('is valid against the realm representation schema, and everything it names exists, on %s', (env) => {
    for (const build of [buildFor(env), buildFor(env, {}, withSignIn), lldapBuild(env)]) {
      const realm = realmOf(build);
      expect(realmSchema.safeParse(realm).error?.issues ?? []).toEqual([]);
      expect(realmReferenceProblems(realm)).toEqual([]);
    }
  });

  it('rejects what keycloak-config-cli would reject: unknown fields and inlined secrets', () => {
    const realm = realmOf(buildFor('k3d', {}, withSignIn));
    expect(realmSchema.safeParse({ ...realm, registrationsAllowed: false }).success).toBe(false);
    const inlined = { ...realm, clients: [{ ...realm.clients[0], secret: 'hunter2-plain-value' }] };
    expect(realmSchema.safeParse(inlined).success).toBe(false);
  });

  it('names the configured realm and takes sessions and brute-force protection from config, registration off, RS256', () => {
    const realm = realmOf(
      buildFor('k3d', {
        governance: {
          realm: 'acme',
          sessions: { accessTokenSeconds: 120, ssoIdleSeconds: 900, ssoMaxSeconds: 7200 },
          bruteForce: { maxFailures: 3, lockoutSeconds: 600 },
        },
      }),
    );
    expect(realm).toMatchObject({
      realm: 'acme',
      registrationAllowed: false,
      sslRequired: 'external',
      defaultSignatureAlgorithm: 'RS256',
      accessTokenLifespan: 120,
      ssoSessionIdleTimeout: 900,
      ssoSessionMaxLifespan: 7200,
      bruteForceProtected: true,
      permanentLockout: false,
      failureFactor: 3,
      waitIncrementSeconds: 600,
      maxFailureWaitSeconds: 600,
    });
  });
});

describe('roles and groups', () => {
  const realm = realmOf(buildFor('k3d'));
  const role = (name: string) => realm.roles.realm.find((r) => r.name === name)!;

  it('defines the five platform roles as <prefix>-<role>, each described', () => {
    for (const r of PLATFORM_ROLES) expect(role(`platform-${r}`)).toMatchObject({ composite: false, description: expect.any(String) });
    expect(role('platform-user').description).toMatch(/personal data masked/);
    expect(role('platform-viewer').description).toMatch(/limited set of schemas; schemas iceberg\.curated; personal data masked/);
    expect(role('platform-analyst').description).not.toMatch(/masked/);
  });

  it('says a viewer gets rows filtered once the access model filters its rows', () => {
    const filtered = realmOf(
      buildFor('k3d', {
        governance: {
          access: {
            rowFilters: [
              { roles: ['viewer'], projects: [], catalog: 'iceberg', schema: 'curated', table: 'sales', expression: "region = 'EU'" },
            ],
          },
        },
      }),
    );
    expect(filtered.roles.realm.find((r) => r.name === 'platform-viewer')!.description).toMatch(/rows filtered; personal data masked/);
  });

  it("makes analyst the default role through default-roles-<realm>, keeping Keycloak's own defaults in the composite", () => {
    expect(role('default-roles-platform')).toEqual({
      name: 'default-roles-platform',
      description: '${role_default-roles}',
      composite: true,
      composites: {
        realm: ['offline_access', 'uma_authorization', 'platform-analyst'],
        client: { account: ['view-profile', 'manage-account'] },
      },
    });
  });

  it('follows the prefix in every role name', () => {
    const names = realmOf(buildFor('k3d', { prefix: 'acme' })).roles.realm.map((r) => r.name);
    expect(names).toEqual(['acme-admin', 'acme-engineer', 'acme-analyst', 'acme-user', 'acme-viewer', 'default-roles-platform']);
  });

  it('creates a top-level group per configured team and per project, and none otherwise', () => {
    const built = realmOf(buildFor('k3d', { governance: { teams: ['sales'], projects: ['churn', 'fraud'] } }));
    expect(built.groups!.map((g) => [g.path, g.attributes?.kind])).toEqual([
      ['/team-sales', ['team']],
      ['/project-churn', ['project']],
      ['/project-fraud', ['project']],
    ]);
    // No key at all rather than an empty list, which would make the reconcile manage (delete) groups.
    expect(realmOf(buildFor('eks')).groups).toBeUndefined();
  });
});

describe('the groups claim', () => {
  const realm = realmOf(buildFor('k3d', {}, withSignIn));
  const scope = realm.clientScopes.find((s) => s.name === GROUPS_SCOPE)!;

  it('maps group names (not paths) and realm roles into one multivalued "groups" claim in ID, access and userinfo tokens', () => {
    const [groups, roles] = scope.protocolMappers;
    expect(groups.protocolMapper).toBe('oidc-group-membership-mapper');
    expect(groups.config).toMatchObject({ 'claim.name': GROUPS_CLAIM, 'full.path': 'false' });
    expect(roles.protocolMapper).toBe('oidc-usermodel-realm-role-mapper');
    // Multivalued: the role mapper adds to the group list already in the claim instead of replacing it.
    expect(roles.config).toMatchObject({ 'claim.name': GROUPS_CLAIM, multivalued: 'true' });
    for (const m of [groups, roles])
      expect(m.config).toMatchObject({ 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true' });
  });

  it('is a default scope of every client, which also names itself in the access token audience', () => {
    expect(realm.clients.length).toBeGreaterThan(0);
    for (const client of realm.clients) {
      expect(client.defaultClientScopes).toEqual(CLIENT_DEFAULT_SCOPES);
      expect(client.defaultClientScopes).toContain(GROUPS_SCOPE);
      expect(client.protocolMappers).toContainEqual(
        expect.objectContaining({
          protocolMapper: 'oidc-audience-mapper',
          config: expect.objectContaining({ 'included.client.audience': client.clientId, 'access.token.claim': 'true' }),
        }),
      );
    }
  });
});

describe('OIDC clients', () => {
  const build = buildFor('k3d', {}, withSignIn);
  const realm = realmOf(build);
  const client = (id: string) => realm.clients.find((c) => c.clientId === id)!;
  const onHost = (host: string) => realm.clients.filter((c) => c.redirectUris.some((u) => u.startsWith(`https://${host}/`)));

  it('gives every SSO service exactly one client, with redirect URIs on its own host only', () => {
    const sso = build.services.map((s) => s.declaration).filter((d) => d.publicHost && d.publicHost.signIn !== 'none');
    expect(sso.length).toBeGreaterThanOrEqual(SIGNING_IN.length);
    for (const decl of sso) {
      const host = `${decl.publicHost!.name}.${build.config.domain}`;
      const clients = onHost(host);
      expect({ service: decl.name, clients: clients.length }).toEqual({ service: decl.name, clients: 1 });
      if (decl.publicHost!.signIn === 'native-oidc') {
        expect(clients[0].clientId).toBe(decl.name);
        expect(clients[0].redirectUris).toEqual(decl.publicHost!.redirectPaths!.map((p) => `https://${host}${p}`));
      } else {
        expect(clients[0].clientId).toBe(OAUTH2_PROXY_SERVICE);
      }
    }
  });

  it('makes native-oidc clients confidential authorization-code clients with their origin and logout redirects', () => {
    expect(client('notebooks')).toMatchObject({
      publicClient: false,
      clientAuthenticatorType: 'client-secret',
      secret: '$(env:CLIENT_SECRET_NOTEBOOKS)',
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      redirectUris: ['https://lab.platform.localhost/hub/oauth_callback'],
      webOrigins: ['https://lab.platform.localhost'],
      attributes: { 'post.logout.redirect.uris': 'https://lab.platform.localhost/*' },
    });
    expect(client('notebooks').description).toMatch(
      /notebooks: platform-admin, platform-engineer, platform-analyst, platform-user, platform-viewer/,
    );
  });

  it('signs every forward-auth host in through the one oauth2-proxy client, its callback on each host', () => {
    const proxy = client(OAUTH2_PROXY_SERVICE);
    const hosts = ['orchestrator.platform.localhost', 'experiments.platform.localhost'];
    expect(proxy.redirectUris).toEqual(expect.arrayContaining(hosts.map((h) => `https://${h}${OAUTH2_CALLBACK_PATH}`)));
    expect(proxy.webOrigins).toEqual(expect.arrayContaining(hosts.map((h) => `https://${h}`)));
    expect(proxy.attributes!['post.logout.redirect.uris'].split('##')).toEqual(expect.arrayContaining(hosts.map((h) => `https://${h}/*`)));
    expect(proxy.redirectUris.length).toBe(proxy.webOrigins.length);
  });

  it('keeps every client secret a placeholder', () => {
    for (const c of realm.clients) expect(c.secret).toMatch(ENV_PLACEHOLDER);
  });

  it('holds a client for every client secret a service is given, and gives the secret of each client to exactly one service, in every environment', () => {
    for (const env of ENVIRONMENTS) {
      const b = buildFor(env, {}, withSignIn);
      const keycloakNamespace = b.services.find((s) => s.declaration.name === 'keycloak')!.namespace;
      const holders = new Map<string, string[]>();
      for (const plan of b.services.flatMap((s) => s.secrets)) {
        if (plan.namespace === keycloakNamespace && plan.service === 'keycloak') continue;
        for (const source of Object.values(plan.data)) {
          const id = source.kind === 'random' ? source.id : undefined;
          const clientId = id?.startsWith('keycloak/client/') ? id.slice('keycloak/client/'.length) : undefined;
          if (clientId) holders.set(clientId, [...(holders.get(clientId) ?? []), `${plan.namespace}/${plan.name}`]);
        }
      }
      const clients = realmOf(b).clients.map((c) => c.clientId);
      expect([env, [...holders.keys()].sort()]).toEqual([env, [...clients].sort()]);
      for (const [clientId, secrets] of holders) expect([env, clientId, secrets.length]).toEqual([env, clientId, 1]);
    }
  });

  it('has no clients when no service signs in', () => {
    const quiet = SERVICE_DEFINITIONS.filter((d) => ['postgres-platform', 'traefik', 'keycloak'].includes(d.name));
    expect(realmOf(buildFor('eks', {}, quiet)).clients).toEqual([]);
  });
});

/** The realm's people: every user but the services' service accounts. */
const demoUsersOf = (realm: RealmRepresentation) => (realm.users ?? []).filter((u) => u.serviceAccountClientId === undefined);

describe('demo users', () => {
  it('exist on k3d, one per role with its role only, a team, a project and a password placeholder', () => {
    const users = demoUsersOf(realmOf(buildFor('k3d')));
    expect(users.map((u) => [u.username, u.realmRoles, u.groups])).toEqual([
      ['demo-admin', ['platform-admin'], ['/team-marketing', '/project-scoring']],
      ['demo-engineer', ['platform-engineer'], ['/team-finance', '/project-risk']],
      ['demo-analyst', ['platform-analyst'], ['/team-marketing', '/project-scoring']],
      ['demo-user', ['platform-user'], ['/team-finance', '/project-risk']],
      ['demo-viewer', ['platform-viewer'], ['/team-marketing', '/project-scoring']],
    ]);
    for (const u of users)
      expect(u.credentials).toEqual([{ type: 'password', value: expect.stringMatching(ENV_PLACEHOLDER), temporary: false }]);
  });

  it.each(['eks', 'airgapped'])('do not exist on %s by default', (env) => {
    expect(demoUsersOf(realmOf(buildFor(env)))).toEqual([]);
  });

  it('exist on eks when the stack enables them', () => {
    expect(demoUsersOf(realmOf(buildFor('eks', { governance: { demoUsers: true } }))).map((u) => u.username)).toEqual(
      PLATFORM_ROLES.map((r) => `demo-${r}`),
    );
  });

  it('are not created on k3d when the stack turns them off', () => {
    expect(demoUsersOf(realmOf(buildFor('k3d', { governance: { demoUsers: false } })))).toEqual([]);
  });
});

describe('LLDAP federation', () => {
  it('is absent unless the directory runs; the empty components map lets the reconcile remove one it created', () => {
    expect(realmOf(buildFor('k3d')).components).toEqual({});
  });

  it('federates LLDAP read-only over the in-cluster ldap port, with the bind DN and password from its Secret', () => {
    const realm = realmOf(lldapBuild('k3d'));
    const [provider] = realm.components[USER_STORAGE_PROVIDER];
    expect(realm.components[USER_STORAGE_PROVIDER]).toHaveLength(1);
    expect(provider.providerId).toBe('ldap');
    expect(provider.config).toMatchObject({
      vendor: ['other'],
      editMode: ['READ_ONLY'],
      connectionUrl: [`ldap://lldap.platform-governance.svc.cluster.local:${LLDAP_PORTS.ldap.port}`],
      usersDn: ['ou=people,dc=platform,dc=local'],
      bindDn: ['$(env:LDAP_BIND_DN)'],
      bindCredential: ['$(env:LDAP_BIND_PASSWORD)'],
      usernameLDAPAttribute: ['uid'],
      rdnLDAPAttribute: ['uid'],
      uuidLDAPAttribute: ['entryUUID'],
      userObjectClasses: ['person'],
      pagination: ['false'],
    });
    const groups = provider.subComponents![LDAP_MAPPER_TYPE].find((m) => m.name === 'groups')!;
    expect(groups.providerId).toBe('group-ldap-mapper');
    expect(groups.config).toMatchObject({
      'groups.dn': ['ou=groups,dc=platform,dc=local'],
      'group.name.ldap.attribute': ['cn'],
      'group.object.classes': ['groupOfUniqueNames'],
      'membership.ldap.attribute': ['member'],
      mode: ['READ_ONLY'],
    });
  });

  it('reads the bind DN and password from the directory bind Secret, and opens an edge to lldap:ldap only in LLDAP mode', () => {
    const b = lldapBuild('k3d');
    const cli = containerOf(find(objectsOf(b, 'keycloak'), 'Job', 'keycloak-realm'), 'keycloak-config-cli');
    expect(envValue(cli, 'LDAP_BIND_DN')).toMatchObject({ valueFrom: { secretKeyRef: { name: LLDAP_BIND_SECRET, key: 'bind-dn' } } });
    expect(envValue(cli, 'LDAP_BIND_PASSWORD')).toMatchObject({
      valueFrom: { secretKeyRef: { name: LLDAP_BIND_SECRET, key: 'password' } },
    });
    const problems = checkReferences([...allObjects(b), ...plannedSecrets(b)], {
      storageClasses: Object.values(b.config.storageClasses),
      externalSecrets: [],
    });
    expect(problems.filter((p) => p.object.includes('keycloak'))).toEqual([]);
    const edges = (build: PlatformBuild) => build.services.find((s) => s.declaration.name === 'keycloak')!.declaration.edges;
    expect(edges(b)).toEqual([{ to: LLDAP_SERVICE, port: LLDAP_PORTS.ldap.name }]);
    expect(edges(buildFor('k3d'))).toEqual([]);
    expect(
      containerOf(find(objectsOf(buildFor('k3d'), 'keycloak'), 'Job', 'keycloak-realm'), 'keycloak-config-cli').env.map((e: any) => e.name),
    ).not.toContain('LDAP_BIND_PASSWORD');
  });

  it('is refused with the missing directory named when LLDAP mode is set but no LLDAP service runs', () => {
    const withoutLldap = SERVICE_DEFINITIONS.filter((d) => d.name !== LLDAP_SERVICE);
    expect(() => buildFor('k3d', LLDAP_MODE, withoutLldap)).toThrow(
      /"keycloak" connects to "lldap" \(port "ldap"\), but no layer of this platform runs "lldap"/,
    );
  });
});

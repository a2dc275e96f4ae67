// Machine identities in the realm: a service declaring `serviceAccount` gets one client with the
// service account on (its sign-in client when it has one) and a service-account user holding the
// declared roles; every client carries the audience of the services its service calls.
import { oidcClientSecretId } from '../../../../components/governance/contract';
import { realmReferenceProblems, realmSchema, RealmRepresentation } from '../../../../components/governance/keycloak/realm-schema';
import { allObjects, PlatformBuild } from '../../../../components/platform/build';
import type { ServiceDeclaration, ServiceDefinition } from '../../../../components/platform/service';
import { withDefaults } from '../../../../components/platform/service';
import { SERVICE_DEFINITIONS } from '../../../helpers/build';
import { checkReferences } from '../../../../policies/validation/references';
import { buildFor, containerOf, envValue, find, objectsOf, plannedSecrets } from '../../../helpers/build';

/** A stand-in service: `extra` adds to its declaration. */
const standIn = (name: string, extra: Partial<ServiceDeclaration>): ServiceDefinition => ({
  name,
  enabled: () => true,
  declare: () =>
    withDefaults({
      name,
      layer: 'analytics',
      description: `${name} stand-in`,
      images: [],
      ports: [{ name: 'http', port: 8000, http: true }],
      resources: {},
      ...extra,
    }),
  build: () => undefined,
});

/** Acts as itself only and calls Trino, as a scheduled job would. */
const runner: ServiceDefinition = {
  ...standIn('runner', { serviceAccount: { roles: ['engineer'], realmManagement: [] }, edges: [{ to: 'trino', port: 'http' }] }),
  build: (_scope, ctx) => void ctx.connect('runner', 'trino', 'http'),
};
/** Users sign in to it; it calls nothing with a client. */
const notebooks = standIn('notebooks', { publicHost: { name: 'lab', port: 'http', signIn: 'native-oidc', redirectPaths: ['/cb'] } });
const build = buildFor('k3d', {}, [...SERVICE_DEFINITIONS, runner, notebooks]);

const realmOf = (b: PlatformBuild): RealmRepresentation =>
  JSON.parse(find(objectsOf(b, 'keycloak'), 'ConfigMap', 'keycloak-realm-config').data[`${b.config.governance.realm}.json`]);
const realm = realmOf(build);
const clientsOf = (clientId: string) => realm.clients.filter((c) => c.clientId === clientId);
const userOf = (username: string) => realm.users?.find((u) => u.username === username);
const declarations = build.services.map((s) => s.declaration);

describe('service accounts in the realm', () => {
  it('are valid against the realm schema, and everything they name exists', () => {
    expect(realmSchema.safeParse(realm).error?.issues ?? []).toEqual([]);
    expect(realmReferenceProblems(realm)).toEqual([]);
  });

  it('give each service that declares one exactly one client, with the service account on and its user holding the declared roles', () => {
    const acting = declarations.filter((d) => d.serviceAccount);
    expect(acting.map((d) => d.name)).toEqual(expect.arrayContaining(['trino', 'runner']));
    for (const decl of acting) {
      expect([decl.name, clientsOf(decl.name).map((c) => c.serviceAccountsEnabled)]).toEqual([decl.name, [true]]);
      expect(userOf(`service-account-${decl.name}`)).toEqual({
        username: `service-account-${decl.name}`,
        enabled: true,
        serviceAccountClientId: decl.name,
        realmRoles: decl.serviceAccount!.roles.map((r) => `platform-${r}`),
        clientRoles: { 'realm-management': decl.serviceAccount!.realmManagement },
      });
    }
  });

  it("use the sign-in client of a service that also signs users in (Trino's group sync), and a client without browser flows otherwise", () => {
    const [trino] = clientsOf('trino');
    expect(trino).toMatchObject({ standardFlowEnabled: true, serviceAccountsEnabled: true });
    expect(trino.redirectUris).toEqual(['https://federation.platform.localhost/oauth2/callback']);
    expect(userOf('service-account-trino')!.clientRoles).toEqual({ 'realm-management': ['view-users', 'view-realm'] });
    expect(userOf('service-account-trino')!.realmRoles).toEqual([]);
    const [machine] = clientsOf('runner');
    expect(machine).toMatchObject({
      publicClient: false,
      clientAuthenticatorType: 'client-secret',
      secret: '$(env:CLIENT_SECRET_RUNNER)',
      standardFlowEnabled: false,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: true,
      redirectUris: [],
      webOrigins: [],
    });
    expect(machine.description).toMatch(/^Service account of runner/);
  });

  it('are given to no service that does not declare one', () => {
    for (const client of realm.clients) {
      const decl = declarations.find((d) => d.name === client.clientId)!;
      expect([client.clientId, client.serviceAccountsEnabled]).toEqual([client.clientId, decl.serviceAccount !== undefined]);
    }
    expect(clientsOf('notebooks')[0].serviceAccountsEnabled).toBe(false);
    const owners = (realm.users ?? []).map((u) => u.serviceAccountClientId).filter((c) => c !== undefined);
    expect(owners.sort()).toEqual(
      declarations
        .filter((d) => d.serviceAccount)
        .map((d) => d.name)
        .sort(),
    );
  });

  it("have their client secret planned by Keycloak in the service's namespace, sharing the realm's value, and every reference resolves", () => {
    const plans = build.services.flatMap((s) => s.secrets);
    const plan = plans.find((s) => s.name === 'runner-oidc')!;
    expect([plan.namespace, plan.service]).toEqual(['platform-analytics', 'runner']);
    expect(plan.data).toEqual({
      'client-id': { kind: 'literal', value: 'runner' },
      'client-secret': { kind: 'random', id: oidcClientSecretId('runner'), length: 32 },
    });
    const realmSecrets = plans.find((s) => s.name === 'keycloak-realm-secrets')!;
    expect(realmSecrets.data.CLIENT_SECRET_RUNNER).toEqual(plan.data['client-secret']);
    const cli = containerOf(find(objectsOf(build, 'keycloak'), 'Job', 'keycloak-realm'), 'keycloak-config-cli');
    expect(envValue(cli, 'CLIENT_SECRET_RUNNER')).toMatchObject({
      valueFrom: { secretKeyRef: { name: 'keycloak-realm-secrets', key: 'CLIENT_SECRET_RUNNER' } },
    });
    const problems = checkReferences([...allObjects(build), ...plannedSecrets(build)], {
      storageClasses: Object.values(build.config.storageClasses),
      externalSecrets: [],
    });
    expect(problems.filter((p) => /keycloak|trino/.test(p.object))).toEqual([]);
  });
});

describe('token audiences', () => {
  const audiences = (clientId: string) =>
    (clientsOf(clientId)[0].protocolMappers ?? [])
      .filter((m) => m.protocolMapper === 'oidc-audience-mapper')
      .map((m) => [m.name, m.config['included.client.audience']]);

  it("name Trino in the tokens of a client whose service connects to Trino, so Trino's required audience accepts them", () => {
    expect(audiences('runner')).toEqual([
      ['audience', 'runner'],
      ['audience trino', 'trino'],
    ]);
  });

  it("keep each client's own audience, and add none where the service calls no service with a client", () => {
    expect(audiences('trino')).toEqual([['audience', 'trino']]);
    expect(audiences('notebooks')).toEqual([['audience', 'notebooks']]);
  });

  it('put the audience in access tokens only', () => {
    const mapper = clientsOf('runner')[0].protocolMappers!.find((m) => m.name === 'audience trino')!;
    expect(mapper.config).toMatchObject({ 'access.token.claim': 'true', 'id.token.claim': 'false' });
  });
});

describe('the realm checks refuse what Keycloak or the reconcile would get wrong', () => {
  const withUser = (patch: object) => ({
    ...realm,
    users: realm.users!.map((u) => (u.username === 'service-account-runner' ? { ...u, ...patch } : u)),
  });

  it('a service-account user of a client without a service account, or under another name', () => {
    const off = { ...realm, clients: realm.clients.map((c) => (c.clientId === 'runner' ? { ...c, serviceAccountsEnabled: false } : c)) };
    expect(realmReferenceProblems(off)).toEqual(['user "service-account-runner": client "runner" has no service account enabled']);
    expect(realmReferenceProblems(withUser({ username: 'runner-bot' }))).toEqual([
      'user "runner-bot": the service account of "runner" is named "service-account-runner"',
    ]);
  });

  it('an admin role realm-management does not have, or client roles of a client that is not built in', () => {
    expect(realmReferenceProblems(withUser({ clientRoles: { 'realm-management': ['view-everything'] } }))).toEqual([
      'user "service-account-runner": "view-everything" is not a realm-management role',
    ]);
    expect(realmReferenceProblems(withUser({ clientRoles: { trino: ['admin'] } }))).toEqual([
      'user "service-account-runner": client roles of "trino", not a built-in client',
    ]);
  });

  it('an audience naming a client the realm does not hold', () => {
    const trinoless = { ...realm, clients: realm.clients.filter((c) => c.clientId !== 'trino') };
    expect(realmReferenceProblems(trinoless)).toContain('client "runner": audience "trino" is not a client of the realm');
  });
});

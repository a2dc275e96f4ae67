// What the realm reconcile may delete. keycloak-config-cli deletes, in its default `full` mode,
// whatever the realm file does not name: a file with `"groups": []` deletes every group people
// made (with its memberships) on each hourly run, and `full` client scopes delete built-in ones
// such as `service_account`. So every managed mode is set on purpose, the list checked against
// the tool's own, and the file never carries an empty list it does not own.
import { MANAGED_MODES, managedModeVariable } from '../../../../components/governance/keycloak/managed';
import type { PlatformBuild } from '../../../../components/platform/build';
import { buildFor, containerOf, ENVIRONMENTS, find, objectsOf } from '../../../helpers/build';

/**
 * Every field of keycloak-config-cli's ImportConfigProperties.ImportManagedProperties (v6.5, the
 * pinned 6.5.1's line; src/main/java/de/adorsys/keycloak/config/properties/ImportConfigProperties.java),
 * each bound from `import.managed.<kebab-case>`, all defaulting to FULL in that constructor.
 */
const UPSTREAM_MANAGED_PROPERTIES = [
  'requiredAction',
  'group',
  'subGroup',
  'clientScope',
  'scopeMapping',
  'clientScopeMapping',
  'component',
  'subComponent',
  'authenticationFlow',
  'identityProvider',
  'identityProviderMapper',
  'role',
  'client',
  'clientAuthorizationResources',
  'clientAuthorizationPolicies',
  'clientAuthorizationScopes',
  'messageBundles',
  'organization',
  'workflow',
];
/** Spring's relaxed binding of such a field from the environment: IMPORT_MANAGED_ and the name in upper case. */
const upstreamVariables = UPSTREAM_MANAGED_PROPERTIES.map((field) => `IMPORT_MANAGED_${field.toUpperCase()}`).sort();

/** The types the tool deletes only what its remote state says it created (the platform's own). */
const STATE_SCOPED = ['role', 'client', 'component', 'sub-component'];

const realmPods = (b: PlatformBuild) => {
  const objects = objectsOf(b, 'keycloak');
  return [find(objects, 'Job', 'keycloak-realm'), find(objects, 'CronJob', 'keycloak-realm-drift').spec.jobTemplate];
};
const managedEnv = (workload: any): Record<string, string> =>
  Object.fromEntries(
    containerOf(workload, 'keycloak-config-cli')
      .env.filter((e: any) => e.name.startsWith('IMPORT_MANAGED_'))
      .map((e: any) => [e.name, e.value]),
  );
const realmFile = (b: PlatformBuild): string =>
  Object.values(find(objectsOf(b, 'keycloak'), 'ConfigMap', 'keycloak-realm-config').data)[0] as string;

describe('what the realm reconcile may delete', () => {
  it('knows every managed type of keycloak-config-cli, spelled as its environment binds them', () => {
    expect(Object.keys(MANAGED_MODES).map(managedModeVariable).sort()).toEqual(upstreamVariables);
  });

  it.each(ENVIRONMENTS)('sets every managed mode explicitly, on the deploy Job and the hourly drift run alike, on %s', (env) => {
    for (const workload of realmPods(buildFor(env))) {
      const modes = managedEnv(workload);
      expect(Object.keys(modes).sort()).toEqual(upstreamVariables);
      for (const value of Object.values(modes)) expect(['full', 'no-delete']).toContain(value);
    }
  });

  it("leaves people's groups, sub-groups and client scopes (service_account included) alone: no-delete", () => {
    const modes = managedEnv(realmPods(buildFor('eks'))[1]);
    expect(modes.IMPORT_MANAGED_GROUP).toBe('no-delete');
    expect(modes.IMPORT_MANAGED_SUBGROUP).toBe('no-delete');
    expect(modes.IMPORT_MANAGED_CLIENTSCOPE).toBe('no-delete');
    expect(modes.IMPORT_MANAGED_SCOPEMAPPING).toBe('no-delete');
    expect(modes.IMPORT_MANAGED_AUTHENTICATIONFLOW).toBe('no-delete');
    expect(modes.IMPORT_MANAGED_IDENTITYPROVIDER).toBe('no-delete');
  });

  it('deletes only types whose deletion the remote state limits to what the reconcile created, with remote state on', () => {
    const full = Object.entries(MANAGED_MODES)
      .filter(([, mode]) => mode === 'full')
      .map(([type]) => type);
    expect(full.sort()).toEqual([...STATE_SCOPED].sort());
    for (const workload of realmPods(buildFor('k3d')))
      expect(containerOf(workload, 'keycloak-config-cli').env).toContainEqual({ name: 'IMPORT_REMOTESTATE_ENABLED', value: 'true' });
  });

  it.each(['eks', 'airgapped'])('writes no "groups" key on %s, where no team or project is declared', (env) => {
    const b = buildFor(env);
    expect(b.config.governance.teams).toEqual([]);
    expect(b.config.governance.projects).toEqual([]);
    const file = realmFile(b);
    expect(JSON.parse(file)).not.toHaveProperty('groups');
    expect(file).not.toMatch(/"groups":\s*\[\s*\]/);
  });

  it('writes the declared teams and projects as groups when there are some', () => {
    const realm = JSON.parse(realmFile(buildFor('eks', { governance: { teams: ['sales'] } })));
    expect(realm.groups.map((g: any) => g.name)).toEqual(['team-sales']);
  });
});

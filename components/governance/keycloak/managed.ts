// What the realm reconcile may delete: keycloak-config-cli's managed mode of every resource type
// (`import.managed.<type>`, ImportConfigProperties.ImportManagedProperties; docs/MANAGED.md), each
// set here on purpose rather than left to the tool's defaults, which are `full` for most types.
// `full` deletes what the file does not name; `no-delete` only creates and updates.
//
// `full` is kept only where the platform owns every instance the tool would delete: the tool
// deletes a role, client or (sub-)component only when its remote state records having created it
// (RoleImportService, ClientImportService, ComponentImportService with
// IMPORT_REMOTESTATE_ENABLED=true), so what people create beside them survives. Everything else is
// `no-delete`: group deletion ignores the remote state while the state holds no group
// (GroupImportService.deleteGroupsMissingInImport), so a file with no teams would delete every
// group people made, with its memberships; sub-groups are deleted without any state check;
// client-scope deletion spares only the realm's default scopes, so built-in ones such as
// `service_account` (the client_id claim of client-credentials tokens) would go. The realm file
// names none of the other types: people own them (flows, identity providers, organizations, ...).
import type { k8s } from 'cdk8s-plus-28';

export type ManagedMode = 'full' | 'no-delete';

/** Every type keycloak-config-cli manages (its ImportManagedProperties, v6.5), with the mode the reconcile runs it in. */
export const MANAGED_MODES: Readonly<Record<string, ManagedMode>> = {
  'required-action': 'no-delete',
  group: 'no-delete',
  'sub-group': 'no-delete',
  'client-scope': 'no-delete',
  'scope-mapping': 'no-delete',
  'client-scope-mapping': 'no-delete',
  component: 'full',
  'sub-component': 'full',
  'authentication-flow': 'no-delete',
  'identity-provider': 'no-delete',
  'identity-provider-mapper': 'no-delete',
  role: 'full',
  client: 'full',
  'client-authorization-resources': 'no-delete',
  'client-authorization-policies': 'no-delete',
  'client-authorization-scopes': 'no-delete',
  'message-bundles': 'no-delete',
  organization: 'no-delete',
  workflow: 'no-delete',
};

/** Spring's environment spelling of `import.managed.<type>`: upper case, dots to `_`, dashes dropped (README, "Configuration"). */
export const managedModeVariable = (type: string): string => `IMPORT_MANAGED_${type.replace(/-/g, '').toUpperCase()}`;

export const managedModeEnv = (): k8s.EnvVar[] =>
  Object.entries(MANAGED_MODES).map(([type, mode]) => ({ name: managedModeVariable(type), value: mode }));

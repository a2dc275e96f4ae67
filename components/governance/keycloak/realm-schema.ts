// The parts of Keycloak's realm representation the platform emits, as strict zod schemas. Field
// names are those of the admin REST API representations (core/src/main/java/org/keycloak/
// representations/idm: RealmRepresentation, RoleRepresentation, GroupRepresentation,
// ClientRepresentation, ClientScopeRepresentation, ProtocolMapperRepresentation,
// UserRepresentation, CredentialRepresentation, ComponentExportRepresentation). Strict, because
// keycloak-config-cli parses import files with FAIL_ON_UNKNOWN_PROPERTIES (KeycloakImportProvider):
// an unknown or misspelt field fails the reconcile Job, so it must fail here first.
import { z } from 'zod';
import { serviceAccountUsername } from '../contract';

/** keycloak-config-cli's variable substitution: `$(env:NAME)`, resolved from the Job's environment at import time. */
export const ENV_PLACEHOLDER = /^\$\(env:[A-Z][A-Z0-9_]*\)$/;
const placeholder = z.string().regex(ENV_PLACEHOLDER, 'a "$(env:NAME)" placeholder, never a value');

const name = z.string().min(1).max(255);
/** Keycloak keeps mapper and client attribute values as strings. */
const stringMap = z.record(z.string(), z.string());
const boolString = z.enum(['true', 'false']);
const httpsUrl = z.url({ protocol: /^https$/ });
/** A redirect URI or post-logout pattern: an https URL, with at most a trailing `*` wildcard. */
const redirectPattern = z.string().regex(/^https:\/\/[a-z0-9.-]+(:[0-9]+)?(\/[^*\s]*)?\*?$/, 'an https URL, optionally ending in "*"');

export const protocolMapperSchema = z.strictObject({
  name,
  protocol: z.literal('openid-connect'),
  protocolMapper: z.enum(['oidc-group-membership-mapper', 'oidc-usermodel-realm-role-mapper', 'oidc-audience-mapper']),
  config: z
    .strictObject({
      'claim.name': z.string().min(1).optional(),
      'full.path': boolString.optional(),
      multivalued: boolString.optional(),
      'jsonType.label': z.literal('String').optional(),
      'included.client.audience': name.optional(),
      'id.token.claim': boolString,
      'access.token.claim': boolString,
      'userinfo.token.claim': boolString.optional(),
      'introspection.token.claim': boolString.optional(),
    })
    .refine((c) => c['id.token.claim'] === 'true' || c['access.token.claim'] === 'true', 'the mapper puts its claim in no token'),
});

export const roleSchema = z.strictObject({
  name,
  description: z.string().optional(),
  composite: z.boolean(),
  composites: z
    .strictObject({
      realm: z.array(name).optional(),
      client: z.record(name, z.array(name)).optional(),
    })
    .optional(),
});

export const groupSchema = z.strictObject({
  name,
  path: z.string().regex(/^\/[^/]+$/, 'a top-level group path such as "/team-finance"'),
  attributes: z.record(z.string(), z.array(z.string())).optional(),
});

export const clientScopeSchema = z.strictObject({
  name,
  description: z.string().optional(),
  protocol: z.literal('openid-connect'),
  attributes: stringMap.optional(),
  protocolMappers: z.array(protocolMapperSchema),
});

export const clientSchema = z.strictObject({
  clientId: name,
  name: z.string().optional(),
  description: z.string().optional(),
  baseUrl: httpsUrl.optional(),
  enabled: z.boolean(),
  protocol: z.literal('openid-connect'),
  publicClient: z.boolean(),
  clientAuthenticatorType: z.enum(['client-secret', 'client-jwt', 'client-secret-jwt', 'client-x509']),
  /** Confidential clients only, and then a placeholder: the value lives in a Secret. */
  secret: placeholder.optional(),
  standardFlowEnabled: z.boolean(),
  implicitFlowEnabled: z.boolean(),
  directAccessGrantsEnabled: z.boolean(),
  serviceAccountsEnabled: z.boolean(),
  frontchannelLogout: z.boolean().optional(),
  fullScopeAllowed: z.boolean().optional(),
  redirectUris: z.array(redirectPattern),
  webOrigins: z.array(httpsUrl),
  attributes: stringMap.optional(),
  protocolMappers: z.array(protocolMapperSchema).optional(),
  defaultClientScopes: z.array(name).optional(),
  optionalClientScopes: z.array(name).optional(),
});

export const credentialSchema = z.strictObject({
  type: z.literal('password'),
  value: placeholder,
  temporary: z.boolean(),
});

/**
 * The realm-management client's roles (Keycloak 26 AdminRoles.ALL_REALM_ROLES, organizations,
 * impersonation and realm-admin): what a service account may do in the admin REST API.
 */
export const REALM_MANAGEMENT_ROLES = [
  'realm-admin',
  'create-client',
  'impersonation',
  ...['realm', 'users', 'clients', 'events', 'identity-providers', 'authorization', 'organizations'].flatMap((what) => [
    `view-${what}`,
    `manage-${what}`,
  ]),
  ...['users', 'clients', 'realms', 'groups', 'organizations'].map((what) => `query-${what}`),
];
/** The built-in client holding the admin roles of a realm. */
export const REALM_MANAGEMENT_CLIENT = 'realm-management';

export const userSchema = z.strictObject({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a lowercase username'),
  enabled: z.boolean(),
  /** Marks the service-account user of this client (keycloak-config-cli finds it by username and sets its roles). */
  serviceAccountClientId: name.optional(),
  emailVerified: z.boolean().optional(),
  email: z.email().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  realmRoles: z.array(name).optional(),
  /** Client roles by client id; keycloak-config-cli sets each listed client's roles to exactly these. */
  clientRoles: z.record(name, z.array(name)).optional(),
  /** Group paths, such as "/team-finance". */
  groups: z.array(z.string().startsWith('/')).optional(),
  credentials: z.array(credentialSchema).optional(),
  requiredActions: z.array(z.string()).optional(),
});

/** ComponentExportRepresentation: a provider (LDAP user storage) and its sub-components (its mappers). */
export interface ComponentRepresentation {
  name: string;
  providerId: string;
  subType?: string;
  config: Record<string, string[]>;
  subComponents?: Record<string, ComponentRepresentation[]>;
}
export const componentSchema: z.ZodType<ComponentRepresentation> = z.lazy(() =>
  z.strictObject({
    name,
    providerId: name,
    subType: z.string().optional(),
    config: z.record(z.string(), z.array(z.string())),
    subComponents: z.record(z.string(), z.array(componentSchema)).optional(),
  }),
);

const seconds = z.number().int().positive();

export const realmSchema = z.strictObject({
  realm: z.string().regex(/^[a-z][a-z0-9-]*$/),
  displayName: z.string().optional(),
  enabled: z.boolean(),
  sslRequired: z.enum(['all', 'external', 'none']),
  registrationAllowed: z.boolean(),
  resetPasswordAllowed: z.boolean().optional(),
  rememberMe: z.boolean().optional(),
  loginWithEmailAllowed: z.boolean().optional(),
  duplicateEmailsAllowed: z.boolean().optional(),
  editUsernameAllowed: z.boolean().optional(),
  bruteForceProtected: z.boolean(),
  permanentLockout: z.boolean(),
  failureFactor: z.number().int().positive(),
  waitIncrementSeconds: seconds,
  maxFailureWaitSeconds: seconds,
  accessTokenLifespan: seconds,
  ssoSessionIdleTimeout: seconds,
  ssoSessionMaxLifespan: seconds,
  defaultSignatureAlgorithm: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'EdDSA']),
  passwordPolicy: z.string().optional(),
  eventsEnabled: z.boolean().optional(),
  eventsExpiration: seconds.optional(),
  adminEventsEnabled: z.boolean().optional(),
  adminEventsDetailsEnabled: z.boolean().optional(),
  roles: z.strictObject({ realm: z.array(roleSchema) }),
  /** Absent rather than empty: the key makes the reconcile manage groups, and people's groups must stay (keycloak/managed.ts). */
  groups: z.array(groupSchema).min(1, 'omit "groups" rather than list none').optional(),
  clientScopes: z.array(clientScopeSchema),
  clients: z.array(clientSchema),
  users: z.array(userSchema).optional(),
  /** Keyed by provider type; an empty map still lets the reconcile remove what it created before. */
  components: z.record(z.string(), z.array(componentSchema)),
});

export type RealmRepresentation = z.infer<typeof realmSchema>;
export type ClientRepresentation = z.infer<typeof clientSchema>;
export type ClientScopeRepresentation = z.infer<typeof clientScopeSchema>;
export type ProtocolMapperRepresentation = z.infer<typeof protocolMapperSchema>;
export type RoleRepresentation = z.infer<typeof roleSchema>;
export type GroupRepresentation = z.infer<typeof groupSchema>;
export type UserRepresentation = z.infer<typeof userSchema>;

/** Scopes every Keycloak 26 realm is created with (the realm's default client scopes); a client may name them without defining them. */
export const BUILT_IN_CLIENT_SCOPES = ['web-origins', 'acr', 'profile', 'roles', 'email', 'basic', 'offline_access', 'address', 'phone'];
/** Realm roles every realm is created with, which composites and users may name. */
export const BUILT_IN_REALM_ROLES = ['offline_access', 'uma_authorization'];

/** Everything the realm names must exist in it (roles, groups, client scopes), once; no credential is inlined. */
export function realmReferenceProblems(realm: RealmRepresentation): string[] {
  const problems: string[] = [];
  const roles = new Set([...BUILT_IN_REALM_ROLES, ...realm.roles.realm.map((r) => r.name)]);
  const groups = new Set((realm.groups ?? []).map((g) => g.path));
  const scopes = new Set([...BUILT_IN_CLIENT_SCOPES, ...realm.clientScopes.map((s) => s.name)]);
  const unique = (what: string, names: string[]) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) problems.push(`${what} "${n}" is defined twice`);
      seen.add(n);
    }
  };
  unique(
    'realm role',
    realm.roles.realm.map((r) => r.name),
  );
  unique(
    'group',
    (realm.groups ?? []).map((g) => g.path),
  );
  unique(
    'client',
    realm.clients.map((c) => c.clientId),
  );
  unique(
    'client scope',
    realm.clientScopes.map((s) => s.name),
  );
  unique(
    'user',
    (realm.users ?? []).map((u) => u.username),
  );
  for (const role of realm.roles.realm)
    for (const composite of role.composites?.realm ?? [])
      if (!roles.has(composite)) problems.push(`role "${role.name}": composite "${composite}" is not a realm role`);
  for (const client of realm.clients) {
    for (const scope of [...(client.defaultClientScopes ?? []), ...(client.optionalClientScopes ?? [])])
      if (!scopes.has(scope)) problems.push(`client "${client.clientId}": client scope "${scope}" does not exist`);
    if (!client.publicClient && client.clientAuthenticatorType === 'client-secret' && !client.secret)
      problems.push(`client "${client.clientId}": confidential without a secret`);
  }
  const secretsInline = (component: ComponentRepresentation) => {
    for (const value of component.config.bindCredential ?? [])
      if (!ENV_PLACEHOLDER.test(value)) problems.push(`component "${component.name}": bindCredential is not a "$(env:NAME)" placeholder`);
    for (const children of Object.values(component.subComponents ?? {})) children.forEach(secretsInline);
  };
  Object.values(realm.components).forEach((list) => list.forEach(secretsInline));
  for (const client of realm.clients)
    for (const mapper of client.protocolMappers ?? []) {
      const audience = mapper.config['included.client.audience'];
      if (audience !== undefined && !realm.clients.some((c) => c.clientId === audience))
        problems.push(`client "${client.clientId}": audience "${audience}" is not a client of the realm`);
    }
  unique(
    'protocol mapper',
    realm.clients.flatMap((c) => (c.protocolMappers ?? []).map((m) => `${c.clientId}/${m.name}`)),
  );
  for (const user of realm.users ?? []) {
    const owner = user.serviceAccountClientId;
    if (owner !== undefined) {
      if (!realm.clients.some((c) => c.clientId === owner && c.serviceAccountsEnabled))
        problems.push(`user "${user.username}": client "${owner}" has no service account enabled`);
      if (user.username !== serviceAccountUsername(owner))
        problems.push(`user "${user.username}": the service account of "${owner}" is named "${serviceAccountUsername(owner)}"`);
    }
    for (const [clientId, clientRoles] of Object.entries(user.clientRoles ?? {})) {
      if (clientId !== REALM_MANAGEMENT_CLIENT)
        problems.push(`user "${user.username}": client roles of "${clientId}", not a built-in client`);
      else
        for (const role of clientRoles)
          if (!REALM_MANAGEMENT_ROLES.includes(role))
            problems.push(`user "${user.username}": "${role}" is not a ${REALM_MANAGEMENT_CLIENT} role`);
    }
    for (const role of user.realmRoles ?? []) if (!roles.has(role)) problems.push(`user "${user.username}": role "${role}" does not exist`);
    for (const group of user.groups ?? [])
      if (!groups.has(group)) problems.push(`user "${user.username}": group "${group}" does not exist`);
  }
  return problems;
}

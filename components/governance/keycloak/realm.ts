// The platform realm, generated from the stack config and the service declarations: session and
// brute-force settings, the five platform roles (analyst by default), team and project groups, a
// `groups` claim that carries all three, one confidential client per OIDC client plan
// (clients.ts) with the service-account user of each service that acts as itself, demo users
// where the environment asks for them, and LLDAP federation when the directory runs. Every credential is a `$(env:NAME)` placeholder that keycloak-config-cli fills
// from the reconcile Job's environment (Secrets), so the realm file itself holds no secret.
import { PLATFORM_ROLES, PlatformRole } from '../schema';
import type { PlatformConfig } from '../../../environments/schema';
import type { BuildContext } from '../../platform/context';
import { oidcClients, OidcClientPlan } from './clients';
import {
  DEFAULT_ROLE,
  GROUPS_CLAIM,
  KEYCLOAK_SERVICE,
  LLDAP_PORTS,
  LLDAP_SERVICE,
  projectGroup,
  roleGroup,
  serviceAccountUsername,
  teamGroup,
} from '../contract';
import type {
  ClientRepresentation,
  ClientScopeRepresentation,
  ComponentRepresentation,
  GroupRepresentation,
  ProtocolMapperRepresentation,
  RealmRepresentation,
  RoleRepresentation,
  UserRepresentation,
} from './realm-schema';
import { REALM_MANAGEMENT_CLIENT } from './realm-schema';

/** The client scope that puts roles, teams and projects into the GROUPS_CLAIM. */
export const GROUPS_SCOPE = 'groups';
/** Keycloak 26's default client scopes, plus the platform's. */
export const CLIENT_DEFAULT_SCOPES = ['web-origins', 'acr', 'profile', 'roles', 'email', 'basic', GROUPS_SCOPE];
export const CLIENT_OPTIONAL_SCOPES = ['offline_access'];
export const USER_STORAGE_PROVIDER = 'org.keycloak.storage.UserStorageProvider';
export const LDAP_MAPPER_TYPE = 'org.keycloak.storage.ldap.mappers.LDAPStorageMapper';
export const LDAP_FEDERATION_NAME = 'lldap';

/** keycloak-config-cli variable substitution syntax (import.var-substitution.prefix `$(`, suffix `)`). */
export const envPlaceholder = (variable: string): string => `$(env:${variable})`;
const constantCase = (value: string) => value.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
export const clientSecretVariable = (clientId: string): string => `CLIENT_SECRET_${constantCase(clientId)}`;
export const demoPasswordVariable = (role: PlatformRole): string => `DEMO_PASSWORD_${constantCase(role)}`;
export const LDAP_BIND_DN_VARIABLE = 'LDAP_BIND_DN';
export const LDAP_BIND_PASSWORD_VARIABLE = 'LDAP_BIND_PASSWORD';

/** Keycloak's name for the realm's default composite role (Keycloak 13+). */
export const defaultRolesName = (realm: string): string => `default-roles-${realm}`;

export interface DemoUser {
  username: string;
  role: PlatformRole;
  team?: string;
  project?: string;
}

/** One demo user per role, each in a team and a project (round robin), when the environment enables them. */
export function demoUsers(config: PlatformConfig): DemoUser[] {
  const { demoUsers: enabled, teams, projects } = config.governance;
  if (!enabled) return [];
  return PLATFORM_ROLES.map((role, i) => ({
    username: `demo-${role}`,
    role,
    team: teams.length ? teams[i % teams.length] : undefined,
    project: projects.length ? projects[i % projects.length] : undefined,
  }));
}

const ROLE_PURPOSE: Record<PlatformRole, string> = {
  admin: 'Platform administrator: every service and admin console, all data',
  engineer: 'Data engineer: builds pipelines and data products',
  analyst: 'Analyst: queries, dashboards and notebooks (the default role of new users)',
  user: 'Standard user: reads the data granted to users',
  viewer: 'Viewer: dashboards over a limited set of schemas',
};

/** What the role may see, from the access model OPA enforces, so the realm tells the same story. */
function roleDescription(config: PlatformConfig, role: PlatformRole): string {
  if (role === 'admin') return ROLE_PURPOSE.admin;
  const access = config.governance.access;
  const has = (roles: readonly string[]) => roles.includes(role);
  const schemas = [...new Set(access.grants.filter((g) => has(g.roles)).flatMap((g) => g.schemas.map((s) => `${g.catalog}.${s}`)))];
  return [
    ROLE_PURPOSE[role],
    schemas.length ? `schemas ${schemas.join(', ')}` : 'no schemas granted',
    ...(access.rowFilters.some((f) => has(f.roles)) ? ['rows filtered'] : []),
    ...(has(access.maskedRoles) ? ['personal data masked'] : []),
  ].join('; ');
}

function realmRoles(config: PlatformConfig): RoleRepresentation[] {
  const { prefix, governance } = config;
  const roles: RoleRepresentation[] = PLATFORM_ROLES.map((role) => ({
    name: roleGroup(prefix, role),
    description: roleDescription(config, role),
    composite: false,
  }));
  // keycloak-config-cli sets composites to exactly this list, so Keycloak's own defaults stay in it.
  roles.push({
    name: defaultRolesName(governance.realm),
    description: '${role_default-roles}',
    composite: true,
    composites: {
      realm: ['offline_access', 'uma_authorization', roleGroup(prefix, DEFAULT_ROLE)],
      client: { account: ['view-profile', 'manage-account'] },
    },
  });
  return roles;
}

function groups(config: PlatformConfig): GroupRepresentation[] {
  const group = (name: string, kind: string): GroupRepresentation => ({ name, path: `/${name}`, attributes: { kind: [kind] } });
  return [
    ...config.governance.teams.map((t) => group(teamGroup(t), 'team')),
    ...config.governance.projects.map((p) => group(projectGroup(p), 'project')),
  ];
}

const inTokens = {
  'id.token.claim': 'true',
  'access.token.claim': 'true',
  'userinfo.token.claim': 'true',
  'introspection.token.claim': 'true',
} as const;

/**
 * One claim for the three dimensions. The group mapper (priority 0) puts the group names; the
 * realm-role mapper runs after it (AbstractUserRoleMappingMapper priority 40) and, being
 * multivalued, adds the role names to the collection already in the claim instead of replacing it
 * (AbstractUserRoleMappingMapper.mapClaim: "add to existing set of roles").
 */
function groupsScope(): ClientScopeRepresentation {
  return {
    name: GROUPS_SCOPE,
    description: 'Platform roles, team groups and project groups in one "groups" claim',
    protocol: 'openid-connect',
    attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' },
    protocolMappers: [
      {
        name: 'team and project groups',
        protocol: 'openid-connect',
        protocolMapper: 'oidc-group-membership-mapper',
        config: { 'claim.name': GROUPS_CLAIM, 'full.path': 'false', ...inTokens },
      },
      {
        name: 'platform roles',
        protocol: 'openid-connect',
        protocolMapper: 'oidc-usermodel-realm-role-mapper',
        config: { 'claim.name': GROUPS_CLAIM, multivalued: 'true', 'jsonType.label': 'String', ...inTokens },
      },
    ],
  };
}

/**
 * Access tokens name the client in `aud`, so a service can check a token was issued for it; a
 * client whose service calls another also names that one (`audience <client>`), so the callee
 * accepts the tokens it is sent (Trino: http-server.authentication.jwt.required-audience).
 */
const audienceMapper = (name: string, audience: string): ProtocolMapperRepresentation => ({
  name,
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: {
    'included.client.audience': audience,
    'id.token.claim': 'false',
    'access.token.claim': 'true',
    'introspection.token.claim': 'true',
  },
});

/** What the client is for, for operators reading the console. */
function clientDescription(config: PlatformConfig, plan: OidcClientPlan): string {
  const parts: string[] = [];
  if (plan.browserSignIn) {
    const allowed = Object.entries(plan.allowedRoles)
      .map(([service, roles]) => `${service}: ${roles.map((r) => roleGroup(config.prefix, r)).join(', ')}`)
      .join('; ');
    parts.push(`Sign-in for ${plan.signsIn.join(', ')}. Allowed roles (enforced by the service) - ${allowed}`);
  }
  if (plan.serviceAccount) parts.push(`Service account of ${plan.service} (client credentials)`);
  return parts.join('. ');
}

/**
 * A confidential client: authorization code for services users sign in to, client credentials
 * for services acting as themselves, or both. Who may sign in (allowedRoles) is enforced by the
 * service itself or by oauth2-proxy's allowed groups: Keycloak has no per-client role gate
 * without a custom authentication flow, so the description records it for operators.
 */
function client(config: PlatformConfig, plan: OidcClientPlan): ClientRepresentation {
  return {
    clientId: plan.clientId,
    name: plan.clientId,
    description: clientDescription(config, plan),
    ...(plan.webOrigins.length === 1 ? { baseUrl: `${plan.webOrigins[0]}/` } : {}),
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    clientAuthenticatorType: 'client-secret',
    secret: envPlaceholder(clientSecretVariable(plan.clientId)),
    standardFlowEnabled: plan.browserSignIn,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: plan.serviceAccount !== undefined,
    frontchannelLogout: false,
    fullScopeAllowed: true,
    redirectUris: plan.redirectUris,
    webOrigins: plan.webOrigins,
    // Keycloak keeps several values of one client attribute joined by "##" (Constants.CFG_DELIMITER).
    attributes: {
      'post.logout.redirect.uris': plan.postLogoutRedirectUris.join('##'),
      // A machine identity whose one token must last a whole run (ClientModel access.token.lifespan, seconds).
      ...(plan.serviceAccount?.accessTokenSeconds ? { 'access.token.lifespan': String(plan.serviceAccount.accessTokenSeconds) } : {}),
    },
    protocolMappers: [
      audienceMapper('audience', plan.clientId),
      ...plan.audiences.map((audience) => audienceMapper(`audience ${audience}`, audience)),
    ],
    defaultClientScopes: CLIENT_DEFAULT_SCOPES,
    optionalClientScopes: CLIENT_OPTIONAL_SCOPES,
  };
}

/**
 * The service-account user of each client that has one, with exactly the declared platform roles
 * (the reconcile removes the default composite: IMPORT_BEHAVIORS_REMOVEDEFAULTROLEFROMUSER) and
 * realm-management roles. The realm-management entry is always written, even empty, because
 * keycloak-config-cli leaves the roles of a built-in client it is not given untouched
 * (UserImportService.handleClientRoles, KeycloakUtil.isDefaultClient).
 */
function serviceAccountUsers(config: PlatformConfig, plans: OidcClientPlan[]): UserRepresentation[] {
  return plans.flatMap((plan) =>
    plan.serviceAccount
      ? [
          {
            username: serviceAccountUsername(plan.clientId),
            enabled: true,
            serviceAccountClientId: plan.clientId,
            realmRoles: plan.serviceAccount.roles.map((r) => roleGroup(config.prefix, r)),
            clientRoles: { [REALM_MANAGEMENT_CLIENT]: plan.serviceAccount.realmManagement },
          },
        ]
      : [],
  );
}

function users(config: PlatformConfig): UserRepresentation[] {
  return demoUsers(config).map((u) => ({
    username: u.username,
    enabled: true,
    emailVerified: true,
    email: `${u.username}@${config.domain}`,
    firstName: 'Demo',
    lastName: u.role.charAt(0).toUpperCase() + u.role.slice(1),
    // Only this role: the reconcile removes the default composite from demo users, so demo-viewer is not also an analyst.
    realmRoles: [roleGroup(config.prefix, u.role)],
    groups: [...(u.team ? [`/${teamGroup(u.team)}`] : []), ...(u.project ? [`/${projectGroup(u.project)}`] : [])],
    credentials: [{ type: 'password', value: envPlaceholder(demoPasswordVariable(u.role)), temporary: false }],
    requiredActions: [],
  }));
}

const one = (value: string) => [value];

/**
 * LLDAP as a read-only user federation, with the settings LLDAP documents for Keycloak
 * (lldap example_configs/keycloak.md: vendor other, uid, person, pagination off, groups as
 * groupOfUniqueNames under ou=groups). The UUID is entryUUID, which LLDAP serves for users and
 * groups (crates/ldap/src/core/utils.rs) and Keycloak uses by default for vendor "other"
 * (LDAPConstants.getUuidAttributeName); unlike uid it survives a rename. The bind DN and password
 * come from the directory's bind Secret through the Job's environment.
 */
function ldapFederation(ctx: RealmInputs, baseDn: string): Record<string, ComponentRepresentation[]> {
  const { host, port } = ctx.connect(KEYCLOAK_SERVICE, LLDAP_SERVICE, LLDAP_PORTS.ldap.name);
  const groupsMapper: ComponentRepresentation = {
    name: 'groups',
    providerId: 'group-ldap-mapper',
    config: {
      'groups.dn': one(`ou=groups,${baseDn}`),
      'group.name.ldap.attribute': one('cn'),
      'group.object.classes': one('groupOfUniqueNames'),
      'preserve.group.inheritance': one('false'),
      'membership.ldap.attribute': one('member'),
      'membership.attribute.type': one('DN'),
      'membership.user.ldap.attribute': one('uid'),
      mode: one('READ_ONLY'),
      'user.roles.retrieve.strategy': one('LOAD_GROUPS_BY_MEMBER_ATTRIBUTE'),
      'groups.path': one('/'),
      'drop.non.existing.groups.during.sync': one('false'),
    },
  };
  // LLDAP keeps the display name in cn and the given name in givenName (keycloak.md, "first name" mapper).
  const firstNameMapper: ComponentRepresentation = {
    name: 'first name',
    providerId: 'user-attribute-ldap-mapper',
    config: {
      'ldap.attribute': one('givenName'),
      'user.model.attribute': one('firstName'),
      'read.only': one('true'),
      'always.read.value.from.ldap': one('true'),
      'is.mandatory.in.ldap': one('false'),
    },
  };
  return {
    [USER_STORAGE_PROVIDER]: [
      {
        name: LDAP_FEDERATION_NAME,
        providerId: 'ldap',
        subComponents: { [LDAP_MAPPER_TYPE]: [groupsMapper, firstNameMapper] },
        config: {
          enabled: one('true'),
          priority: one('0'),
          vendor: one('other'),
          editMode: one('READ_ONLY'),
          connectionUrl: one(`ldap://${host}:${port}`),
          usersDn: one(`ou=people,${baseDn}`),
          authType: one('simple'),
          bindDn: one(envPlaceholder(LDAP_BIND_DN_VARIABLE)),
          bindCredential: one(envPlaceholder(LDAP_BIND_PASSWORD_VARIABLE)),
          usernameLDAPAttribute: one('uid'),
          rdnLDAPAttribute: one('uid'),
          uuidLDAPAttribute: one('entryUUID'),
          userObjectClasses: one('person'),
          searchScope: one('1'),
          pagination: one('false'),
          connectionPooling: one('true'),
          usePasswordModifyExtendedOp: one('true'),
          importEnabled: one('true'),
          syncRegistrations: one('false'),
          trustEmail: one('true'),
          fullSyncPeriod: one('3600'),
          changedSyncPeriod: one('-1'),
          cachePolicy: one('DEFAULT'),
        },
      },
    ],
  };
}

/** What the realm is derived from: the config and the declarations (through the endpoints of those it links to). */
export type RealmInputs = Pick<BuildContext, 'config' | 'services' | 'connect'>;

/** The realm file keycloak-config-cli applies on every deploy. */
export function keycloakRealm(ctx: RealmInputs): RealmRepresentation {
  const { config } = ctx;
  const g = config.governance;
  const plans = oidcClients(config, ctx.services);
  const realmUsers = [...serviceAccountUsers(config, plans), ...users(config)];
  const realmGroups = groups(config);
  return {
    realm: g.realm,
    enabled: true,
    // HTTPS for everyone outside private networks: users come through Traefik's TLS, services use
    // the `https` back channel; only Traefik itself reaches the plain port, from the cluster network.
    sslRequired: 'external',
    registrationAllowed: false,
    // No mail server is configured, so a reset link could never arrive.
    resetPasswordAllowed: false,
    rememberMe: false,
    loginWithEmailAllowed: true,
    duplicateEmailsAllowed: false,
    editUsernameAllowed: false,
    bruteForceProtected: true,
    permanentLockout: false,
    failureFactor: g.bruteForce.maxFailures,
    // Each lockout lasts lockoutSeconds: the increment and its ceiling are the same.
    waitIncrementSeconds: g.bruteForce.lockoutSeconds,
    maxFailureWaitSeconds: g.bruteForce.lockoutSeconds,
    accessTokenLifespan: g.sessions.accessTokenSeconds,
    ssoSessionIdleTimeout: g.sessions.ssoIdleSeconds,
    ssoSessionMaxLifespan: g.sessions.ssoMaxSeconds,
    defaultSignatureAlgorithm: 'RS256',
    passwordPolicy: 'length(12) and notUsername and notEmail',
    // Sign-in and admin events for the audit trail, kept 30 days in the database.
    eventsEnabled: true,
    eventsExpiration: 30 * 24 * 3600,
    adminEventsEnabled: true,
    adminEventsDetailsEnabled: false,
    roles: { realm: realmRoles(config) },
    // Only when teams or projects are declared: the key present, even empty, makes the reconcile
    // manage groups, and people's own groups must stay (managed.ts).
    ...(realmGroups.length ? { groups: realmGroups } : {}),
    clientScopes: [groupsScope()],
    clients: plans.map((plan) => client(config, plan)),
    ...(realmUsers.length ? { users: realmUsers } : {}),
    components: g.directory.mode === 'lldap' ? ldapFederation(ctx, g.directory.baseDn) : {},
  };
}

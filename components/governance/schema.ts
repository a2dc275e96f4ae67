// The governance part of the stack config: the identity realm (roles, teams, projects, sessions,
// demo users, directory) and the data access model that compiles to OPA data. Typed here once;
// Keycloak, OPA, oauth2-proxy and the services that sign users in all read it.
import { z } from 'zod';

/** The five platform roles; each is the realm role (and `groups` claim entry) `<prefix>-<role>`. */
export const PLATFORM_ROLES = ['admin', 'engineer', 'analyst', 'user', 'viewer'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Access privileges on a schema, each a set of Trino operations (see components/governance/opa/access-model.ts). */
export const PRIVILEGES = ['read', 'write', 'create'] as const;
export type Privilege = (typeof PRIVILEGES)[number];

/** How a personal-data column reads for a masked role. */
export const MASKS = ['hash', 'redact', 'null'] as const;

const slug = z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, 'lowercase letters, digits and "-", 2 to 32 characters');
/** A catalog, schema or table name, or "*" for all of them. */
const sqlName = z.string().regex(/^(\*|[a-z_][a-z0-9_]{0,127})$/, 'a lowercase SQL identifier, or "*" for all');
const exactName = z.string().regex(/^[a-z_][a-z0-9_]{0,127}$/, 'a lowercase SQL identifier');
const role = z.enum(PLATFORM_ROLES);
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

const grant = z.strictObject({
  roles: z.array(role.exclude(['admin'])).describe('Roles given this grant (admin is implicitly granted everything).'),
  projects: z.array(slug).describe('Project groups given this grant (members of `project-<name>`).'),
  catalog: sqlName.describe('The Trino catalog the grant covers, or "*" for every catalog.'),
  schemas: z.array(sqlName).min(1).describe('The schemas of that catalog the grant covers, or ["*"] for all of them.'),
  privileges: z.array(z.enum(PRIVILEGES)).min(1).describe('`read`: list and select; `write`: insert, update, delete; `create`: DDL.'),
});

const personalData = z.strictObject({
  catalog: exactName.describe('The Trino catalog of the table.'),
  schema: exactName.describe('The schema of the table.'),
  table: exactName.describe('The table holding personal data.'),
  columns: z.array(exactName).min(1).describe('Its personal-data columns; a column has one mask.'),
  mask: z
    .enum(MASKS)
    .describe('`hash`: sha256 hex of the value (varchar columns); `redact`: "****" (varchar); `null`: NULL of the column type.'),
});

const rowFilter = z.strictObject({
  roles: z.array(role.exclude(['admin'])).describe('Roles whose queries get this filter.'),
  projects: z.array(slug).describe('Project groups whose members get this filter.'),
  catalog: exactName.describe('The Trino catalog of the filtered table.'),
  schema: exactName.describe('The schema of the filtered table.'),
  table: exactName.describe('The filtered table.'),
  expression: z.string().min(1).max(2000).describe('A SQL boolean expression over the table columns, such as "region = \'EU\'".'),
});

export const accessModelSchema = z.strictObject({
  grants: z.array(grant).describe('Which roles and projects may use which catalogs and schemas, with which privileges.'),
  personalData: z.array(personalData).describe('Columns tagged as personal data and how they are masked.'),
  maskedRoles: z.array(role.exclude(['admin'])).describe('Roles that see personal-data columns masked.'),
  rowFilters: z.array(rowFilter).describe('Row filters per role or project; a user matching several gets all of them (AND).'),
  assistant: z.strictObject({ roles: z.array(role).describe('Roles allowed to use the NL-to-SQL assistant.') }),
});
export type AccessModel = z.infer<typeof accessModelSchema>;

const directory = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({
    mode: z.literal('lldap'),
    baseDn: z
      .string()
      .regex(/^dc=[a-z0-9-]+(,dc=[a-z0-9-]+)*$/, 'a base DN such as "dc=platform,dc=local"')
      .describe('The LDAP base DN of the directory.'),
    storageSize: z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti)$/, 'a storage size such as "1Gi"'),
  }),
]);

export const governanceSchema = z.strictObject({
  realm: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, 'lowercase letters, digits and "-", starting with a letter')
    .describe('The Keycloak realm: the issuer is `https://identity.<domain>/realms/<realm>`.'),
  teams: z.array(slug).describe('Team groups (`team-<name>`): shared team resources.'),
  projects: z.array(slug).describe('Project groups (`project-<name>`): which data members see, through the access model.'),
  sessions: z.strictObject({
    accessTokenSeconds: seconds(60, 3600),
    ssoIdleSeconds: seconds(300, 86400),
    ssoMaxSeconds: seconds(600, 604800),
  }),
  bruteForce: z.strictObject({
    maxFailures: z.number().int().min(1).max(100),
    lockoutSeconds: seconds(60, 86400),
  }),
  demoUsers: z.boolean().describe('Create one demo user per role with a generated password (never on by default outside k3d).'),
  directory: directory.describe('`lldap`: run LLDAP and federate its users into the realm; `none`: users live in Keycloak.'),
  openmetadata: z.strictObject({
    enabled: z
      .boolean()
      .describe(
        'The data catalog: OpenMetadata and the OpenSearch it cannot run without, on or off together. Off on k3d ' +
          '(render prints what turning it on adds), on elsewhere.',
      ),
    searchStorageSize: z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti)$/, 'a storage size such as "10Gi"'),
  }),
  access: accessModelSchema.describe('The data access model OPA enforces for Trino and the assistant.'),
});
export type GovernanceConfig = z.infer<typeof governanceSchema>;

type Issue = (path: (string | number)[], input: unknown, message: string) => void;

/** Contradictions inside the governance block; paths are relative to `governance`. */
export function refineGovernance(g: GovernanceConfig | undefined, issue: Issue): void {
  if (!g) return;
  const known = new Set(g.projects);
  const checkProjects = (list: string[] | undefined, path: (string | number)[]) =>
    list?.forEach((p, i) => {
      if (!known.has(p)) issue([...path, i], p, `not one of governance.projects (${g.projects.join(', ') || 'none declared'})`);
    });
  g.access?.grants?.forEach((grant, i) => {
    checkProjects(grant.projects, ['access', 'grants', i, 'projects']);
    if (!grant.roles?.length && !grant.projects?.length)
      issue(['access', 'grants', i], grant, 'names no roles and no projects: nobody would receive it');
  });
  g.access?.rowFilters?.forEach((filter, i) => {
    checkProjects(filter.projects, ['access', 'rowFilters', i, 'projects']);
    if (!filter.roles?.length && !filter.projects?.length)
      issue(['access', 'rowFilters', i], filter, 'names no roles and no projects: it would filter nobody');
  });
  // Trino takes one mask per column and fails the query when OPA returns two.
  const tagged = new Map<string, string>();
  g.access?.personalData?.forEach((entry, i) =>
    entry.columns?.forEach((column, j) => {
      const name = `${entry.catalog}.${entry.schema}.${entry.table}.${column}`;
      const first = tagged.get(name);
      if (first)
        issue(['access', 'personalData', i, 'columns', j], column, `"${name}" is already tagged at ${first}; a column has one mask`);
      else tagged.set(name, `governance.access.personalData.${i}.columns.${j}`);
    }),
  );
  if (g.sessions && g.sessions.ssoIdleSeconds > g.sessions.ssoMaxSeconds)
    issue(
      ['sessions', 'ssoIdleSeconds'],
      g.sessions.ssoIdleSeconds,
      `must not exceed sessions.ssoMaxSeconds (${g.sessions.ssoMaxSeconds})`,
    );
}

/** The governance layer's slice of the stack config. */
export const governanceSliceSchema = z.strictObject({
  governance: governanceSchema.describe(
    'Identity (Keycloak realm, roles, groups, sessions), directory, data catalog and the data access model.',
  ),
});

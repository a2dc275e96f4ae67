// The data access model (config `governance.access`) compiled to the one data document OPA
// serves: every role, project, catalog, schema, Trino operation and SQL mask template lives here,
// as data; the Rego in ./rego only matches Trino's requests against it. Operation names are those
// Trino's OPA plugin sends (plugin/trino-opa, OpaAccessControl.java and OpaHighLevelClient.java;
// https://trino.io/docs/current/security/opa-access-control.html).
import { MASKS, PlatformRole, Privilege } from '../schema';
import type { PlatformConfig } from '../../../environments/schema';
import { allRoleGroups, DEFAULT_ROLE, OPA_DECISIONS, projectGroup, roleGroup, TRINO_MANAGEMENT_USER } from '../contract';

/** Where the document is mounted in OPA's data tree: the Rego reads `data.access_model`. */
export const ACCESS_DATA_PATH = 'access_model';
/** The file (and ConfigMap key) holding the compiled document. */
export const ACCESS_DATA_FILE = 'access-model.json';

export type Mask = (typeof MASKS)[number];
export type OperationRule = { scope: 'catalog' } | { scope: 'schema'; privilege: Privilege };

export interface CompiledGrant {
  groups: string[];
  catalog: string;
  schemas: string[];
  privileges: Privilege[];
}
export interface CompiledColumn {
  catalog: string;
  schema: string;
  table: string;
  column: string;
  mask: Mask;
}
export interface CompiledRowFilter {
  groups: string[];
  catalog: string;
  schema: string;
  table: string;
  expression: string;
}

export interface AccessData {
  /** Allowed every operation, never filtered, never masked. */
  adminGroups: string[];
  /** Every role and project group: an identity in none of them is denied everything. */
  memberGroups: string[];
  /** The platform role groups. */
  roleGroups: string[];
  /** The group of the realm's default role, dropped from an identity that holds another role group. */
  defaultRoleGroup: string;
  /** Operations with no resource every member may run. */
  memberOperations: string[];
  /** Trino's fixed management users (`management.user`), by user name: they hold no group. */
  managementUsers: string[];
  /** What a management user may do: read system information (/metrics), nothing else. */
  managementOperations: string[];
  /** Operations on queries, allowed to members on their own queries (`resource.user.user` is the caller). */
  ownQueryOperations: string[];
  /** Every other operation a member may run, and what it is checked against; anything unlisted is admin only. */
  operations: Record<string, OperationRule>;
  /** Schemas readable in every catalog a member may use: Trino filters their rows with the Filter* operations. */
  metadataSchemas: string[];
  grants: CompiledGrant[];
  /** One entry per personal-data column. */
  personalData: CompiledColumn[];
  /** Groups that see personal data in clear; every other member sees masks. */
  unmaskedGroups: string[];
  /** Column types (Trino display names) the hash and redact masks apply to; others fall back to the null mask. */
  textColumnType: string;
  /** Mask SQL per kind, with `{column}` (quoted identifier) and `{type}` (the column's type) filled in by the Rego. */
  maskTemplates: Record<Mask, string>;
  rowFilters: CompiledRowFilter[];
  assistantGroups: string[];
  /** OPA's own REST API (package system.authz): the decisions callers may POST, the paths they may GET, as path segments. */
  api: { decisions: string[][]; reads: string[][] };
}

const pathSegments = (path: string): string[] => path.split('/').filter(Boolean);

/** Running a query at all; every resource it touches is checked on its own. */
const MEMBER_OPERATIONS = ['ExecuteQuery'];
/**
 * The management endpoints the coordinator serves its management user are MANAGEMENT_READ
 * resources (/metrics), checked with ReadSystemInformation (ResourceSecurityDynamicFeature,
 * ManagementAuthorizationFilter). WriteSystemInformation (graceful shutdown, PUT /v1/info/state)
 * is only used on workers, whose file access control allows it (trino/config.ts workerRules).
 */
const MANAGEMENT_OPERATIONS = ['ReadSystemInformation'];
const OWN_QUERY_OPERATIONS = ['ViewQueryOwnedBy', 'FilterViewQueryOwnedBy', 'KillQueryOwnedBy'];

/** Checked against the catalog alone: allowed where any of the identity's grants names the catalog. */
const CATALOG_OPERATIONS = ['AccessCatalog', 'FilterCatalogs', 'ShowSchemas', 'SetCatalogSessionProperty'];

/** Checked against the schema of the resource (a schema, a table's schema, a function's schema), per privilege. */
export const PRIVILEGE_OPERATIONS: Record<Privilege, string[]> = {
  read: [
    'FilterSchemas',
    'ShowTables',
    'ShowFunctions',
    'ShowCreateSchema',
    'FilterTables',
    'FilterColumns',
    'ShowColumns',
    'ShowCreateTable',
    'SelectFromColumns',
    // A view's owner must be able to read what the view selects or calls.
    'CreateViewWithSelectFromColumns',
    'CreateViewWithExecuteFunction',
    'FilterFunctions',
    'ExecuteFunction',
    'ShowCreateFunction',
  ],
  write: [
    'InsertIntoTable',
    'DeleteFromTable',
    'TruncateTable',
    'UpdateTableColumns',
    'RefreshMaterializedView',
    // Table procedures (optimize, expire_snapshots) and procedures (CALL <catalog>.system.*) change data.
    'ExecuteTableProcedure',
    'ExecuteProcedure',
  ],
  create: [
    'CreateSchema',
    'DropSchema',
    'RenameSchema',
    'CreateTable',
    'DropTable',
    'RenameTable',
    'SetTableProperties',
    'SetTableComment',
    'SetColumnComment',
    'AddColumn',
    'AlterColumn',
    'DropColumn',
    'RenameColumn',
    'CreateView',
    'RenameView',
    'DropView',
    'SetViewComment',
    'CreateMaterializedView',
    'RenameMaterializedView',
    'DropMaterializedView',
    'SetMaterializedViewProperties',
    'SetMaterializedViewComment',
    'CreateFunction',
    'DropFunction',
  ],
};

/**
 * Operations the plugin sends that no member grant covers: only admins pass them. Listed so a
 * test proves every operation the plugin knows is classified; they are deliberately not in data.
 */
export const ADMIN_ONLY_OPERATIONS = [
  'ImpersonateUser',
  'ReadSystemInformation',
  'WriteSystemInformation',
  'SetSystemSessionProperty',
  'CreateCatalog',
  'DropCatalog',
  'SetSchemaAuthorization',
  'SetTableAuthorization',
  'SetViewAuthorization',
];

/**
 * What every member may read in Trino's own `system` catalog: the JDBC metadata tables drivers
 * query (system.jdbc), catalog metadata (system.metadata, rows filtered by Trino) and built-in
 * functions. Not system.runtime: nodes, tasks and everyone's queries stay with admins.
 */
const SYSTEM_METADATA = { catalog: 'system', schemas: ['jdbc', 'metadata', 'builtin'] };
const METADATA_SCHEMAS = ['information_schema'];

/** Trino's display name of a variable-length string type: `varchar` or `varchar(n)`. */
const TEXT_COLUMN_TYPE = '^varchar(\\([0-9]+\\))?$';
/**
 * Each mask is cast to the column's own type, so it type-checks as the column it replaces (Trino
 * rejects a mask whose type differs) and a `varchar(n)` mask is cut to n characters.
 */
const MASK_TEMPLATES: Record<Mask, string> = {
  hash: 'CAST(to_hex(sha256(to_utf8({column}))) AS {type})',
  redact: "CAST('****' AS {type})",
  null: 'CAST(NULL AS {type})',
};

const unique = (values: string[]): string[] => [...new Set(values)];

function operationRules(): Record<string, OperationRule> {
  const rules: Record<string, OperationRule> = {};
  for (const op of CATALOG_OPERATIONS) rules[op] = { scope: 'catalog' };
  for (const [privilege, ops] of Object.entries(PRIVILEGE_OPERATIONS) as [Privilege, string[]][])
    for (const op of ops) rules[op] = { scope: 'schema', privilege };
  return rules;
}

/** The OPA data document for one environment's config. */
export function compileAccessModel(config: Pick<PlatformConfig, 'prefix' | 'governance'>): AccessData {
  const { prefix, governance } = config;
  const { access } = governance;
  const groupsOf = (roles: readonly PlatformRole[], projects: readonly string[]) =>
    unique([...roles.map((r) => roleGroup(prefix, r)), ...projects.map(projectGroup)]);
  const memberGroups = unique([...allRoleGroups(prefix), ...governance.projects.map(projectGroup)]);
  const adminGroup = roleGroup(prefix, 'admin');
  return {
    adminGroups: [adminGroup],
    memberGroups,
    roleGroups: allRoleGroups(prefix),
    defaultRoleGroup: roleGroup(prefix, DEFAULT_ROLE),
    memberOperations: MEMBER_OPERATIONS,
    managementUsers: [TRINO_MANAGEMENT_USER],
    managementOperations: MANAGEMENT_OPERATIONS,
    ownQueryOperations: OWN_QUERY_OPERATIONS,
    operations: operationRules(),
    metadataSchemas: METADATA_SCHEMAS,
    grants: [
      { groups: memberGroups, catalog: SYSTEM_METADATA.catalog, schemas: SYSTEM_METADATA.schemas, privileges: ['read'] },
      ...access.grants.map((g) => ({
        groups: groupsOf(g.roles, g.projects),
        catalog: g.catalog,
        schemas: unique(g.schemas),
        privileges: unique(g.privileges) as Privilege[],
      })),
    ],
    personalData: access.personalData.flatMap((entry) =>
      unique(entry.columns).map((column) => ({
        catalog: entry.catalog,
        schema: entry.schema,
        table: entry.table,
        column,
        mask: entry.mask,
      })),
    ),
    // Clear text is the exception: admins and roles not listed as masked. Project members without
    // such a role, and anyone holding only masked roles, see masks.
    unmaskedGroups: unique([
      adminGroup,
      ...allRoleGroups(prefix).filter((g) => g !== adminGroup && !access.maskedRoles.some((r) => roleGroup(prefix, r) === g)),
    ]),
    textColumnType: TEXT_COLUMN_TYPE,
    maskTemplates: MASK_TEMPLATES,
    rowFilters: access.rowFilters.map((f) => ({
      groups: groupsOf(f.roles, f.projects),
      catalog: f.catalog,
      schema: f.schema,
      table: f.table,
      expression: f.expression,
    })),
    assistantGroups: unique(access.assistant.roles.map((r) => roleGroup(prefix, r))),
    api: { decisions: Object.values(OPA_DECISIONS).map(pathSegments), reads: [['health'], ['metrics']] },
  };
}

/** The document as OPA loads it (stable key order, so its checksum changes only with the model). */
export const renderAccessData = (data: AccessData): string => `${JSON.stringify(data, null, 2)}\n`;

// A reference evaluator of components/governance/opa/rego/*.rego, in TypeScript. No OPA binary is
// available here; the policy's decisions are tested through this mirror and, for the decision
// corpus (decision-corpus.ts), through a real Rego engine too (rego-engine.ts): each function below
// carries the name of the Rego rule it mirrors, in the same order, one Rego line to one TS line
// where the languages allow, over the same data document (compileAccessModel) and the same Trino
// request JSON. Rego semantics kept: an undefined value is `undefined` (never false), a function
// with several bodies yielding different values is a conflict error, sets come back sorted and
// without duplicates, `with input.action.resource as r` re-evaluates with that resource.
// What this proves and does not: README.md, "Access model and OPA".
import type { AccessData, CompiledColumn } from '../../../../components/governance/opa/access-model';

export interface Identity {
  user: string;
  groups: string[];
}
export type Resource = Record<string, any>;
export interface TrinoAction {
  operation: string;
  resource?: Resource;
  targetResource?: Resource;
  filterResources?: Resource[];
  grantee?: Record<string, unknown>;
}
export interface TrinoInput {
  context: { identity: Identity; softwareStack?: { trinoVersion: string }; queryId?: string };
  action: TrinoAction;
}
export interface ViewExpression {
  expression: string;
}
export interface ColumnMask {
  index: number;
  viewExpression: ViewExpression;
}

/** The rules mirrored, per package; a structural test checks that each is defined in the .rego file. */
export const MIRRORED_RULES = {
  trino: [
    'model',
    'token_groups',
    'other_role_held',
    'identity_groups',
    'in_any',
    'is_admin',
    'is_member',
    'is_management',
    'sees_personal_data',
    'identity_grants',
    'name_matches',
    'resource_catalog',
    'resource_schema',
    'catalog_granted',
    'resource_allowed',
    'action_resources',
    'allow',
    'batch',
    'rowFilters',
    'quoted',
    'fill',
    'mask_expression',
    'batchColumnMasks',
  ],
  assistant: ['allow'],
  'system.authz': ['allow'],
} as const;

class ConflictError extends Error {}

/** Mirrors a Rego function with several bodies: the defined values must agree. */
function single<T>(name: string, values: (T | undefined)[]): T | undefined {
  const defined = values.filter((v) => v !== undefined);
  if (new Set(defined.map((v) => JSON.stringify(v))).size > 1)
    throw new ConflictError(`eval_conflict_error: functions must not produce multiple outputs for same inputs (${name})`);
  return defined[0];
}

const sortedUnique = <T>(items: T[], key: (t: T) => string): T[] =>
  [...new Map(items.map((t) => [key(t), t])).values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** package trino: one evaluation of the decisions for one input (the Rego module over `data.access_model`). */
export function trinoPolicy(data: AccessData, input: TrinoInput) {
  // model := data.access_model
  const model = data;

  // token_groups := {g | some g in input.context.identity.groups}
  const token_groups = new Set(input.context?.identity?.groups ?? []);

  // other_role_held if { some g in model.roleGroups; g != model.defaultRoleGroup; g in token_groups }
  const other_role_held = model.roleGroups.some((g) => g !== model.defaultRoleGroup && token_groups.has(g));

  // identity_groups := token_groups - {model.defaultRoleGroup} if other_role_held
  // identity_groups := token_groups if not other_role_held
  const identity_groups = other_role_held ? new Set([...token_groups].filter((g) => g !== model.defaultRoleGroup)) : token_groups;

  // in_any(groups) if { some g in groups; g in identity_groups }
  const in_any = (groups: string[]): boolean => groups.some((g) => identity_groups.has(g));

  // is_admin if in_any(model.adminGroups)
  const is_admin = in_any(model.adminGroups);

  // is_member if in_any(model.memberGroups)
  const is_member = in_any(model.memberGroups);

  // is_management if input.context.identity.user in model.managementUsers
  const is_management = model.managementUsers.includes(input.context?.identity?.user);

  // sees_personal_data if in_any(model.unmaskedGroups)
  const sees_personal_data = in_any(model.unmaskedGroups);

  // identity_grants contains grant if { some grant in model.grants; in_any(grant.groups) }
  const identity_grants = model.grants.filter((grant) => in_any(grant.groups));

  // name_matches(pattern, _) if pattern == "*"
  // name_matches(pattern, name) if pattern == name
  const name_matches = (pattern: string, name: string | undefined): boolean => name !== undefined && (pattern === '*' || pattern === name);

  // resource_catalog(resource) := resource.catalog.name | .catalogSessionProperty.catalogName | .schema.catalogName | .table.catalogName | .function.catalogName
  const resource_catalog = (resource: Resource): string | undefined =>
    single('resource_catalog', [
      resource?.catalog?.name,
      resource?.catalogSessionProperty?.catalogName,
      resource?.schema?.catalogName,
      resource?.table?.catalogName,
      resource?.function?.catalogName,
    ]);

  // resource_schema(resource) := resource.schema.schemaName | .table.schemaName | .function.schemaName
  const resource_schema = (resource: Resource): string | undefined =>
    single('resource_schema', [resource?.schema?.schemaName, resource?.table?.schemaName, resource?.function?.schemaName]);

  // catalog_granted(catalog) if { some grant in identity_grants; name_matches(grant.catalog, catalog) }
  const catalog_granted = (catalog: string | undefined): boolean => identity_grants.some((grant) => name_matches(grant.catalog, catalog));

  const resource_allowed = (operation: string, resource: Resource): boolean => {
    const rule = model.operations[operation];
    // resource_allowed(operation, resource) if {
    //   model.operations[operation].scope == "catalog"
    //   catalog_granted(resource_catalog(resource)) }
    if (rule?.scope === 'catalog' && catalog_granted(resource_catalog(resource))) return true;
    // resource_allowed(operation, resource) if {
    //   rule := model.operations[operation]; rule.scope == "schema"
    //   some grant in identity_grants; rule.privilege in grant.privileges
    //   name_matches(grant.catalog, resource_catalog(resource))
    //   some schema in grant.schemas; name_matches(schema, resource_schema(resource)) }
    if (
      rule?.scope === 'schema' &&
      identity_grants.some(
        (grant) =>
          grant.privileges.includes(rule.privilege) &&
          name_matches(grant.catalog, resource_catalog(resource)) &&
          grant.schemas.some((schema) => name_matches(schema, resource_schema(resource))),
      )
    )
      return true;
    // resource_allowed(operation, resource) if {
    //   model.operations[operation].privilege == "read"
    //   resource_schema(resource) in model.metadataSchemas
    //   catalog_granted(resource_catalog(resource)) }
    const schema = resource_schema(resource);
    return (
      rule?.scope === 'schema' &&
      rule.privilege === 'read' &&
      schema !== undefined &&
      model.metadataSchemas.includes(schema) &&
      catalog_granted(resource_catalog(resource))
    );
  };

  // action_resources(action) := [action.resource, object.get(action, "targetResource", action.resource)]
  const action_resources = (action: TrinoAction): Resource[] | undefined =>
    action.resource === undefined ? undefined : [action.resource, action.targetResource ?? action.resource];

  // default allow := false
  const allow = (action: TrinoAction): boolean => {
    // allow if is_admin
    if (is_admin) return true;
    // allow if { is_management; input.action.operation in model.managementOperations }
    if (is_management && model.managementOperations.includes(action.operation)) return true;
    // allow if { is_member; input.action.operation in model.memberOperations }
    if (is_member && model.memberOperations.includes(action.operation)) return true;
    // allow if { is_member; input.action.operation in model.ownQueryOperations
    //   input.action.resource.user.user == input.context.identity.user }
    if (
      is_member &&
      model.ownQueryOperations.includes(action.operation) &&
      action.resource?.user?.user !== undefined &&
      action.resource.user.user === input.context.identity.user
    )
      return true;
    // allow if { is_member; every resource in action_resources(input.action) { resource_allowed(input.action.operation, resource) } }
    const resources = action_resources(action);
    if (is_member && resources !== undefined && resources.every((resource) => resource_allowed(action.operation, resource))) return true;
    return false;
  };

  const batch = (action: TrinoAction): number[] => {
    const out: number[] = [];
    // batch contains i if { input.action.operation != "FilterColumns"
    //   some i, resource in input.action.filterResources
    //   allow with input.action.resource as resource }
    if (action.operation !== 'FilterColumns')
      (action.filterResources ?? []).forEach((resource, i) => {
        if (allow({ ...action, resource })) out.push(i);
      });
    // batch contains i if { input.action.operation == "FilterColumns"
    //   resource := input.action.filterResources[0]
    //   some i, _ in resource.table.columns
    //   allow with input.action.resource as resource }
    const first = action.filterResources?.[0];
    if (action.operation === 'FilterColumns' && first !== undefined)
      ((first.table?.columns ?? []) as string[]).forEach((_, i) => {
        if (allow({ ...action, resource: first })) out.push(i);
      });
    return sortedUnique(out, (i) => String(i).padStart(8, '0'));
  };

  // rowFilters contains {"expression": filter.expression} if {
  //   input.action.operation == "GetRowFilters"; not is_admin
  //   table := input.action.resource.table
  //   some filter in model.rowFilters; in_any(filter.groups)
  //   filter.catalog == table.catalogName; filter.schema == table.schemaName; filter.table == table.tableName }
  const rowFilters = (action: TrinoAction): ViewExpression[] => {
    const table = action.resource?.table;
    if (action.operation !== 'GetRowFilters' || is_admin || table === undefined) return [];
    const found = model.rowFilters
      .filter((filter) => in_any(filter.groups))
      .filter((filter) => filter.catalog === table.catalogName && filter.schema === table.schemaName && filter.table === table.tableName)
      .map((filter) => ({ expression: filter.expression }));
    return sortedUnique(found, (f) => JSON.stringify(f));
  };

  // quoted(name) := concat("", ["\"", replace(name, "\"", "\"\""), "\""])
  const quoted = (name: string): string => ['"', name.replaceAll('"', '""'), '"'].join('');

  // fill(template, column) := replace(replace(template, "{type}", column.columnType), "{column}", quoted(column.columnName))
  const fill = (template: string, column: Resource): string =>
    template.replaceAll('{type}', column.columnType).replaceAll('{column}', quoted(column.columnName));

  // mask_expression(kind, column) := fill(model.maskTemplates[kind], column) if {
  //   regex.match(model.textColumnType, column.columnType) } else := fill(model.maskTemplates["null"], column)
  // (A column without a string type or name leaves every branch undefined, as in Rego.)
  const mask_expression = (kind: CompiledColumn['mask'], column: Resource): string | undefined => {
    if (typeof column.columnType !== 'string' || typeof column.columnName !== 'string') return undefined;
    return new RegExp(model.textColumnType).test(column.columnType)
      ? fill(model.maskTemplates[kind], column)
      : fill(model.maskTemplates['null'], column);
  };

  // batchColumnMasks contains {"index": i, "viewExpression": {"expression": expression}} if {
  //   input.action.operation == "GetColumnMask"; not sees_personal_data
  //   some i, resource in input.action.filterResources; column := resource.column
  //   some entry in model.personalData
  //   entry.catalog == column.catalogName; entry.schema == column.schemaName
  //   entry.table == column.tableName; entry.column == column.columnName
  //   expression := mask_expression(entry.mask, column) }
  const batchColumnMasks = (action: TrinoAction): ColumnMask[] => {
    if (action.operation !== 'GetColumnMask' || sees_personal_data) return [];
    const out: ColumnMask[] = [];
    (action.filterResources ?? []).forEach((resource, i) => {
      const column = resource.column;
      if (column === undefined) return;
      for (const entry of model.personalData)
        if (
          entry.catalog === column.catalogName &&
          entry.schema === column.schemaName &&
          entry.table === column.tableName &&
          entry.column === column.columnName
        ) {
          const expression = mask_expression(entry.mask, column);
          if (expression !== undefined) out.push({ index: i, viewExpression: { expression } });
        }
    });
    return sortedUnique(out, (m) => `${String(m.index).padStart(8, '0')} ${m.viewExpression.expression}`);
  };

  return {
    identity_groups,
    allow: allow(input.action),
    batch: batch(input.action),
    rowFilters: rowFilters(input.action),
    batchColumnMasks: batchColumnMasks(input.action),
  };
}

/** package assistant. */
export function assistantPolicy(data: AccessData, input: { context: { identity: Identity } }): boolean {
  // default allow := false
  // allow if { some g in data.access_model.assistantGroups; g in data.trino.identity_groups }
  const groups = identityGroups(data, input.context?.identity?.groups ?? []);
  return data.assistantGroups.some((g) => groups.has(g));
}

/** The decision each OPA path returns, by the last segment of OPA_DECISIONS' path (`/v1/data/<package>/<rule>`). */
export function decide(data: AccessData, path: string, input: TrinoInput): unknown {
  const [, , , pkg, rule] = path.split('/');
  if (pkg === 'assistant' && rule === 'allow') return assistantPolicy(data, input);
  if (pkg !== 'trino') throw new Error(`no package ${pkg} in the policies`);
  const decisions = trinoPolicy(data, input) as Record<string, unknown>;
  if (!(rule in decisions)) throw new Error(`no rule ${rule} in package trino`);
  return decisions[rule];
}

/** data.trino.identity_groups for an identity, as the assistant package reads it. */
function identityGroups(data: AccessData, groups: string[]): Set<string> {
  return trinoPolicy(data, { context: { identity: { user: '', groups } }, action: { operation: 'ExecuteQuery' } }).identity_groups;
}

/** package system.authz: OPA's own API authorization, for `{method, path}` (path as segments). */
export function authzPolicy(data: AccessData, input: { method: string; path: string[] }): boolean {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((segment, i) => segment === b[i]);
  // default allow := false
  // allow if { input.method == "POST"; input.path in data.access_model.api.decisions }
  if (input.method === 'POST' && data.api.decisions.some((p) => same(p, input.path))) return true;
  // allow if { input.method == "GET"; input.path in data.access_model.api.reads }
  return input.method === 'GET' && data.api.reads.some((p) => same(p, input.path));
}

# Trino's OPA access control (https://trino.io/docs/current/security/opa-access-control.html):
#   allow             opa.policy.uri                       one operation: true or false
#   batch             opa.policy.batched-uri               indexes of action.filterResources allowed
#   rowFilters        opa.policy.row-filters-uri           [{"expression": ...}], all applied (AND)
#   batchColumnMasks  opa.policy.batch-column-masking-uri  [{"index": i, "viewExpression": {"expression": ...}}]
# Every group, catalog, schema, operation and SQL template is data (data.access_model, compiled by
# components/governance/opa/access-model.ts); these rules only match the request against it.
# test/components/governance/opa/access-evaluator.ts mirrors each rule below, in the same order and names.
package trino

import rego.v1

model := data.access_model

token_groups := {g | some g in input.context.identity.groups}

# Every user holds the realm's default role; it is a floor for users with no other platform role,
# so it never widens what an assigned role allows (a viewer stays a viewer, a user stays masked).
other_role_held if {
	some g in model.roleGroups
	g != model.defaultRoleGroup
	g in token_groups
}

identity_groups := token_groups - {model.defaultRoleGroup} if other_role_held

identity_groups := token_groups if not other_role_held

in_any(groups) if {
	some g in groups
	g in identity_groups
}

is_admin if in_any(model.adminGroups)

is_member if in_any(model.memberGroups)

# Trino's fixed management user (management.user): Prometheus scrapes /metrics as it over
# in-cluster HTTP, with no token and no group. Known by name, it may read system information only.
is_management if input.context.identity.user in model.managementUsers

sees_personal_data if in_any(model.unmaskedGroups)

identity_grants contains grant if {
	some grant in model.grants
	in_any(grant.groups)
}

name_matches(pattern, _) if pattern == "*"

name_matches(pattern, name) if pattern == name

# Where a resource lives, whatever its kind: Trino sends exactly one of these per resource
# (ExecuteTableProcedure adds a function with only its name, which names no catalog).
resource_catalog(resource) := resource.catalog.name

resource_catalog(resource) := resource.catalogSessionProperty.catalogName

resource_catalog(resource) := resource.schema.catalogName

resource_catalog(resource) := resource.table.catalogName

resource_catalog(resource) := resource.function.catalogName

resource_schema(resource) := resource.schema.schemaName

resource_schema(resource) := resource.table.schemaName

resource_schema(resource) := resource.function.schemaName

catalog_granted(catalog) if {
	some grant in identity_grants
	name_matches(grant.catalog, catalog)
}

resource_allowed(operation, resource) if {
	model.operations[operation].scope == "catalog"
	catalog_granted(resource_catalog(resource))
}

resource_allowed(operation, resource) if {
	rule := model.operations[operation]
	rule.scope == "schema"
	some grant in identity_grants
	rule.privilege in grant.privileges
	name_matches(grant.catalog, resource_catalog(resource))
	some schema in grant.schemas
	name_matches(schema, resource_schema(resource))
}

resource_allowed(operation, resource) if {
	model.operations[operation].privilege == "read"
	resource_schema(resource) in model.metadataSchemas
	catalog_granted(resource_catalog(resource))
}

# Renames carry the new name as targetResource: both ends must be allowed.
action_resources(action) := [action.resource, object.get(action, "targetResource", action.resource)]

default allow := false

allow if is_admin

allow if {
	is_management
	input.action.operation in model.managementOperations
}

allow if {
	is_member
	input.action.operation in model.memberOperations
}

allow if {
	is_member
	input.action.operation in model.ownQueryOperations
	input.action.resource.user.user == input.context.identity.user
}

allow if {
	is_member
	every resource in action_resources(input.action) {
		resource_allowed(input.action.operation, resource)
	}
}

batch contains i if {
	input.action.operation != "FilterColumns"
	some i, resource in input.action.filterResources
	allow with input.action.resource as resource
}

# FilterColumns sends one table with its columns; the indexes are those of the columns.
batch contains i if {
	input.action.operation == "FilterColumns"
	resource := input.action.filterResources[0]
	some i, _ in resource.table.columns
	allow with input.action.resource as resource
}

rowFilters contains {"expression": filter.expression} if {
	input.action.operation == "GetRowFilters"
	not is_admin
	table := input.action.resource.table
	some filter in model.rowFilters
	in_any(filter.groups)
	filter.catalog == table.catalogName
	filter.schema == table.schemaName
	filter.table == table.tableName
}

quoted(name) := concat("", ["\"", replace(name, "\"", "\"\""), "\""])

fill(template, column) := replace(replace(template, "{type}", column.columnType), "{column}", quoted(column.columnName))

mask_expression(kind, column) := fill(model.maskTemplates[kind], column) if {
	regex.match(model.textColumnType, column.columnType)
} else := fill(model.maskTemplates["null"], column)

batchColumnMasks contains {"index": i, "viewExpression": {"expression": expression}} if {
	input.action.operation == "GetColumnMask"
	not sees_personal_data
	some i, resource in input.action.filterResources
	column := resource.column
	some entry in model.personalData
	entry.catalog == column.catalogName
	entry.schema == column.schemaName
	entry.table == column.tableName
	entry.column == column.columnName
	expression := mask_expression(entry.mask, column)
}

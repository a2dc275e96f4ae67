# Unit tests of trino.rego, one per decision path, in OPA's convention (rules named test_*):
#   opa test components/governance/opa/rego test/fixtures/opa-decisions/access-model.json -v
# The data document is the access model compiled from the test config (k3d, prefix "platform",
# projects scoring and risk; grants, personal data and row filters of TEST_ACCESS in
# test/components/governance/opa/trino-requests.ts): a jest test keeps it equal to the compiler's
# output. Identities are spelled as Trino sends them. A test that expects nothing (no filter, no
# mask, no batch item) also shows another identity getting something on the same request, so it
# cannot pass on a request that matches nothing.
package trino_test

import rego.v1

import data.trino

admin := {"user": "alice", "groups": ["platform-admin", "team-marketing"]}

engineer := {"user": "bob", "groups": ["platform-engineer"]}

analyst := {"user": "carol", "groups": ["platform-analyst", "team-finance"]}

masked_user := {"user": "eve", "groups": ["platform-user"]}

viewer := {"user": "dave", "groups": ["platform-viewer"]}

scoring_member := {"user": "frank", "groups": ["project-scoring"]}

risk_member := {"user": "henry", "groups": ["project-risk"]}

risk_viewer := {"user": "grace", "groups": ["platform-viewer", "project-risk"]}

# Signed in, but in no role or project group: a team only, nothing, or another prefix's groups.
strangers := [
	{"user": "mallory", "groups": ["team-marketing"]},
	{"user": "nobody", "groups": []},
	{"user": "oscar", "groups": ["acme-admin", "acme-engineer"]},
]

management := {"user": "trino-management", "groups": []}

# Keycloak's default-roles composite puts the default role (analyst) and two built-in roles in every token.
token(user, groups) := {"user": user, "groups": array.concat(groups, ["platform-analyst", "default-roles-platform", "offline_access", "uma_authorization"])}

request(identity, action) := {"context": {"identity": identity, "softwareStack": {"trinoVersion": "480"}}, "action": action}

table(catalog, schema, name) := {"table": {"catalogName": catalog, "schemaName": schema, "tableName": name}}

on(operation, resource) := {"operation": operation, "resource": resource}

customers := table("iceberg", "curated", "customers")

allowed(identity, action) if {
	asked := request(identity, action)
	trino.allow with input as asked
}

batch(identity, action) := items if {
	asked := request(identity, action)
	items := trino.batch with input as asked
}

row_filters(identity, resource) := filters if {
	asked := request(identity, on("GetRowFilters", resource))
	filters := trino.rowFilters with input as asked
}

column(name, type) := {"column": {"catalogName": "iceberg", "schemaName": "curated", "tableName": "customers", "columnName": name, "columnType": type}}

# The columns of the customers table as Trino asks for their masks: id and region are not personal data.
customer_columns := [
	column("id", "bigint"),
	column("email", "varchar"),
	column("phone", "varchar(20)"),
	column("ssn", "varchar(11)"),
	column("birth_date", "date"),
	column("region", "varchar(2)"),
]

masks(identity, columns) := found if {
	asked := request(identity, {"operation": "GetColumnMask", "filterResources": columns})
	found := trino.batchColumnMasks with input as asked
}

catalogs := {"operation": "FilterCatalogs", "filterResources": [{"catalog": {"name": "iceberg"}}, {"catalog": {"name": "postgresql"}}, {"catalog": {"name": "system"}}]}

schemas := {"operation": "FilterSchemas", "filterResources": [
	{"schema": {"catalogName": "iceberg", "schemaName": "raw"}},
	{"schema": {"catalogName": "iceberg", "schemaName": "staging"}},
	{"schema": {"catalogName": "iceberg", "schemaName": "curated"}},
	{"schema": {"catalogName": "iceberg", "schemaName": "information_schema"}},
]}

tables := {"operation": "FilterTables", "filterResources": [
	table("iceberg", "raw", "events"),
	table("iceberg", "staging", "orders"),
	table("iceberg", "curated", "customers"),
]}

columns_of(catalog, schema, name, columns) := {"operation": "FilterColumns", "filterResources": [{"table": {
	"catalogName": catalog,
	"schemaName": schema,
	"tableName": name,
	"columns": columns,
}}]}

# --- admin: every operation, never filtered, never masked ---

test_admin_is_allowed_operations_no_other_role_may_run if {
	every operation in ["ImpersonateUser", "ReadSystemInformation", "WriteSystemInformation", "CreateCatalog", "SetTableAuthorization"] {
		allowed(admin, on(operation, {}))
		not allowed(engineer, on(operation, {}))
	}
	allowed(admin, on("CreateTable", table("postgresql", "public", "orders")))
}

test_admin_gets_no_row_filter_on_a_table_other_roles_are_filtered_on if {
	row_filters(admin, customers) == set()
	count(row_filters(viewer, customers)) > 0
}

test_admin_gets_no_row_filter_even_in_the_role_and_project_groups_that_have_one if {
	admin_in_filtered_groups := {"user": "alice", "groups": ["platform-admin", "platform-viewer", "project-risk"]}
	row_filters(admin_in_filtered_groups, customers) == set()
	row_filters(risk_viewer, customers) == {{"expression": "region = 'EU'"}, {"expression": "status = 'active'"}}
}

test_admin_gets_no_column_mask if {
	masks(admin, customer_columns) == set()
	count(masks(masked_user, customer_columns)) == 4
}

test_admin_gets_no_column_mask_even_in_a_masked_role if {
	masks({"user": "alice", "groups": ["platform-admin", "platform-viewer", "platform-user"]}, customer_columns) == set()
	count(masks({"user": "dave", "groups": ["platform-viewer", "platform-user"]}, customer_columns)) == 4
}

test_admin_sees_every_batch_item if {
	batch(admin, catalogs) == {0, 1, 2}
	batch(admin, schemas) == {0, 1, 2, 3}
	batch(admin, columns_of("iceberg", "raw", "events", ["id", "payload"])) == {0, 1}
}

# --- identities in no role or project group ---

test_strangers_may_not_even_run_a_query if {
	every who in strangers {
		not allowed(who, {"operation": "ExecuteQuery"})
		not allowed(who, on("SelectFromColumns", customers))
		not allowed(who, on("AccessCatalog", {"catalog": {"name": "system"}}))
		not allowed(who, on("ViewQueryOwnedBy", {"user": {"user": who.user, "groups": who.groups}}))
	}
	allowed(viewer, {"operation": "ExecuteQuery"})
}

test_strangers_see_no_batch_item if {
	every who in strangers {
		batch(who, catalogs) == set()
		batch(who, schemas) == set()
		batch(who, columns_of("iceberg", "curated", "customers", ["id", "email"])) == set()
	}
	batch(viewer, catalogs) == {0, 2}
	batch(viewer, schemas) == {2, 3}
	batch(viewer, columns_of("iceberg", "curated", "customers", ["id", "email"])) == {0, 1}
}

test_strangers_would_see_masks_not_personal_data if {
	every who in strangers {
		count(masks(who, customer_columns)) == 4
	}
}

# --- the default role: a floor for users with no other platform role, never a widening ---

test_default_role_does_not_widen_a_viewer if {
	dave := token("dave", ["platform-viewer"])
	not allowed(dave, on("SelectFromColumns", table("iceberg", "raw", "events")))
	allowed(dave, on("SelectFromColumns", customers))
	batch(dave, schemas) == {2, 3}
	row_filters(dave, customers) == {{"expression": "region = 'EU'"}}
	count(masks(dave, customer_columns)) == 4
}

test_default_role_does_not_unmask_a_user if {
	count(masks(token("eve", ["platform-user"]), customer_columns)) == 4
}

test_default_role_alone_gives_analyst_access if {
	nina := token("nina", [])
	allowed(nina, on("SelectFromColumns", table("iceberg", "raw", "events")))
	not allowed(nina, on("CreateTable", table("iceberg", "staging", "orders_daily")))
	masks(nina, customer_columns) == set()
	count(masks(token("eve", ["platform-user"]), customer_columns)) == 4
}

# --- column masks: per kind, cast to the column's own type ---

test_masked_roles_get_each_personal_column_masked_by_its_kind_and_typed_as_the_column if {
	expected := {
		{"index": 1, "viewExpression": {"expression": "CAST(to_hex(sha256(to_utf8(\"email\"))) AS varchar)"}},
		{"index": 2, "viewExpression": {"expression": "CAST('****' AS varchar(20))"}},
		{"index": 3, "viewExpression": {"expression": "CAST(NULL AS varchar(11))"}},
		# hash applies to text only: a date column gets a NULL of its own type.
		{"index": 4, "viewExpression": {"expression": "CAST(NULL AS date)"}},
	}
	masks(masked_user, customer_columns) == expected
	masks(viewer, customer_columns) == expected
	masks(scoring_member, customer_columns) == expected
}

test_unmasked_roles_see_personal_data_in_clear if {
	every who in [engineer, analyst, {"user": "frank", "groups": ["project-scoring", "platform-analyst"]}] {
		masks(who, customer_columns) == set()
	}
	count(masks(masked_user, customer_columns)) == 4
}

test_a_column_of_the_same_name_in_another_table_is_not_masked if {
	other := [{"column": {"catalogName": "iceberg", "schemaName": "curated", "tableName": "orders", "columnName": "email", "columnType": "varchar"}}]
	masks(masked_user, other) == set()
	count(masks(masked_user, [column("email", "varchar")])) == 1
}

test_a_mask_quotes_the_column_name_as_an_identifier if {
	odd := [{"catalog": "iceberg", "schema": "curated", "table": "customers", "column": "e\"mail", "mask": "hash"}]
	expected := {{"index": 0, "viewExpression": {"expression": "CAST(to_hex(sha256(to_utf8(\"e\"\"mail\"))) AS varchar(64))"}}}
	masks(masked_user, [column("e\"mail", "varchar(64)")]) == expected with data.access_model.personalData as odd
}

# --- row filters: per role and per project, all that apply ---

test_a_role_gets_its_row_filter_on_the_filtered_table_only if {
	row_filters(viewer, customers) == {{"expression": "region = 'EU'"}}
	row_filters(viewer, table("iceberg", "curated", "orders")) == set()
	row_filters(viewer, table("iceberg", "raw", "customers")) == set()
}

test_a_project_gets_its_row_filter if {
	row_filters(risk_member, customers) == {{"expression": "status = 'active'"}}
}

test_a_role_and_a_project_both_filtering_give_both_filters if {
	row_filters(risk_viewer, customers) == {{"expression": "region = 'EU'"}, {"expression": "status = 'active'"}}
}

test_roles_without_a_row_filter_get_none if {
	every who in [engineer, analyst, masked_user, scoring_member] {
		row_filters(who, customers) == set()
	}
	count(row_filters(viewer, customers)) == 1
}

# --- batch filtering: the indexes of filterResources allowed ---

test_batch_gives_the_indexes_of_the_catalogs_a_viewer_may_use if {
	batch(viewer, catalogs) == {0, 2}
}

test_batch_gives_the_indexes_of_the_schemas_and_tables_a_viewer_may_read if {
	batch(viewer, schemas) == {2, 3}
	batch(viewer, tables) == {2}
	batch(analyst, tables) == {0, 1, 2}
}

test_batch_gives_a_project_member_its_project_schema_only if {
	batch(scoring_member, schemas) == {3}
	plus_scoring := {"operation": "FilterSchemas", "filterResources": array.concat(schemas.filterResources, [{"schema": {"catalogName": "iceberg", "schemaName": "scoring"}}])}
	batch(scoring_member, plus_scoring) == {3, 4}
}

test_filter_columns_gives_the_indexes_of_the_columns_of_a_readable_table if {
	batch(viewer, columns_of("iceberg", "curated", "customers", ["id", "email", "region"])) == {0, 1, 2}
	batch(viewer, columns_of("iceberg", "raw", "events", ["id", "payload"])) == set()
}

# --- allow: grants, privileges, metadata, own queries, the management user ---

test_an_engineer_may_write_in_iceberg_and_only_read_elsewhere if {
	every operation in ["CreateTable", "InsertIntoTable", "DropTable", "ExecuteTableProcedure"] {
		allowed(engineer, on(operation, table("iceberg", "staging", "orders")))
		not allowed(engineer, on(operation, table("postgresql", "public", "orders")))
	}
	allowed(engineer, on("SelectFromColumns", table("postgresql", "public", "orders")))
}

test_a_table_procedure_is_checked_on_its_table if {
	procedure := {"table": {"catalogName": "iceberg", "schemaName": "staging", "tableName": "orders"}, "function": {"functionName": "optimize"}}
	allowed(engineer, on("ExecuteTableProcedure", procedure))
	not allowed(analyst, on("ExecuteTableProcedure", procedure))
}

test_a_rename_needs_both_names_allowed if {
	rename := {"operation": "RenameTable", "resource": table("iceberg", "staging", "orders"), "targetResource": table("iceberg", "curated", "orders")}
	allowed(engineer, rename)
	out_of_iceberg := {"operation": "RenameTable", "resource": table("iceberg", "staging", "orders"), "targetResource": table("postgresql", "public", "orders")}
	not allowed(engineer, out_of_iceberg)
}

test_an_analyst_reads_everywhere_and_writes_nowhere if {
	every resource in [table("iceberg", "raw", "events"), customers, table("postgresql", "public", "orders")] {
		allowed(analyst, on("SelectFromColumns", resource))
		not allowed(analyst, on("InsertIntoTable", resource))
		not allowed(analyst, on("CreateTable", resource))
	}
}

test_a_viewer_reads_the_curated_schema_only if {
	allowed(viewer, on("SelectFromColumns", customers))
	allowed(viewer, on("ExecuteFunction", {"function": {"catalogName": "iceberg", "schemaName": "curated", "functionName": "normalize_region"}}))
	not allowed(viewer, on("SelectFromColumns", table("iceberg", "raw", "events")))
	not allowed(viewer, on("SelectFromColumns", table("iceberg", "staging", "orders")))
	not allowed(viewer, on("InsertIntoTable", customers))
}

test_catalog_operations_need_a_grant_naming_the_catalog if {
	allowed(viewer, on("ShowSchemas", {"catalog": {"name": "iceberg"}}))
	allowed(viewer, on("SetCatalogSessionProperty", {"catalogSessionProperty": {"catalogName": "iceberg", "propertyName": "compression_codec"}}))
	not allowed(viewer, on("ShowSchemas", {"catalog": {"name": "postgresql"}}))
	not allowed(viewer, on("SetCatalogSessionProperty", {"catalogSessionProperty": {"catalogName": "postgresql", "propertyName": "x"}}))
}

test_metadata_is_readable_in_usable_catalogs_only if {
	allowed(viewer, on("SelectFromColumns", table("iceberg", "information_schema", "tables")))
	not allowed(viewer, on("SelectFromColumns", table("postgresql", "information_schema", "tables")))
	allowed(viewer, on("SelectFromColumns", table("system", "jdbc", "tables")))
	not allowed(viewer, on("SelectFromColumns", table("system", "runtime", "nodes")))
}

test_members_see_and_kill_their_own_queries_only if {
	every who in [viewer, scoring_member] {
		allowed(who, on("ViewQueryOwnedBy", {"user": {"user": who.user, "groups": who.groups}}))
		allowed(who, on("KillQueryOwnedBy", {"user": {"user": who.user, "groups": who.groups}}))
		not allowed(who, on("ViewQueryOwnedBy", {"user": {"user": "someone-else", "groups": []}}))
	}
}

test_an_operation_the_model_does_not_list_is_admin_only if {
	not allowed(analyst, on("CreateBranch", table("iceberg", "raw", "events")))
	allowed(admin, on("CreateBranch", table("iceberg", "raw", "events")))
}

test_the_management_user_may_read_system_information_and_nothing_else if {
	allowed(management, {"operation": "ReadSystemInformation"})
	not allowed(management, {"operation": "WriteSystemInformation"})
	not allowed(management, {"operation": "ExecuteQuery"})
	not allowed(management, on("SelectFromColumns", table("system", "jdbc", "tables")))
	batch(management, catalogs) == set()
	batch(viewer, catalogs) == {0, 2}
	not allowed({"user": "prometheus", "groups": []}, {"operation": "ReadSystemInformation"})
}

test_the_management_user_is_known_by_the_name_in_the_model if {
	allowed({"user": "ops-metrics", "groups": []}, {"operation": "ReadSystemInformation"}) with data.access_model.managementUsers as ["ops-metrics"]
	not allowed(management, {"operation": "ReadSystemInformation"}) with data.access_model.managementUsers as ["ops-metrics"]
}

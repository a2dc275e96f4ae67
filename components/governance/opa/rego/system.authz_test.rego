# Unit tests of system.authz.rego, OPA's own REST API authorization (opa run --authorization=basic),
# over the access model of test/fixtures/opa-decisions/access-model.json (see trino_test.rego).
# OPA hands this policy the request's method and its path as segments.
package system.authz_test

import rego.v1

import data.system.authz

allowed(method, path) if {
	segments := split(trim_prefix(path, "/"), "/")
	authz.allow with input as {"method": method, "path": segments}
}

# The decisions of the contract (OPA_DECISIONS in components/governance/contract.ts), spelled out
# here rather than read from the model, so a model that drops one fails.
decisions := [
	"/v1/data/trino/allow",
	"/v1/data/trino/batch",
	"/v1/data/trino/rowFilters",
	"/v1/data/trino/batchColumnMasks",
	"/v1/data/assistant/allow",
]

test_every_decision_of_the_contract_may_be_asked_by_post if {
	every path in decisions {
		allowed("POST", path)
	}
}

test_a_decision_may_not_be_read_by_get if {
	every path in decisions {
		not allowed("GET", path)
	}
}

test_health_and_metrics_may_be_read if {
	allowed("GET", "/health")
	allowed("GET", "/metrics")
	not allowed("POST", "/health")
}

test_policies_and_data_may_not_be_written if {
	every method in ["PUT", "PATCH", "DELETE", "POST"] {
		not allowed(method, "/v1/policies/trino.rego")
		not allowed(method, "/v1/policies/system.authz.rego")
		not allowed(method, "/v1/data/access_model")
		not allowed(method, "/v1/data/access_model/adminGroups")
	}
}

test_the_model_and_the_policies_may_not_be_read if {
	not allowed("GET", "/v1/data/access_model")
	not allowed("GET", "/v1/data")
	not allowed("GET", "/v1/policies")
	not allowed("GET", "/v1/policies/trino.rego")
}

test_nothing_else_may_be_evaluated if {
	not allowed("POST", "/v1/data/trino")
	not allowed("POST", "/v1/data")
	not allowed("POST", "/v1/data/trino/identity_groups")
	not allowed("POST", "/v1/data/trino/is_admin")
	not allowed("POST", "/v1/data/trino/allow/extra")
	not allowed("POST", "/v1/query")
	not allowed("POST", "/v1/compile")
	not allowed("POST", "/")
}

test_an_empty_model_allows_nothing if {
	not allowed("POST", "/v1/data/trino/allow") with data.access_model.api as {"decisions": [], "reads": []}
	not allowed("GET", "/health") with data.access_model.api as {"decisions": [], "reads": []}
}

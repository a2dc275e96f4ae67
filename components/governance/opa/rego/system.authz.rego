# OPA's own REST API (opa run --authorization=basic): callers may ask the decisions of the contract
# (POST /v1/data/<package>/<rule>, OPA_DECISIONS in components/governance/contract.ts) and read
# health and metrics. Nothing may read the model or write policies or data through the API, so a
# compromised caller cannot grant itself access. The allowed paths are data (data.access_model.api).
# test/components/governance/opa/access-evaluator.ts mirrors this rule.
package system.authz

import rego.v1

default allow := false

allow if {
	input.method == "POST"
	input.path in data.access_model.api.decisions
}

allow if {
	input.method == "GET"
	input.path in data.access_model.api.reads
}

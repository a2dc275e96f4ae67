# The NL-to-SQL assistant slot: may this identity use it. The input carries the identity as
# Trino's requests do ({"context": {"identity": {"user": ..., "groups": [...]}}}); the allowed
# groups are data (data.access_model.assistantGroups, from governance.access.assistant.roles). The
# identity's groups are package trino's, so the default role counts the same way here.
# test/components/governance/opa/access-evaluator.ts mirrors this rule.
package assistant

import rego.v1

default allow := false

allow if {
	some g in data.access_model.assistantGroups
	g in data.trino.identity_groups
}

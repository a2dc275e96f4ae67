# The NL-to-SQL assistant slot: may this identity use it. The input carries the identity as
# Trino's requests do ({"context": {"identity": {"user": ..., "groups": [...]}}}); the allowed
# groups are data (data.access_model.assistantGroups, from governance.access.assistant.roles).
# test/governance/access-evaluator.ts mirrors this rule.
package assistant

import rego.v1

default allow := false

allow if {
	some g in data.access_model.assistantGroups
	g in input.context.identity.groups
}

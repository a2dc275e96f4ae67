# Unit tests of assistant.rego, the NL-to-SQL assistant gate, over the access model of
# test/fixtures/opa-decisions/access-model.json (assistant roles admin, engineer, analyst; see
# trino_test.rego).
package assistant_test

import rego.v1

import data.assistant

allowed(identity) if assistant.allow with input as {"context": {"identity": identity}}

# Keycloak's default-roles composite puts the default role (analyst) and two built-in roles in every token.
token(user, groups) := {"user": user, "groups": array.concat(groups, ["platform-analyst", "default-roles-platform", "offline_access", "uma_authorization"])}

test_the_roles_the_config_names_may_use_the_assistant if {
	allowed({"user": "alice", "groups": ["platform-admin"]})
	allowed({"user": "bob", "groups": ["platform-engineer"]})
	allowed({"user": "carol", "groups": ["platform-analyst", "team-finance"]})
}

test_other_roles_projects_and_strangers_may_not if {
	not allowed({"user": "eve", "groups": ["platform-user"]})
	not allowed({"user": "dave", "groups": ["platform-viewer"]})
	not allowed({"user": "frank", "groups": ["project-scoring"]})
	not allowed({"user": "mallory", "groups": ["team-marketing"]})
	not allowed({"user": "nobody", "groups": []})
	not allowed({"user": "oscar", "groups": ["acme-admin"]})
}

test_the_default_role_does_not_open_the_assistant_to_a_viewer if {
	not allowed(token("dave", ["platform-viewer"]))
	allowed(token("nina", []))
}

test_the_gate_follows_the_roles_in_the_model if {
	allowed({"user": "dave", "groups": ["platform-viewer"]}) with data.access_model.assistantGroups as ["platform-viewer"]
	not allowed({"user": "alice", "groups": ["platform-admin"]}) with data.access_model.assistantGroups as ["platform-viewer"]
}

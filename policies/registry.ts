// Every rule, in one list: the CrossGuard pack, `npm run check` and the tests all read it.
import type { Rule } from './rules/types';
import { podSecurityRules } from './rules/pod-security';
import { workloadRules } from './rules/workload-rules';
import { stackRules } from './rules/stack-rules';
import { rbacRules } from './rules/rbac';

export const RULES: Rule[] = [...podSecurityRules, ...workloadRules, ...rbacRules, ...stackRules];

export function ruleById(id: string): Rule {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule "${id}"`);
  return rule;
}

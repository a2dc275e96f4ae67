// Runs every rule over a set of objects: object rules on each object, stack rules on the set.
// Exemptions: the annotation `policy.analytics-platform.io/exempt-<rule-id>: <reason>` turns that
// rule's findings on that object advisory (still reported, with the reason); an exemption without
// a reason is itself a violation.
import type { KubeObject } from '../components/platform/kube-object';
import { objectId } from '../components/platform/kube-object';
import { EXEMPTION_PREFIX } from '../components/base/exemption';
import type { Enforcement, PolicyContext, Rule, Severity } from './rules/types';

// The annotation services write (components/base/exemption.ts), re-exported for the policy side.
export { EXEMPTION_PREFIX, exemption } from '../components/base/exemption';

export interface Violation {
  rule: string;
  severity: Severity;
  enforcement: Enforcement;
  object: string;
  message: string;
  /** Present when an exemption annotation made the finding advisory. */
  exemption?: string;
}

export interface PolicyReport {
  rules: number;
  violations: Violation[];
}

/** The built-in rule that polices exemptions themselves. */
export const EXEMPTION_RULE_ID = 'exemption-has-reason';

/** What a finding about a possibly provided object says in a partial set, where it is advisory. */
export const providedNote = (kind: string): string =>
  `(advisory: no ${kind} of that name is among these manifests, and the cluster or an operator may provide it; --complete makes it mandatory)`;

function exemptionsOf(object: KubeObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(object.metadata?.annotations ?? {}))
    if (key.startsWith(EXEMPTION_PREFIX)) out.set(key.slice(EXEMPTION_PREFIX.length), value.trim());
  return out;
}

export function evaluate(objects: KubeObject[], rules: Rule[], ctx: PolicyContext): PolicyReport {
  const violations: Violation[] = [];
  const ruleIds = new Set(rules.map((r) => r.id));
  const report = (rule: Rule, object: KubeObject, message: string, provided?: string) => {
    const enforcement = rule.enforcement[ctx.environment];
    if (enforcement === 'disabled') return;
    const reason = exemptionsOf(object).get(rule.id);
    const exempted = reason !== undefined && reason.length > 0;
    const outside = !!(provided && ctx.partial);
    violations.push({
      rule: rule.id,
      severity: outside ? 'low' : rule.severity,
      enforcement: exempted || outside ? 'advisory' : enforcement,
      object: objectId(object),
      message: outside ? `${message} ${providedNote(provided!)}` : message,
      ...(exempted ? { exemption: reason } : {}),
    });
  };
  for (const rule of rules) {
    if (rule.scope === 'object') for (const object of objects) for (const message of rule.check(object, ctx)) report(rule, object, message);
    else for (const finding of rule.check(objects, ctx)) report(rule, finding.object, finding.message, finding.provided);
  }
  for (const object of objects)
    for (const [ruleId, reason] of exemptionsOf(object)) {
      if (!ruleIds.has(ruleId))
        violations.push({
          rule: EXEMPTION_RULE_ID,
          severity: 'medium',
          enforcement: 'mandatory',
          object: objectId(object),
          message: `exempts unknown rule "${ruleId}"`,
        });
      else if (!reason)
        violations.push({
          rule: EXEMPTION_RULE_ID,
          severity: 'medium',
          enforcement: 'mandatory',
          object: objectId(object),
          message: `exemption from "${ruleId}" gives no reason: set the annotation ${EXEMPTION_PREFIX}${ruleId} to why it does not apply`,
        });
    }
  return { rules: rules.length, violations };
}

export const mandatoryViolations = (report: PolicyReport): Violation[] => report.violations.filter((v) => v.enforcement === 'mandatory');

// Policy exemptions as services write them: the annotation `policy.analytics-platform.io/exempt-<rule-id>: <reason>`
// turns that rule's findings on the object advisory (policies/engine.ts reads it). Here, not in
// policies/, so that services set exemptions without importing the policy engine.
export const EXEMPTION_PREFIX = 'policy.analytics-platform.io/exempt-';

/** The annotation that exempts an object from one rule, with the reason. */
export const exemption = (rule: string, reason: string): Record<string, string> => ({ [`${EXEMPTION_PREFIX}${rule}`]: reason });

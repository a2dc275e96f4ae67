// The rule set as CrossGuard policies, for `pulumi preview --policy-pack policies`. Object rules
// validate each Kubernetes resource as the engine sees it; rules over the whole set validate the
// stack. The environment (and so each rule's enforcement) comes from the pack config,
// policies/config/<env>.json, generated from the rule metadata.
import { Secret } from '@pulumi/policy';
import type {
  EnforcementLevel,
  Policies,
  PolicyConfigSchema,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import type { KubeObject } from '../components/platform/kube-object';
import { objectId } from '../components/platform/kube-object';
import { ENVIRONMENTS, EnvironmentName } from '../environments/schema';
import { evaluate, EXEMPTION_RULE_ID } from './engine';
import { RULES } from './registry';
import type { PolicyContext, Rule } from './rules/types';

export const PACK_NAME = 'analytics-platform';
export const EXEMPTED_FINDINGS_POLICY = 'exempted-findings';

/** What each policy reads from the pack config: the environment and the facts rules need. */
export interface PackConfig {
  environment: EnvironmentName;
  allowedRegistries?: string[];
  digestPinning?: boolean;
  pullPolicy?: PolicyContext['pullPolicy'];
  allowInternetEgress?: boolean;
  externalSecrets?: PolicyContext['externalSecrets'];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    environment: { type: 'string', enum: [...ENVIRONMENTS] },
    allowedRegistries: { type: 'array', items: { type: 'string' } },
    digestPinning: { type: 'boolean' },
    pullPolicy: { type: 'string', enum: ['IfNotPresent', 'Always', 'Never'] },
    allowInternetEgress: { type: 'boolean' },
    externalSecrets: {
      type: 'array',
      items: {
        type: 'object',
        properties: { namespace: { type: 'string' }, name: { type: 'string' }, keys: { type: 'array', items: { type: 'string' } } },
        required: ['namespace', 'name'],
      },
    },
  },
  required: ['environment'],
};

export function contextFromConfig(config: PackConfig): PolicyContext {
  return {
    environment: config.environment,
    allowedRegistries: config.allowedRegistries ?? [],
    digestPinning: config.digestPinning ?? false,
    pullPolicy: config.pullPolicy ?? 'IfNotPresent',
    allowInternetEgress: config.allowInternetEgress ?? true,
    externalSecrets: config.externalSecrets ?? [],
  };
}

const SECRET_SIG = '4dabf18193072939515e22adb298388d';

/** Secret values reach policies wrapped; rules read plain values. */
export function unwrapSecrets(value: unknown): unknown {
  if (value instanceof Secret) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (SECRET_SIG in record) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** A Kubernetes object from a resource's inputs; kind and apiVersion come from the type token. */
export function kubeObjectOf(type: string, props: Record<string, any>): KubeObject | undefined {
  const match = /^kubernetes:(?:(core)\/)?(?:([a-z0-9.-]+)\/)?(v[0-9a-z]+):([A-Za-z]+)$/.exec(type);
  if (!match) return undefined;
  const [, , group, version, kind] = match;
  const object = unwrapSecrets(props) as KubeObject;
  return {
    ...object,
    apiVersion: object.apiVersion ?? (group ? `${group}/${version}` : version),
    kind: object.kind ?? kind,
    metadata: object.metadata ?? { name: '' },
  };
}

const defaultLevel = (rule: Rule): EnforcementLevel =>
  ENVIRONMENTS.every((e) => rule.enforcement[e] === 'mandatory')
    ? 'mandatory'
    : ENVIRONMENTS.every((e) => rule.enforcement[e] === 'disabled')
      ? 'disabled'
      : 'advisory';

/** Findings of one rule that count: not exempted. Exempted ones go to the advisory policy. */
function objectPolicy(rule: Rule & { scope: 'object' }): ResourceValidationPolicy {
  return {
    name: rule.id,
    description: `${rule.title}. ${rule.rationale}`,
    enforcementLevel: defaultLevel(rule),
    configSchema,
    validateResource: (args, reportViolation) => {
      const object = kubeObjectOf(args.type, args.props);
      if (!object) return;
      const report = evaluate([object], [rule], contextFromConfig(args.getConfig<PackConfig>()));
      for (const v of report.violations) if (v.rule === rule.id && !v.exemption) reportViolation(v.message);
    },
  };
}

function stackObjects(resources: { type: string; props: Record<string, any>; urn: string }[]): { object: KubeObject; urn: string }[] {
  return resources.flatMap((r) => {
    const object = kubeObjectOf(r.type, r.props);
    return object ? [{ object, urn: r.urn }] : [];
  });
}

function stackPolicy(rule: Rule & { scope: 'stack' }): StackValidationPolicy {
  return {
    name: rule.id,
    description: `${rule.title}. ${rule.rationale}`,
    enforcementLevel: defaultLevel(rule),
    configSchema,
    validateStack: (args, reportViolation) => {
      const found = stackObjects(args.resources);
      const urns = new Map(found.map(({ object, urn }) => [objectId(object), urn]));
      const report = evaluate(
        found.map((f) => f.object),
        [rule],
        contextFromConfig(args.getConfig<PackConfig>()),
      );
      for (const v of report.violations)
        if (v.rule === rule.id && !v.exemption) reportViolation(`${v.object}: ${v.message}`, urns.get(v.object));
    },
  };
}

/** Exempted findings and exemptions without a reason, across every rule. */
function exemptionPolicies(): Policies {
  const run = (args: StackValidationArgs) => {
    const found = stackObjects(args.resources);
    return {
      urns: new Map(found.map(({ object, urn }) => [objectId(object), urn])),
      report: evaluate(
        found.map((f) => f.object),
        RULES,
        contextFromConfig(args.getConfig<PackConfig>()),
      ),
    };
  };
  return [
    {
      name: EXEMPTED_FINDINGS_POLICY,
      description: 'Findings an exemption annotation set aside, with its reason: still reported, never blocking.',
      enforcementLevel: 'advisory',
      configSchema,
      validateStack: (args, reportViolation) => {
        const { urns, report } = run(args);
        for (const v of report.violations.filter((x) => x.exemption))
          reportViolation(`${v.rule} on ${v.object}: ${v.message} (exempted: ${v.exemption})`, urns.get(v.object));
      },
    },
    {
      name: EXEMPTION_RULE_ID,
      description: 'Every exemption annotation names a rule that exists and gives a reason.',
      enforcementLevel: 'mandatory',
      configSchema,
      validateStack: (args, reportViolation) => {
        const { urns, report } = run(args);
        for (const v of report.violations.filter((x) => x.rule === EXEMPTION_RULE_ID))
          reportViolation(`${v.object}: ${v.message}`, urns.get(v.object));
      },
    },
  ];
}

export function packPolicies(): Policies {
  return [...RULES.map((rule) => (rule.scope === 'object' ? objectPolicy(rule) : stackPolicy(rule))), ...exemptionPolicies()];
}

/** The pack config for an environment: each policy's enforcement level and the environment facts. */
export function packConfigFor(environment: EnvironmentName, facts: Omit<PackConfig, 'environment'>): Record<string, unknown> {
  const config = { environment, ...facts };
  const entries = RULES.map((rule) => [rule.id, { enforcementLevel: rule.enforcement[environment], ...config }]);
  entries.push(
    [EXEMPTED_FINDINGS_POLICY, { enforcementLevel: 'advisory', ...config }],
    [EXEMPTION_RULE_ID, { enforcementLevel: 'mandatory', ...config }],
  );
  return Object.fromEntries(entries);
}

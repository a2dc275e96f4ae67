// The policy contexts fixtures are judged in: a fixture file named `pass.<env>.<case>.yaml` or
// `fail.<env>.<case>.yaml` uses that environment; otherwise the first one where the rule is on.
import type { EnvironmentName } from '../../environments/schema';
import type { PolicyContext, Rule } from '../../policies/rules/types';

export const FIXTURE_CONTEXTS: Record<EnvironmentName, PolicyContext> = {
  k3d: {
    environment: 'k3d',
    allowedRegistries: [],
    digestPinning: false,
    pullPolicy: 'IfNotPresent',
    allowInternetEgress: true,
    externalSecrets: [],
  },
  eks: {
    environment: 'eks',
    allowedRegistries: [],
    digestPinning: false,
    pullPolicy: 'IfNotPresent',
    allowInternetEgress: true,
    externalSecrets: [],
  },
  airgapped: {
    environment: 'airgapped',
    allowedRegistries: ['registry.corp.internal:5000'],
    digestPinning: true,
    pullPolicy: 'IfNotPresent',
    allowInternetEgress: false,
    externalSecrets: [],
  },
};

export function contextForFixture(rule: Rule, file: string): PolicyContext {
  const env = file.split('.')[1] as EnvironmentName;
  if (env in FIXTURE_CONTEXTS) return FIXTURE_CONTEXTS[env];
  const first = (Object.keys(FIXTURE_CONTEXTS) as EnvironmentName[]).find((e) => rule.enforcement[e] !== 'disabled');
  return FIXTURE_CONTEXTS[first ?? 'k3d'];
}

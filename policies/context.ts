// The policy context for an environment, from its validated config: the same facts the platform
// was built with (mirror, digest pinning, pull policy, egress).
import { operatorSecrets } from '../components/operator-secrets';
import type { PlatformConfig } from '../environments/schema';
import type { PolicyContext } from './rules/types';

export function policyContextFor(config: PlatformConfig): PolicyContext {
  const mirror = config.images.registryMirror;
  return {
    environment: config.environment,
    allowedRegistries: mirror ? [mirror] : [],
    digestPinning: config.images.digestPinning,
    pullPolicy: config.images.pullPolicy,
    allowInternetEgress: config.egress.allowInternet,
    externalSecrets: operatorSecrets(config),
  };
}

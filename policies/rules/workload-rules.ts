// The single-object rules beyond the Pod Security Standards, grouped by concern in sibling files.
import type { ObjectRule } from './types';
import { hardeningRules } from './hardening';
import { imageRules } from './images';
import { resourceRules } from './resources';
import { probeRules } from './probes';
import { reliabilityRules } from './reliability';
import { secretRules } from './secrets';
import { serviceRules } from './services';
import { metadataRules } from './metadata';

export const workloadRules: ObjectRule[] = [
  ...hardeningRules,
  ...imageRules,
  ...resourceRules,
  ...probeRules,
  ...reliabilityRules,
  ...secretRules,
  ...serviceRules,
  ...metadataRules,
];

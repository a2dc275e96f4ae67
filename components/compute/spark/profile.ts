import type { ComputeSize } from '../profile';
import type { ComputeConfig } from '../schema';
import { MAVEN_CENTRAL } from './schema';

/**
 * A laptop runs Spark in local mode (the Connect server alone: no master and worker JVMs to hold
 * memory); a cluster runs three standalone workers. Jars from Maven Central (air-gapped stacks name
 * their mirror). Event logs are kept a week, as Spark's own cleaner default (monitoring.md).
 */
export const sparkDefaults = (size: ComputeSize): ComputeConfig['spark'] => ({
  master: size === 'laptop' ? 'local' : 'standalone',
  workers: size === 'laptop' ? 1 : 3,
  jars: { repository: MAVEN_CENTRAL, cidrs: ['0.0.0.0/0'] },
  history: { maxAgeDays: 7, maxApplications: 1000 },
});

import type { ComputeSize } from '../profile';
import type { ComputeConfig } from '../schema';
import { MAVEN_CENTRAL } from './schema';

/** One worker on a laptop, three on a cluster; jars from Maven Central (air-gapped stacks name their mirror). */
export const sparkDefaults = (size: ComputeSize): ComputeConfig['spark'] => ({
  workers: size === 'laptop' ? 1 : 3,
  jars: { repository: MAVEN_CENTRAL, cidrs: ['0.0.0.0/0'] },
});

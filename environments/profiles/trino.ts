import type { ComputeSize } from './compute';
import type { ComputeConfig } from '../compute-schema';

export const trinoDefaults = (size: ComputeSize): ComputeConfig['trino'] => ({
  workers: size === 'laptop' ? { min: 1, max: 1 } : { min: 2, max: 6 },
  ai: { model: 'default' },
});

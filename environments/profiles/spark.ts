import type { ComputeSize } from './compute';
import type { ComputeConfig } from '../compute-schema';

export const sparkDefaults = (size: ComputeSize): ComputeConfig['spark'] => ({ workers: size === 'laptop' ? 1 : 3 });

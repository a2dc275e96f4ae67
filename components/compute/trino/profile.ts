import type { ComputeSize } from '../profile';
import type { ComputeConfig } from '../schema';

/**
 * A laptop runs the coordinator alone (workers are ignored there); a cluster keeps two workers and
 * scales to six. The AI functions appear when the AI layer runs the gateway.
 */
export const trinoDefaults = (size: ComputeSize): ComputeConfig['trino'] => ({
  workers: size === 'laptop' ? { min: 1, max: 1 } : { min: 2, max: 6 },
  ai: { model: 'chat', functions: {} },
});

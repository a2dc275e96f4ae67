import type { ComputeConfig } from '../compute-schema';
import { dbtDefaults } from './dbt';
import { sparkDefaults } from './spark';
import { trinoDefaults } from './trino';

export type ComputeSize = 'laptop' | 'cluster';

/** Compute defaults: a laptop runs one of everything, a cluster scales out. */
export const computeDefaults = (size: ComputeSize): ComputeConfig => ({
  trino: trinoDefaults(size),
  spark: sparkDefaults(size),
  dbt: dbtDefaults(),
});

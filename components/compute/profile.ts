import type { ComputeConfig } from './schema';
import { dbtDefaults } from './dbt/profile';
import { sparkDefaults } from './spark/profile';
import { trinoDefaults } from './trino/profile';

export type ComputeSize = 'laptop' | 'cluster';

/** Compute defaults: a laptop runs one of everything, a cluster scales out. */
export const computeDefaults = (size: ComputeSize): ComputeConfig => ({
  trino: trinoDefaults(size),
  spark: sparkDefaults(size),
  dbt: dbtDefaults(),
});

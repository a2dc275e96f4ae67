import type { ComputeConfig } from '../compute-schema';

/** Nightly, after the ingestion window. */
export const dbtDefaults = (): ComputeConfig['dbt'] => ({ schedule: '0 2 * * *' });

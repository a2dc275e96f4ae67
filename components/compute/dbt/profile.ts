import type { ComputeConfig } from '../schema';

/**
 * Nightly, after the ingestion window, on the bundled sample project; dbt from PyPI (air-gapped
 * stacks name their mirror); models in the Iceberg catalog, staging schema by default.
 */
export const dbtDefaults = (): ComputeConfig['dbt'] => ({
  schedule: '0 2 * * *',
  project: { mode: 'sample' },
  packageIndex: { url: 'https://pypi.org/simple', cidrs: ['0.0.0.0/0'] },
  target: { catalog: 'iceberg', schema: 'staging', threads: 4 },
});

// The compute part of the stack config: Trino, Spark and dbt. Each engine's keys live in its own
// schema file; this one composes them under `compute`.
import { z } from 'zod';
import { dbtSchema } from './dbt/schema';
import { sparkSchema } from './spark/schema';
import { trinoSchema } from './trino/schema';

export const computeSchema = z.strictObject({
  trino: trinoSchema.describe('Federated SQL: workers, AI functions.'),
  spark: sparkSchema.describe('Spark Connect, running its tasks itself (local) or on standalone workers, and its history server.'),
  dbt: dbtSchema.describe('dbt Core runs against Trino.'),
});
export type ComputeConfig = z.infer<typeof computeSchema>;

/** The compute layer's slice of the stack config. */
export const computeSliceSchema = z.strictObject({
  compute: computeSchema.describe('The query and processing engines: Trino, Spark, dbt.'),
});

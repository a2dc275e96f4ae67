// The ingestion layer's slice of the stack config: no keys until its first service arrives.
import { z } from 'zod';

export const ingestionSliceSchema = z.strictObject({});
export type IngestionConfig = z.infer<typeof ingestionSliceSchema>;

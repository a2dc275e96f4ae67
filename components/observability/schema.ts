// The observability layer's slice of the stack config: no keys until its first service arrives.
import { z } from 'zod';

export const observabilitySliceSchema = z.strictObject({});
export type ObservabilityConfig = z.infer<typeof observabilitySliceSchema>;

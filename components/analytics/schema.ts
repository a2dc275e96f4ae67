// The analytics layer's slice of the stack config: no keys until its first service arrives.
import { z } from 'zod';

export const analyticsSliceSchema = z.strictObject({});
export type AnalyticsConfig = z.infer<typeof analyticsSliceSchema>;

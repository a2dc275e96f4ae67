// The ai layer's slice of the stack config: no keys until its first service arrives.
import { z } from 'zod';

export const aiSliceSchema = z.strictObject({});
export type AiConfig = z.infer<typeof aiSliceSchema>;

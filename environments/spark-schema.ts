// Spark's stack config.
import { z } from 'zod';

export const sparkSchema = z.strictObject({
  workers: z.number().int().min(1).max(100).describe('Spark standalone workers.'),
});

// Trino's stack config.
import { z } from 'zod';

export const trinoSchema = z.strictObject({
  workers: z
    .strictObject({
      min: z.number().int().min(1).max(100),
      max: z.number().int().min(1).max(100),
    })
    .describe('Worker count bounds for the HPA (ignored on the small profile: the coordinator also schedules work).'),
  ai: z
    .strictObject({
      model: z.string().min(1).describe('The gateway model name the AI functions call.'),
    })
    .describe('Trino AI functions, pointed at the in-cluster OpenAI-compatible gateway when it is enabled.'),
});

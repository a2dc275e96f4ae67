// Trino's stack config.
import { z } from 'zod';

const modelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, 'a model name as the gateway serves it, such as "chat" or "qwen2.5:3b"');

/** The AI functions whose model can be overridden, as named in the stack config. */
export const TRINO_AI_FUNCTIONS = ['analyzeSentiment', 'classify', 'extract', 'fixGrammar', 'generate', 'mask', 'translate'] as const;
export type TrinoAiFunction = (typeof TRINO_AI_FUNCTIONS)[number];

const workers = z
  .strictObject({
    min: z.number().int().min(1).max(100),
    max: z.number().int().min(1).max(100),
  })
  .superRefine((w, ctx) => {
    if (w.max < w.min) ctx.addIssue({ code: 'custom', path: ['max'], input: w.max, message: `must be at least workers.min (${w.min})` });
  });

export const trinoSchema = z.strictObject({
  workers: workers.describe(
    'Worker count bounds for the HPA; equal bounds give a fixed count. Ignored on the small profile: the coordinator also schedules work.',
  ),
  ai: z
    .strictObject({
      model: modelName.describe('The gateway model every AI function calls unless overridden.'),
      functions: z
        .strictObject({
          analyzeSentiment: modelName.optional().describe('Model for ai_analyze_sentiment.'),
          classify: modelName.optional().describe('Model for ai_classify.'),
          extract: modelName.optional().describe('Model for ai_extract.'),
          fixGrammar: modelName.optional().describe('Model for ai_fix_grammar.'),
          generate: modelName.optional().describe('Model for ai_gen.'),
          mask: modelName.optional().describe('Model for ai_mask.'),
          translate: modelName.optional().describe('Model for ai_translate.'),
        } satisfies Record<TrinoAiFunction, z.ZodType>)
        .describe('Per-function model overrides; a function without one uses `model`.'),
    })
    .describe(
      'Trino AI functions (catalog `llm`), registered when the AI layer runs the in-cluster OpenAI-compatible gateway (`litellm`), so no call leaves the cluster.',
    ),
});

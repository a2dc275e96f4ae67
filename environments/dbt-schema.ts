// dbt's stack config.
import { z } from 'zod';

export const dbtSchema = z.strictObject({
  schedule: z.string().min(9).describe('The CronJob schedule of `dbt build`, in cron syntax.'),
});

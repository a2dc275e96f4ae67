// The S3 store's config: SeaweedFS in the platform, or an S3 endpoint the operator brings.
import { z } from 'zod';
import { externalEndpoint, objectName, quantity } from '../../../environments/fields';

export const objectStorageSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('internal'),
    topology: z.enum(['single', 'split']).describe('`single`: one SeaweedFS process; `split`: master, volume, filer and S3 gateway apart.'),
    storageSize: quantity,
    volumeServers: z.number().int().min(1).max(32),
    replication: z
      .string()
      .regex(/^[0-9]{3}$/, 'three digits such as "000" or "001"')
      .describe('SeaweedFS replication "xyz": copies on other data centres, racks, servers.'),
  }),
  z.strictObject({
    mode: z.literal('external'),
    endpoint: z.url({ protocol: /^https?$/ }),
    region: z.string().min(1),
    pathStyle: z.boolean(),
    credentialsSecret: objectName.describe(
      'Secret (storage namespace) with keys `access-key` and `secret-key`, allowed to create buckets.',
    ),
    ...externalEndpoint,
  }),
]);

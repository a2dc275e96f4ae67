// The storage layer's slice of the stack config: its PostgreSQL instances, the S3 store and the catalog.
import { z } from 'zod';
import { polarisSchema } from './polaris/schema';
import { postgresInstanceSchema } from './postgres/schema';
import { objectStorageSchema } from './seaweedfs/schema';

export const storageSliceSchema = z.strictObject({
  postgres: z
    .strictObject({ platform: postgresInstanceSchema, warehouse: postgresInstanceSchema })
    .describe(
      'PostgreSQL instances: `platform` for service metadata, `warehouse` for user data. `internal` runs it; `external` uses yours.',
    ),
  objectStorage: objectStorageSchema.describe('The S3 store: SeaweedFS (`internal`) or an S3 endpoint you bring (`external`).'),
  polaris: polarisSchema.describe('The Iceberg REST catalog: realm, catalog name and the namespaces created in it.'),
});
export type StorageConfig = z.infer<typeof storageSliceSchema>;

// The storage layer: the platform and warehouse PostgreSQL instances, the S3 store, the Iceberg catalog.
// Its cdk8s style is here (`new StorageChart(app, id, props)`); its Pulumi style, from the same props, is
// `new StorageLayer(name, props, opts)` in resource.ts, kept apart so the offline render never loads Pulumi.
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { LayerChart } from '../platform/layer-chart';
import type { LayerDefinition, LayerProps } from '../platform/platform';
import { storageSliceSchema } from './schema';
import { polarisDefinition } from './polaris/polaris';
import { postgresDefinition } from './postgres/postgres';
import { seaweedfsDefinition } from './seaweedfs/seaweedfs';

export const storageLayer: LayerDefinition<typeof storageSliceSchema> = {
  placement: 'storage',
  schema: storageSliceSchema,
  services: [postgresDefinition('platform'), postgresDefinition('warehouse'), seaweedfsDefinition, polarisDefinition],
};

export type StorageLayerProps = LayerProps<z.infer<typeof storageSliceSchema>>;

export class StorageChart extends LayerChart<typeof storageSliceSchema> {
  constructor(scope: Construct, id: string, props: StorageLayerProps) {
    super(storageLayer, scope, id, props);
  }
}

// The ingestion layer in the Pulumi style: a ComponentResource typed by the same props as its chart.
import type * as pulumi from '@pulumi/pulumi';
import { LayerResource } from '../platform/pulumi/layer-resource';
import { ingestionLayer, IngestionLayerProps } from './layer';
import type { ingestionSliceSchema } from './schema';

export class IngestionLayer extends LayerResource<typeof ingestionSliceSchema> {
  constructor(name: string, props: IngestionLayerProps, opts?: pulumi.ComponentResourceOptions) {
    super(ingestionLayer, name, props, opts);
  }
}

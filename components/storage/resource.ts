// The storage layer in the Pulumi style: a ComponentResource typed by the same props as its chart.
import type * as pulumi from '@pulumi/pulumi';
import { LayerResource } from '../platform/pulumi/layer-resource';
import { storageLayer, StorageLayerProps } from './layer';
import type { storageSliceSchema } from './schema';

export class StorageLayer extends LayerResource<typeof storageSliceSchema> {
  constructor(name: string, props: StorageLayerProps, opts?: pulumi.ComponentResourceOptions) {
    super(storageLayer, name, props, opts);
  }
}

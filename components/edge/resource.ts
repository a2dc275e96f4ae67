// The edge layer in the Pulumi style: a ComponentResource typed by the same props as its chart.
import type * as pulumi from '@pulumi/pulumi';
import { LayerResource } from '../platform/pulumi/layer-resource';
import { edgeLayer, EdgeLayerProps } from './layer';
import type { edgeSliceSchema } from './schema';

export class EdgeLayer extends LayerResource<typeof edgeSliceSchema> {
  constructor(name: string, props: EdgeLayerProps, opts?: pulumi.ComponentResourceOptions) {
    super(edgeLayer, name, props, opts);
  }
}

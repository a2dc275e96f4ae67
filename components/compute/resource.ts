// The compute layer in the Pulumi style: a ComponentResource typed by the same props as its chart.
import type * as pulumi from '@pulumi/pulumi';
import { LayerResource } from '../platform/pulumi/layer-resource';
import { computeLayer, ComputeLayerProps } from './layer';
import type { computeSliceSchema } from './schema';

export class ComputeLayer extends LayerResource<typeof computeSliceSchema> {
  constructor(name: string, props: ComputeLayerProps, opts?: pulumi.ComponentResourceOptions) {
    super(computeLayer, name, props, opts);
  }
}

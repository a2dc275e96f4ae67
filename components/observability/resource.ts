// The observability layer in the Pulumi style: a ComponentResource typed by the same props as its chart.
import type * as pulumi from '@pulumi/pulumi';
import { LayerResource } from '../platform/pulumi/layer-resource';
import { observabilityLayer, ObservabilityLayerProps } from './layer';
import type { observabilitySliceSchema } from './schema';

export class ObservabilityLayer extends LayerResource<typeof observabilitySliceSchema> {
  constructor(name: string, props: ObservabilityLayerProps, opts?: pulumi.ComponentResourceOptions) {
    super(observabilityLayer, name, props, opts);
  }
}

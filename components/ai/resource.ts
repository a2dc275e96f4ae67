// The ai layer in the Pulumi style: a ComponentResource typed by the same props as its chart.
import type * as pulumi from '@pulumi/pulumi';
import { LayerResource } from '../platform/pulumi/layer-resource';
import { aiLayer, AiLayerProps } from './layer';
import type { aiSliceSchema } from './schema';

export class AiLayer extends LayerResource<typeof aiSliceSchema> {
  constructor(name: string, props: AiLayerProps, opts?: pulumi.ComponentResourceOptions) {
    super(aiLayer, name, props, opts);
  }
}

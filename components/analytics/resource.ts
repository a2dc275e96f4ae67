// The analytics layer in the Pulumi style: a ComponentResource typed by the same props as its chart.
import type * as pulumi from '@pulumi/pulumi';
import { LayerResource } from '../platform/pulumi/layer-resource';
import { analyticsLayer, AnalyticsLayerProps } from './layer';
import type { analyticsSliceSchema } from './schema';

export class AnalyticsLayer extends LayerResource<typeof analyticsSliceSchema> {
  constructor(name: string, props: AnalyticsLayerProps, opts?: pulumi.ComponentResourceOptions) {
    super(analyticsLayer, name, props, opts);
  }
}

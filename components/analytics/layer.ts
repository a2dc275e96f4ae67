// The analytics layer: dashboards, notebooks and the portal. No services yet; they join here.
// Its cdk8s style is here (`new AnalyticsChart(app, id, props)`); its Pulumi style, from the same props, is
// `new AnalyticsLayer(name, props, opts)` in resource.ts, kept apart so the offline render never loads Pulumi.
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { LayerChart } from '../platform/layer-chart';
import type { LayerDefinition, LayerProps } from '../platform/platform';
import { analyticsSliceSchema } from './schema';

export const analyticsLayer: LayerDefinition<typeof analyticsSliceSchema> = {
  placement: 'analytics',
  schema: analyticsSliceSchema,
  services: [],
};

export type AnalyticsLayerProps = LayerProps<z.infer<typeof analyticsSliceSchema>>;

export class AnalyticsChart extends LayerChart<typeof analyticsSliceSchema> {
  constructor(scope: Construct, id: string, props: AnalyticsLayerProps) {
    super(analyticsLayer, scope, id, props);
  }
}

// Observability (cross-cutting): metrics, alerts, dashboards and logs derived from every service's declarations. No services yet; they join here.
// Its cdk8s style is here (`new ObservabilityChart(app, id, props)`); its Pulumi style, from the same props, is
// `new ObservabilityLayer(name, props, opts)` in resource.ts, kept apart so the offline render never loads Pulumi.
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { LayerChart } from '../platform/layer-chart';
import type { LayerDefinition, LayerProps } from '../platform/platform';
import { observabilitySliceSchema } from './schema';

export const observabilityLayer: LayerDefinition<typeof observabilitySliceSchema> = {
  placement: 'observability',
  schema: observabilitySliceSchema,
  services: [],
};

export type ObservabilityLayerProps = LayerProps<z.infer<typeof observabilitySliceSchema>>;

export class ObservabilityChart extends LayerChart<typeof observabilitySliceSchema> {
  constructor(scope: Construct, id: string, props: ObservabilityLayerProps) {
    super(observabilityLayer, scope, id, props);
  }
}

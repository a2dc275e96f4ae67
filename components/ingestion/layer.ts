// The ingestion layer: pipelines from files, APIs and databases into the lakehouse. No services yet; they join here.
// Its cdk8s style is here (`new IngestionChart(app, id, props)`); its Pulumi style, from the same props, is
// `new IngestionLayer(name, props, opts)` in resource.ts, kept apart so the offline render never loads Pulumi.
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { LayerChart } from '../platform/layer-chart';
import type { LayerDefinition, LayerProps } from '../platform/platform';
import { ingestionSliceSchema } from './schema';

export const ingestionLayer: LayerDefinition<typeof ingestionSliceSchema> = {
  placement: 'ingestion',
  schema: ingestionSliceSchema,
  services: [],
};

export type IngestionLayerProps = LayerProps<z.infer<typeof ingestionSliceSchema>>;

export class IngestionChart extends LayerChart<typeof ingestionSliceSchema> {
  constructor(scope: Construct, id: string, props: IngestionLayerProps) {
    super(ingestionLayer, scope, id, props);
  }
}

// The AI layer: local models behind one in-cluster gateway (contract.ts). No services yet; they join here.
// Its cdk8s style is here (`new AiChart(app, id, props)`); its Pulumi style, from the same props, is
// `new AiLayer(name, props, opts)` in resource.ts, kept apart so the offline render never loads Pulumi.
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { LayerChart } from '../platform/layer-chart';
import type { LayerDefinition, LayerProps } from '../platform/platform';
import { aiSliceSchema } from './schema';

export const aiLayer: LayerDefinition<typeof aiSliceSchema> = {
  placement: 'ai',
  schema: aiSliceSchema,
  services: [],
};

export type AiLayerProps = LayerProps<z.infer<typeof aiSliceSchema>>;

export class AiChart extends LayerChart<typeof aiSliceSchema> {
  constructor(scope: Construct, id: string, props: AiLayerProps) {
    super(aiLayer, scope, id, props);
  }
}

// The edge (cross-cutting): Traefik terminates TLS for every public host and routes it, asking the forward-auth provider first where a host says so.
// Its cdk8s style is here (`new EdgeChart(app, id, props)`); its Pulumi style, from the same props, is
// `new EdgeLayer(name, props, opts)` in resource.ts, kept apart so the offline render never loads Pulumi.
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { LayerChart } from '../platform/layer-chart';
import type { LayerDefinition, LayerProps } from '../platform/platform';
import { edgeSliceSchema } from './schema';
import { traefikDefinition } from './traefik/traefik';

export const edgeLayer: LayerDefinition<typeof edgeSliceSchema> = {
  placement: 'edge',
  schema: edgeSliceSchema,
  services: [traefikDefinition],
};

export type EdgeLayerProps = LayerProps<z.infer<typeof edgeSliceSchema>>;

export class EdgeChart extends LayerChart<typeof edgeSliceSchema> {
  constructor(scope: Construct, id: string, props: EdgeLayerProps) {
    super(edgeLayer, scope, id, props);
  }
}

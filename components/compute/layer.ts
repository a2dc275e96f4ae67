// The compute layer: Trino (federated SQL), Spark with Spark Connect and its history server, dbt Core.
// Its cdk8s style is here (`new ComputeChart(app, id, props)`); its Pulumi style, from the same props, is
// `new ComputeLayer(name, props, opts)` in resource.ts, kept apart so the offline render never loads Pulumi.
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { LayerChart } from '../platform/layer-chart';
import type { LayerDefinition, LayerProps } from '../platform/platform';
import { computeSliceSchema } from './schema';
import { dbtDefinition } from './dbt/dbt';
import { sparkDefinition } from './spark/spark';
import { sparkHistoryDefinition } from './spark-history/spark-history';
import { trinoDefinition } from './trino/trino';

export const computeLayer: LayerDefinition<typeof computeSliceSchema> = {
  placement: 'compute',
  schema: computeSliceSchema,
  services: [trinoDefinition, sparkDefinition, sparkHistoryDefinition, dbtDefinition],
};

export type ComputeLayerProps = LayerProps<z.infer<typeof computeSliceSchema>>;

export class ComputeChart extends LayerChart<typeof computeSliceSchema> {
  constructor(scope: Construct, id: string, props: ComputeLayerProps) {
    super(computeLayer, scope, id, props);
  }
}

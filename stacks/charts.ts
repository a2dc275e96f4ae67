// Every layer in the cdk8s style, by placement: what the offline render composes (no Pulumi loaded).
import type { Construct } from 'constructs';
import { AiChart, aiLayer } from '../components/ai/layer';
import { AnalyticsChart, analyticsLayer } from '../components/analytics/layer';
import { ComputeChart, computeLayer } from '../components/compute/layer';
import { EdgeChart, edgeLayer } from '../components/edge/layer';
import { GovernanceChart, governanceLayer } from '../components/governance/layer';
import { IngestionChart, ingestionLayer } from '../components/ingestion/layer';
import { ObservabilityChart, observabilityLayer } from '../components/observability/layer';
import type { LayerChart } from '../components/platform/layer-chart';
import type { Placement } from '../components/platform/layers';
import type { LayerDefinition, LayerProps } from '../components/platform/platform';
import { StorageChart, storageLayer } from '../components/storage/layer';

export const LAYER_CHARTS: Record<Placement, new (scope: Construct, id: string, props: LayerProps<any>) => LayerChart<any>> = {
  ingestion: IngestionChart,
  storage: StorageChart,
  compute: ComputeChart,
  ai: AiChart,
  analytics: AnalyticsChart,
  governance: GovernanceChart,
  edge: EdgeChart,
  observability: ObservabilityChart,
};

export const LAYER_DEFINITIONS: Record<Placement, LayerDefinition> = {
  ingestion: ingestionLayer,
  storage: storageLayer,
  compute: computeLayer,
  ai: aiLayer,
  analytics: analyticsLayer,
  governance: governanceLayer,
  edge: edgeLayer,
  observability: observabilityLayer,
};

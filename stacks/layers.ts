// Every layer in the Pulumi style, by placement: what the Pulumi entry composes.
import type * as pulumi from '@pulumi/pulumi';
import { AiLayer } from '../components/ai/resource';
import { AnalyticsLayer } from '../components/analytics/resource';
import { ComputeLayer } from '../components/compute/resource';
import { EdgeLayer } from '../components/edge/resource';
import { GovernanceLayer } from '../components/governance/resource';
import { IngestionLayer } from '../components/ingestion/resource';
import { ObservabilityLayer } from '../components/observability/resource';
import type { Placement } from '../components/platform/layers';
import type { LayerProps } from '../components/platform/platform';
import type { LayerResource } from '../components/platform/pulumi/layer-resource';
import { StorageLayer } from '../components/storage/resource';

export const LAYER_RESOURCES: Record<
  Placement,
  new (name: string, props: LayerProps<any>, opts?: pulumi.ComponentResourceOptions) => LayerResource<any>
> = {
  ingestion: IngestionLayer,
  storage: StorageLayer,
  compute: ComputeLayer,
  ai: AiLayer,
  analytics: AnalyticsLayer,
  governance: GovernanceLayer,
  edge: EdgeLayer,
  observability: ObservabilityLayer,
};

// The library: the platform object, the layer classes in both styles (Pulumi `…Layer`, cdk8s
// `…Chart`, typed by the same props), the config schema and types, and the compositions per
// environment. A program composes the layers it wants on one platform, then calls `platform.build()`.
export { Platform, PlatformError } from './components/platform/platform';
export type { BuiltLayer, LayerDefinition, LayerProps, PlatformOptions } from './components/platform/platform';
export { PlatformModelError } from './components/platform/build';
export type { PlatformBuild, BuiltService, BuiltNamespace } from './components/platform/build';
export { UndeclaredConnectionError } from './components/platform/context';
export type { ExternalService, ExternalServices } from './components/platform/graph';
export type { ServiceDeclaration, ServiceDefinition } from './components/platform/service';
export { LayerChart } from './components/platform/layer-chart';
export { LayerResource } from './components/platform/pulumi/layer-resource';

export { IngestionChart, ingestionLayer } from './components/ingestion/layer';
export { IngestionLayer } from './components/ingestion/resource';
export { StorageChart, storageLayer } from './components/storage/layer';
export { StorageLayer } from './components/storage/resource';
export { ComputeChart, computeLayer } from './components/compute/layer';
export { ComputeLayer } from './components/compute/resource';
export { AiChart, aiLayer } from './components/ai/layer';
export { AiLayer } from './components/ai/resource';
export { AnalyticsChart, analyticsLayer } from './components/analytics/layer';
export { AnalyticsLayer } from './components/analytics/resource';
export { GovernanceChart, governanceLayer } from './components/governance/layer';
export { GovernanceLayer } from './components/governance/resource';
export { EdgeChart, edgeLayer } from './components/edge/layer';
export { EdgeLayer } from './components/edge/resource';
export { ObservabilityChart, observabilityLayer } from './components/observability/layer';
export { ObservabilityLayer } from './components/observability/resource';
export type { IngestionLayerProps } from './components/ingestion/layer';
export type { StorageLayerProps } from './components/storage/layer';
export type { ComputeLayerProps } from './components/compute/layer';
export type { AiLayerProps } from './components/ai/layer';
export type { AnalyticsLayerProps } from './components/analytics/layer';
export type { GovernanceLayerProps } from './components/governance/layer';
export type { EdgeLayerProps } from './components/edge/layer';
export type { ObservabilityLayerProps } from './components/observability/layer';

export { platformConfigSchema, ENVIRONMENTS, SIZING_PROFILES } from './environments/schema';
export type { PlatformConfig, EnvironmentName, SizingProfile } from './environments/schema';
export { loadPlatformConfig, ConfigError, PROFILES } from './environments/load';
export { storageSliceSchema } from './components/storage/schema';
export type { StorageConfig } from './components/storage/schema';
export { computeSliceSchema } from './components/compute/schema';
export type { ComputeConfig } from './components/compute/schema';
export { governanceSliceSchema } from './components/governance/schema';
export { edgeSliceSchema } from './components/edge/schema';
export type { EdgeConfig } from './components/edge/schema';

export { COMPOSITIONS } from './stacks/compositions';
export { synthComposition } from './stacks/composition';
export type { Composition } from './stacks/composition';
export { deployPlatform } from './stacks/platform';
export { operatorSecretsOf } from './components/operator-secrets';

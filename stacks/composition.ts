// A composition: the layers one environment runs and the files it needs beside the manifests. The
// Pulumi entry (Pulumi style) and the offline render (cdk8s style) pick the config's environment's.
import { App } from 'cdk8s';
import type { EnvironmentName, PlatformConfig } from '../environments/schema';
import type { PlatformBuild } from '../components/platform/build';
import type { LayerChart } from '../components/platform/layer-chart';
import type { Placement } from '../components/platform/layers';
import { Platform, PlatformOptions } from '../components/platform/platform';
import { LAYER_CHARTS } from './charts';

export interface Composition {
  environment: EnvironmentName;
  /** The environment's layers, in data-flow order. */
  layers: Placement[];
  /** Files an environment needs beside its manifests (k3d's cluster config). */
  extras(build: PlatformBuild): Record<string, string>;
}

/** The cdk8s style: one Chart per layer in a new App, the platform built; render writes what they hold. */
export function synthComposition(
  composition: Composition,
  config: PlatformConfig,
  options: PlatformOptions = {},
): { app: App; charts: LayerChart<any>[]; build: PlatformBuild } {
  const app = new App();
  const platform = new Platform(config, options);
  const charts = composition.layers.map((placement) => new LAYER_CHARTS[placement](app, placement, { platform }));
  return { app, charts, build: platform.build() };
}

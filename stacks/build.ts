// The whole platform of one config without Pulumi: its environment's composition as cdk8s charts.
import type { PlatformBuild } from '../components/platform/build';
import type { PlatformOptions } from '../components/platform/platform';
import type { PlatformConfig } from '../environments/schema';
import { synthComposition } from './composition';
import { COMPOSITIONS } from './compositions';

export function buildPlatform(config: PlatformConfig, options: PlatformOptions = {}): PlatformBuild {
  return synthComposition(COMPOSITIONS[config.environment], config, options).build;
}

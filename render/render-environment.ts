// One environment from config to files: load and validate the config, read the image lock when
// digests are pinned, compose the environment's layers as cdk8s charts, write what they hold.
import * as path from 'node:path';
import { readImageLock } from '../components/images';
import { loadPlatformConfig, overridesForEnvironment } from '../environments/load';
import type { PlatformConfig } from '../environments/schema';
import { synthComposition } from '../stacks/composition';
import { COMPOSITIONS } from '../stacks/compositions';
import { humanSummary as describe } from './summary';
import { writeRender, RenderResult } from './write';

export function loadEnvironment(environment: string, stackFile?: string): PlatformConfig {
  const { overrides, source } = overridesForEnvironment(environment, stackFile);
  return loadPlatformConfig(overrides, source);
}

export function renderEnvironment(environment: string, outDir: string, stackFile?: string): RenderResult & { humanSummary: string } {
  const config = loadEnvironment(environment, stackFile);
  const lock = config.images.digestPinning ? readImageLock(path.resolve(config.images.lockFile!)) : undefined;
  const composition = COMPOSITIONS[config.environment];
  const { build } = synthComposition(composition, config, { lock });
  const result = writeRender(build, outDir, composition.extras(build));
  return { ...result, humanSummary: describe(result.summary, outDir) };
}

// One environment from config to files: load and validate the config, read the image lock when
// digests are pinned, build the model, write the render.
import * as path from 'node:path';
import { buildPlatform } from '../components/platform/build';
import { readImageLock } from '../components/images';
import { loadPlatformConfig, overridesForEnvironment } from '../environments/load';
import type { PlatformConfig } from '../environments/schema';
import { environmentExtras } from './environment-extras';
import { humanSummary as describe } from './summary';
import { writeRender, RenderResult } from './write';

export function loadEnvironment(environment: string, stackFile?: string): PlatformConfig {
  const { overrides, source } = overridesForEnvironment(environment, stackFile);
  return loadPlatformConfig(overrides, source);
}

export function renderEnvironment(environment: string, outDir: string, stackFile?: string): RenderResult & { humanSummary: string } {
  const config = loadEnvironment(environment, stackFile);
  const lock = config.images.digestPinning ? readImageLock(path.resolve(config.images.lockFile!)) : undefined;
  const build = buildPlatform(config, { lock });
  const result = writeRender(build, outDir, environmentExtras(build));
  return { ...result, humanSummary: describe(result.summary, outDir) };
}

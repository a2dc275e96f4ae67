// One environment from config to files: load and validate the config, read the image lock when
// digests are pinned, compose the environment's layers as cdk8s charts, hold a k3d platform to the
// laptop budget, write what they hold.
import * as path from 'node:path';
import { readImageLock } from '../components/images';
import { loadPlatformConfig, overridesForEnvironment } from '../environments/load';
import type { PlatformConfig } from '../environments/schema';
import { synthComposition } from '../stacks/composition';
import { COMPOSITIONS } from '../stacks/compositions';
import { assertLaptopBudget, LAPTOP_BUDGET, overLaptopBudget } from './budget';
import { footprintLines, offFootprints } from './footprint';
import { humanSummary as describe } from './summary';
import { writeRender, RenderOptions, RenderResult } from './write';

export function loadEnvironment(environment: string, stackFile?: string): PlatformConfig {
  const { overrides, source } = overridesForEnvironment(environment, stackFile);
  return loadPlatformConfig(overrides, source);
}

const GiB = 2 ** 30;

export function renderEnvironment(
  environment: string,
  outDir: string,
  stackFile?: string,
  options: RenderOptions = {},
): RenderResult & { humanSummary: string } {
  const config = loadEnvironment(environment, stackFile);
  const lock = config.images.digestPinning ? readImageLock(path.resolve(config.images.lockFile!)) : undefined;
  const composition = COMPOSITIONS[config.environment];
  const { build } = synthComposition(composition, config, { lock });
  assertLaptopBudget(build);
  const result = writeRender(build, outDir, composition.extras(build), options);
  const notes: string[] = [];
  if (overLaptopBudget(build).length)
    notes.push(
      `  budget:        over the laptop budget (${LAPTOP_BUDGET.requests / GiB} GiB requests, ${LAPTOP_BUDGET.limits / GiB} GiB limits), allowed by k3d.allowOverBudget`,
    );
  if (result.unusedSecrets.length)
    notes.push(
      options.prune
        ? `  pruned:        ${result.unusedSecrets.length} stored secret value(s) no enabled service uses`
        : `  kept:          ${result.unusedSecrets.length} stored secret value(s) of services now off, for when they are on again (--prune-secrets drops them)`,
    );
  // Heavy services left off (OpenMetadata on k3d): what turning each on adds, measured on the same config.
  const off = footprintLines(
    config.environment,
    offFootprints(config, (on) => synthComposition(composition, on, { lock }).build),
  );
  return { ...result, humanSummary: [describe(result.summary, outDir, off), ...notes].join('\n') };
}

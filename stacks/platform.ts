// The Pulumi program: validate the stack config, make the platform object, add the layers of the
// stack's environment (its composition) and build. Stack outputs are the public URLs, namespaces,
// Secret names and, for self-signed TLS, the CA certificate.
import * as path from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { readImageLock } from '../components/images';
import { Platform } from '../components/platform/platform';
import { publicHostName } from '../components/platform/routes';
import { configEntriesToOverrides, loadPlatformConfig } from '../environments/load';
import { assertLaptopBudget } from '../render/budget';
import { synthComposition } from './composition';
import { COMPOSITIONS } from './compositions';
import { LAYER_RESOURCES } from './layers';

/** Stack config values arrive as strings; structured ones as JSON. */
function parseConfigValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function stackConfigOverrides(): Record<string, unknown> {
  const entries = Object.entries(pulumi.runtime.allConfig()).map(([key, raw]): [string, unknown] => [key, parseConfigValue(raw)]);
  return configEntriesToOverrides(entries, `stack "${pulumi.getStack()}"`);
}

export interface PlatformOutputs {
  environment: string;
  urls: Record<string, string>;
  namespaces: string[];
  secrets: pulumi.Output<string[]>;
  caCertificate?: pulumi.Output<string>;
}

export function deployPlatform(overrides = stackConfigOverrides()): PlatformOutputs {
  // Every check runs before the first resource is registered: bad config creates nothing.
  const config = loadPlatformConfig(overrides, `stack "${pulumi.getStack()}"`);
  const lock = config.images.digestPinning ? readImageLock(path.resolve(config.images.lockFile!)) : undefined;
  const composition = COMPOSITIONS[config.environment];
  // The whole model is built once without Pulumi first: an inconsistent one fails here, before any
  // resource (even the provider or a layer component) is registered. A k3d platform over the
  // laptop budget stops here too (k3d.allowOverBudget lets it through).
  assertLaptopBudget(synthComposition(composition, config, { lock }).build);
  const platform = new Platform(config, { lock });
  const provider = new k8s.Provider('kubernetes', { enableServerSideApply: true });
  const layers = composition.layers.map((placement) => new LAYER_RESOURCES[placement](placement, { platform }, { provider }));
  const build = platform.build();

  const urls: Record<string, string> = {};
  for (const s of build.services)
    if (s.declaration.publicHost) urls[s.declaration.name] = `https://${publicHostName(s.declaration.publicHost, config.domain)}`;
  return {
    environment: config.environment,
    urls,
    namespaces: build.namespaces.map((n) => n.name),
    secrets: pulumi.output(layers.flatMap((l) => l.secretNames)),
    caCertificate: layers.find((l) => l.caCertificate)?.caCertificate,
  };
}

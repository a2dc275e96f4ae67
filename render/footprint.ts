// Heavy optional services an environment leaves off, and what turning each on would add: render
// prints it, so a laptop user sees the cost of a switch before flipping it. The footprint is
// measured, not declared: the same config with the switch on is built and its services summed.
import type { PlatformBuild } from '../components/platform/build';
import type { PlatformConfig } from '../environments/schema';
import { Resources, serviceResources } from './summary';

export interface OptionalService {
  /** As a person reads it. */
  label: string;
  /** The config key that turns it on. */
  setting: string;
  /** The services the switch runs. */
  services: string[];
  enabled(config: PlatformConfig): boolean;
  turnedOn(config: PlatformConfig): PlatformConfig;
}

export const OPTIONAL_SERVICES: OptionalService[] = [
  {
    label: 'OpenMetadata (+OpenSearch)',
    setting: 'governance.openmetadata.enabled',
    services: ['openmetadata', 'opensearch'],
    enabled: (config) => config.governance.openmetadata.enabled,
    turnedOn: (config) => ({
      ...config,
      governance: { ...config.governance, openmetadata: { ...config.governance.openmetadata, enabled: true } },
    }),
  },
];

export interface OffFootprint {
  label: string;
  setting: string;
  requests: Resources;
  limits: Resources;
}

/** Every optional service off in this config, with the requests and limits its services would add. */
export function offFootprints(config: PlatformConfig, build: (config: PlatformConfig) => PlatformBuild): OffFootprint[] {
  return OPTIONAL_SERVICES.filter((o) => !o.enabled(config)).map((o) => {
    const on = build(o.turnedOn(config)).services.filter((s) => o.services.includes(s.declaration.name));
    const add = (kind: 'requests' | 'limits'): Resources =>
      on
        .map((s) => serviceResources(s)[kind])
        .reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
    return { label: o.label, setting: o.setting, requests: add('requests'), limits: add('limits') };
  });
}

const GiB = 2 ** 30;

/** One line per switch that is off: what turning it on adds. */
export function footprintLines(environment: string, off: OffFootprint[]): string[] {
  return off.map(
    (o) =>
      `  optional:      ${o.label} is off on ${environment}; turning it on adds ${(o.requests.cpu / 1000).toFixed(2)} CPU / ` +
      `${(o.requests.memory / GiB).toFixed(2)} GiB requests (limits ${(o.limits.memory / GiB).toFixed(2)} GiB): set ${o.setting}: true`,
  );
}

// What render prints about heavy optional services left off: OpenMetadata with its OpenSearch is
// off on k3d, and the summary says what turning it on adds, measured on the same config.
import { tempDir } from '../helpers/temp-dirs';
import { footprintLines, offFootprints } from '../../render/footprint';
import { renderEnvironment } from '../../render/render-environment';
import { serviceResources } from '../../render/summary';
import { buildFor, configFor } from '../helpers/build';
import { buildPlatform } from '../../stacks/build';

const GiB = 2 ** 30;

describe('the footprint of optional services', () => {
  it('is off on k3d and on elsewhere, OpenMetadata and OpenSearch together', () => {
    expect(configFor('k3d').governance.openmetadata.enabled).toBe(false);
    const names = (env: string, extra = {}) => buildFor(env, extra).services.map((s) => s.declaration.name);
    expect(names('k3d')).not.toEqual(expect.arrayContaining(['openmetadata']));
    expect(names('k3d')).not.toEqual(expect.arrayContaining(['opensearch']));
    expect(names('eks')).toEqual(expect.arrayContaining(['openmetadata', 'opensearch']));
    expect(names('k3d', { governance: { openmetadata: { enabled: true } } })).toEqual(
      expect.arrayContaining(['openmetadata', 'opensearch']),
    );
  });

  it('adds what the two services request when built on the same config', () => {
    const [off] = offFootprints(configFor('k3d'), buildPlatform);
    const on = buildFor('k3d', { governance: { openmetadata: { enabled: true } } }).services.filter((s) =>
      ['openmetadata', 'opensearch'].includes(s.declaration.name),
    );
    const sum = (kind: 'requests' | 'limits', what: 'cpu' | 'memory') => on.reduce((n, s) => n + serviceResources(s)[kind][what], 0);
    expect(off).toEqual({
      label: 'OpenMetadata (+OpenSearch)',
      setting: 'governance.openmetadata.enabled',
      requests: { cpu: sum('requests', 'cpu'), memory: sum('requests', 'memory') },
      limits: { cpu: sum('limits', 'cpu'), memory: sum('limits', 'memory') },
    });
    expect(off.requests.memory).toBeGreaterThan(0);
    expect(offFootprints(configFor('eks'), buildPlatform)).toEqual([]);
  });

  it('is printed by render on k3d, with its CPU and GiB', () => {
    const out = tempDir('render-footprint-');
    const { humanSummary } = renderEnvironment('k3d', out);
    const [off] = offFootprints(configFor('k3d'), buildPlatform);
    const cpu = (off.requests.cpu / 1000).toFixed(2);
    const gib = (off.requests.memory / GiB).toFixed(2);
    expect(humanSummary).toContain(`OpenMetadata (+OpenSearch) is off on k3d; turning it on adds ${cpu} CPU / ${gib} GiB requests`);
    expect(footprintLines('k3d', [off])[0]).toContain('set governance.openmetadata.enabled: true');
  });
});

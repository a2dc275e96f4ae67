import { CATALOG_KEYS } from '../../../../components/compute/trino/catalog-keys';
import { aiCatalog, icebergCatalog } from '../../../../components/compute/trino/catalogs';
import { HEAP_SHARE_RANGE, MIN_NON_HEAP_MIB, nodeMemory } from '../../../../components/compute/trino/memory';
import { parseProperties, renderProperties, UndocumentedPropertyError } from '../../../../components/compute/trino/properties';
import { SERVER_FILE_KEYS } from '../../../../components/compute/trino/server-keys';
import type { PlatformBuild } from '../../../../components/platform/build';
import { memoryToBytes } from '../../../../components/platform/quantity';
import { ConfigError } from '../../../../environments/load';
import { SIZING_PROFILES } from '../../../../environments/schema';
import { buildFor, configFor, containerOf, find, objectsOf } from '../../../helpers/build';

/** MB as Trino reads it (2^20 bytes), back to MiB. */
const mib = (size: string): number => {
  const m = /^(\d+)MB$/.exec(size);
  if (!m) throw new Error(`not a MB data size: ${size}`);
  return Number(m[1]);
};

interface Node {
  containerMiB: number;
  heapMiB: number;
  codeCacheMiB: number;
  config: Record<string, string>;
}

/** Reads one node's memory back from its Deployment and generated files. */
function node(b: PlatformBuild, component: 'coordinator' | 'worker'): Node {
  const objects = objectsOf(b, 'trino');
  const files = find(objects, 'ConfigMap', `trino-${component}-config`).data;
  const jvm: string[] = files['jvm.config'].split('\n');
  const flag = (prefix: string) => Number(/(\d+)M$/.exec(jvm.find((l) => l.startsWith(prefix))!)![1]);
  const limit = containerOf(find(objects, 'Deployment', `trino-${component}`), 'trino').resources.limits.memory;
  return {
    containerMiB: memoryToBytes(limit) / 2 ** 20,
    heapMiB: flag('-Xmx'),
    codeCacheMiB: flag('-XX:ReservedCodeCacheSize='),
    config: parseProperties(files['config.properties']),
  };
}

describe.each(SIZING_PROFILES)('Trino memory on the %s profile', (sizing) => {
  const environment = sizing === 'small' ? 'k3d' : sizing === 'medium' ? 'airgapped' : 'eks';
  const b = buildFor(environment);
  const nodes = sizing === 'small' ? [node(b, 'coordinator')] : [node(b, 'coordinator'), node(b, 'worker')];

  it.each(nodes.map((n, i) => [i === 0 ? 'coordinator' : 'worker', n] as const))(
    '%s: -Xmx is 70-85%% of the container limit and the rest holds the code cache and as much again',
    (_, n) => {
      expect(n.heapMiB / n.containerMiB).toBeGreaterThanOrEqual(HEAP_SHARE_RANGE.min);
      expect(n.heapMiB / n.containerMiB).toBeLessThanOrEqual(HEAP_SHARE_RANGE.max);
      expect(n.containerMiB - n.heapMiB).toBeGreaterThanOrEqual(Math.max(MIN_NON_HEAP_MIB, 2 * n.codeCacheMiB));
    },
  );

  it.each(nodes.map((n, i) => [i === 0 ? 'coordinator' : 'worker', n] as const))(
    '%s: query.max-memory-per-node + memory.heap-headroom-per-node stay below the heap',
    (_, n) => {
      const used = mib(n.config['query.max-memory-per-node']) + mib(n.config['memory.heap-headroom-per-node']);
      expect(used).toBeLessThan(n.heapMiB);
    },
  );

  it('query.max-total-memory exceeds query.max-memory, which the task nodes hold at the smallest cluster size', () => {
    const taskNode = nodes[nodes.length - 1];
    const taskNodes = sizing === 'small' ? 1 : b.config.compute.trino.workers.min;
    for (const n of nodes) {
      expect(mib(n.config['query.max-total-memory'])).toBeGreaterThan(mib(n.config['query.max-memory']));
      expect(mib(n.config['query.max-memory'])).toBe(mib(taskNode.config['query.max-memory-per-node']) * taskNodes);
      expect(mib(n.config['query.max-memory'])).toBeGreaterThanOrEqual(mib(taskNode.config['query.max-memory-per-node']));
    }
  });

  it('requests the memory it limits: the heap is fixed, not elastic', () => {
    const deployment = find(objectsOf(b, 'trino'), 'Deployment', 'trino-coordinator');
    const { requests, limits } = containerOf(deployment, 'trino').resources;
    expect(requests.memory).toBe(limits.memory);
  });
});

describe('Trino memory derivation', () => {
  it('holds the invariants for any container from the documented floor up', () => {
    for (const limit of ['1707Mi', '2Gi', '3Gi', '5Gi', '6Gi', '12Gi', '24Gi', '64Gi']) {
      const m = nodeMemory(limit);
      expect(m.heapMiB / m.containerMiB).toBeGreaterThanOrEqual(0.7);
      expect(m.heapMiB / m.containerMiB).toBeLessThanOrEqual(0.85);
      expect(m.maxMemoryPerNodeMiB + m.heapHeadroomMiB).toBeLessThan(m.heapMiB);
      expect(m.containerMiB - m.heapMiB).toBeGreaterThanOrEqual(2 * m.codeCacheMiB);
    }
  });

  it('refuses a container too small for a 70% heap and the off-heap floor, naming the limit and the minimum', () => {
    expect(() => nodeMemory('1600Mi')).toThrow(/a node with 1600Mi of memory .* give it at least 1707Mi/);
  });
});

describe('Trino properties are checked against the documented keys', () => {
  it('throws on a misspelt catalog key, naming it and the documented key it resembles', () => {
    expect(() =>
      renderProperties('catalog iceberg', CATALOG_KEYS.iceberg, [['iceberg.rest-catalog.oauth2.scopes', 'PRINCIPAL_ROLE:ALL']]),
    ).toThrow(
      /catalog iceberg: "iceberg\.rest-catalog\.oauth2\.scopes" is not a documented property \(did you mean "iceberg\.rest-catalog\.oauth2\.scope"\?\)/,
    );
    expect(() => renderProperties('catalog iceberg', CATALOG_KEYS.iceberg, [['fs.native-s3.enabled', true]])).toThrow(
      UndocumentedPropertyError,
    );
    expect(() => renderProperties('catalog postgresql', CATALOG_KEYS.postgresql, [['connection-pasword', 'x']])).toThrow(
      /did you mean "connection-password"/,
    );
    expect(() => renderProperties('catalog ai', CATALOG_KEYS.ai, [['ai.openai.apikey', 'x']])).toThrow(/did you mean "ai.openai.api-key"/);
  });

  it('names the documentation the list came from', () => {
    expect(() =>
      renderProperties('access-control.properties', SERVER_FILE_KEYS.opaAccessControl, [['opa.policy.row-filter-uri', 'x']]),
    ).toThrow(/https:\/\/trino\.io\/docs\/483\/security\/opa-access-control\.html/);
  });

  it('refuses a key set twice and a value spanning lines', () => {
    const keys = CATALOG_KEYS.postgresql;
    expect(() =>
      renderProperties('f', keys, [
        ['connection-user', 'a'],
        ['connection-user', 'b'],
      ]),
    ).toThrow(/"connection-user" is set twice/);
    expect(() => renderProperties('f', keys, [['connection-user', 'a\nconnection-password=b']])).toThrow(/spans lines/);
  });

  it('writes the generated catalogs from documented keys only', () => {
    const plan = {
      realm: 'R',
      catalog: 'c',
      bucket: 'p-c',
      namespaces: ['n'],
      s3: { endpoint: 'http://s3:8333', region: 'us-east-1', pathStyle: true },
    };
    for (const key of Object.keys(parseProperties(icebergCatalog({ plan, polarisUrl: 'http://polaris:8181' }))))
      expect(CATALOG_KEYS.iceberg.keys).toContain(key);
    const ai = aiCatalog({ endpoint: 'http://litellm:4000', model: 'chat', functions: { translate: 'mistral', fixGrammar: 'qwen' } });
    for (const key of Object.keys(parseProperties(ai))) expect(CATALOG_KEYS.ai.keys).toContain(key);
  });

  it('writes every server file of every profile from documented keys', () => {
    for (const b of [buildFor('k3d'), buildFor('eks')])
      for (const map of objectsOf(b, 'trino').filter((o) => o.kind === 'ConfigMap')) {
        const data = (map as any).data as Record<string, string>;
        const config = data['config.properties'];
        if (config) for (const key of Object.keys(parseProperties(config))) expect(SERVER_FILE_KEYS.config.keys).toContain(key);
      }
  });
});

describe('Trino stack config', () => {
  it('refuses worker bounds where max is below min, naming the key', () => {
    expect(() => configFor('eks', { compute: { trino: { workers: { min: 4, max: 2 } } } })).toThrow(ConfigError);
    expect(() => configFor('eks', { compute: { trino: { workers: { min: 4, max: 2 } } } })).toThrow(
      /compute\.trino\.workers\.max.*at least workers\.min \(4\)/,
    );
  });

  it('refuses an unknown AI function override', () => {
    expect(() => configFor('k3d', { compute: { trino: { ai: { functions: { summarize: 'chat' } } } } })).toThrow(
      /compute\.trino\.ai\.functions\.summarize: unknown key/,
    );
  });
});

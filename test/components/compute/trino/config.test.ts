import { CATALOG_KEYS } from '../../../../components/compute/trino/catalog-keys';
import { HEAP_SHARE_RANGE, MIN_NON_HEAP_MIB, nodeMemory } from '../../../../components/compute/trino/memory';
import { parseProperties, renderProperties, UndocumentedPropertyError } from '../../../../components/compute/trino/properties';
import { SERVER_FILE_KEYS } from '../../../../components/compute/trino/server-keys';
import type { PlatformBuild } from '../../../../components/platform/build';
import { memoryToBytes } from '../../../../components/platform/quantity';
import { ConfigError } from '../../../../environments/load';
import { SIZING_PROFILES } from '../../../../environments/schema';
import {
  buildFor,
  configFor,
  containerOf,
  ENVIRONMENT_OVERRIDES,
  ENVIRONMENTS,
  find,
  objectsOf,
  SERVICE_DEFINITIONS,
} from '../../../helpers/build';
import { testLlmGateway } from '../../../helpers/llm-gateway';
import { IMAGE_CATALOGUE } from '../../../../components/images';
import * as fs from 'node:fs';
import * as path from 'node:path';

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
});

/** Trino 483's documentation of each catalog property the platform sets, per connector (test/fixtures/README.md). */
const DOCUMENTED: { trino: string; connectors: Record<string, Record<string, { doc: string; documents: string }>> } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../fixtures/trino-483-catalog-keys.json'), 'utf8'),
);

/** Every properties file of Trino's ConfigMaps, by environment, with the AI functions on and every function's model overridden. */
function renderedPropertiesFiles(): { environment: string; configMap: string; file: string; properties: Record<string, string> }[] {
  const everyFunction = {
    analyzeSentiment: 'm1',
    classify: 'm2',
    extract: 'm3',
    fixGrammar: 'm4',
    generate: 'm5',
    mask: 'm6',
    translate: 'm7',
  };
  return ENVIRONMENTS.flatMap((environment) => {
    const compute = {
      ...(ENVIRONMENT_OVERRIDES[environment].compute as object),
      trino: { ai: { model: 'chat', functions: everyFunction } },
    };
    const b = buildFor(environment, { compute }, [...SERVICE_DEFINITIONS, testLlmGateway]);
    return objectsOf(b, 'trino')
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((o) =>
        Object.entries((o as any).data as Record<string, string>)
          .filter(([file]) => file.endsWith('.properties'))
          .map(([file, text]) => ({ environment, configMap: o.metadata.name, file, properties: parseProperties(text) })),
      );
  });
}

const DOC_URL = /^https:\/\/trino\.io\/docs\/483\/[a-z0-9/-]+\.html(#[a-z0-9-]+)?$/;
const RENDERED = renderedPropertiesFiles();

describe('Trino catalogs, judged against the Trino 483 documentation (test/fixtures/trino-483-catalog-keys.json)', () => {
  const catalogs = RENDERED.filter((f) => f.configMap === 'trino-catalog-properties').map((f) => ({
    where: `${f.environment} ${f.file}`,
    properties: f.properties,
  }));

  it('holds the documentation of the Trino the platform runs, each key with its 483 page', () => {
    expect(`trino:${IMAGE_CATALOGUE.trino.tag}`).toBe(`trino:${DOCUMENTED.trino}`);
    for (const [connector, keys] of Object.entries(DOCUMENTED.connectors))
      for (const [key, { doc }] of Object.entries(keys))
        expect({ connector, key, doc }).toEqual({
          connector,
          key,
          doc: expect.stringMatching(DOC_URL),
        });
  });

  it('renders the Iceberg, PostgreSQL and AI catalogs in every environment', () => {
    for (const environment of ENVIRONMENTS)
      expect(
        catalogs
          .filter((c) => c.where.startsWith(`${environment} `))
          .map((c) => c.properties['connector.name'])
          .sort(),
      ).toEqual(['ai', 'iceberg', 'postgresql']);
  });

  it('sets in each catalog only keys Trino 483 documents for its connector', () => {
    const undocumented = catalogs.flatMap(({ where, properties }) =>
      Object.keys(properties)
        .filter((key) => !DOCUMENTED.connectors[properties['connector.name']]?.[key])
        .map((key) => `${where} (connector ${properties['connector.name']}): ${key}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('documents only keys some catalog sets, so the list stays the one the renderer needs', () => {
    const set = new Set(catalogs.flatMap(({ properties }) => Object.keys(properties).map((k) => `${properties['connector.name']}: ${k}`)));
    const unused = Object.entries(DOCUMENTED.connectors).flatMap(([connector, keys]) =>
      Object.keys(keys)
        .map((key) => `${connector}: ${key}`)
        .filter((k) => !set.has(k)),
    );
    expect(unused).toEqual([]);
  });
});

/** Trino 483's documentation of each server-file property the platform sets, per file (test/fixtures/README.md). */
const SERVER_DOCUMENTED: { trino: string; files: Record<string, Record<string, { doc: string; documents: string }>> } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../fixtures/trino-483-server-keys.json'), 'utf8'),
);

describe('Trino server files, judged against the Trino 483 documentation (test/fixtures/trino-483-server-keys.json)', () => {
  /** Access control files are documented by their access-control.name; log.properties holds logger levels, not properties. */
  const serverFiles = RENDERED.filter((f) => f.configMap !== 'trino-catalog-properties' && f.file !== 'log.properties').map((f) => ({
    where: `${f.environment} ${f.configMap}/${f.file}`,
    section: f.properties['access-control.name'] ? `${f.file} ${f.properties['access-control.name']}` : f.file,
    properties: f.properties,
  }));

  it('holds the documentation of the Trino the platform runs, each key with its 483 page', () => {
    expect(`trino:${IMAGE_CATALOGUE.trino.tag}`).toBe(`trino:${SERVER_DOCUMENTED.trino}`);
    for (const [file, keys] of Object.entries(SERVER_DOCUMENTED.files))
      for (const [key, { doc }] of Object.entries(keys))
        expect({ file, key, doc }).toEqual({ file, key, doc: expect.stringMatching(DOC_URL) });
  });

  it('renders the node, config, access control (OPA, file) and group provider files', () => {
    expect([...new Set(serverFiles.map((f) => f.section))].sort()).toEqual([
      'access-control.properties file',
      'access-control.properties opa',
      'config.properties',
      'group-provider.properties',
      'node.properties',
    ]);
  });

  it('sets in each server file only keys Trino 483 documents for that file', () => {
    const undocumented = serverFiles.flatMap(({ where, section, properties }) =>
      Object.keys(properties)
        .filter((key) => !SERVER_DOCUMENTED.files[section]?.[key])
        .map((key) => `${where} (${section}): ${key}`),
    );
    expect([...new Set(undocumented)]).toEqual([]);
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

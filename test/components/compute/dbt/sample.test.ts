// The bundled sample dbt project is a small valid project: its YAML parses, its layers land in
// the lakehouse namespaces, every source()/ref() resolves, the raw sources have seed data with
// the columns the staging models read, and every model has its documented tests.
import { parse } from 'yaml';
import { configMapKey, sampleProjectFiles } from '../../../../components/compute/dbt/config';
import { loadPlatformConfig } from '../../../../environments/load';

const files = sampleProjectFiles();
const project = parse(files['dbt_project.yml']);
const models = Object.keys(files).filter((f) => f.startsWith('models/') && f.endsWith('.sql'));
const modelName = (file: string) =>
  file
    .split('/')
    .pop()!
    .replace(/\.sql$/, '');
const schemaFiles = Object.keys(files)
  .filter((f) => f.startsWith('models/') && f.endsWith('.yml'))
  .map((f) => parse(files[f]));
const sources = schemaFiles.flatMap((s) => s.sources ?? []);
const documented = schemaFiles.flatMap((s) => s.models ?? []);
const seeds = Object.keys(files).filter((f) => f.startsWith('seeds/') && f.endsWith('.csv'));
const csvHeader = (file: string) => files[file].split('\n')[0].split(',');

describe('the sample dbt project', () => {
  it('holds a project file, staging and mart models with their schema files, seeds and the schema-name macro', () => {
    expect(Object.keys(files).sort()).toEqual([
      'dbt_project.yml',
      'macros/generate_schema_name.sql',
      'models/marts/customer_revenue.sql',
      'models/marts/daily_revenue.sql',
      'models/marts/schema.yml',
      'models/staging/schema.yml',
      'models/staging/stg_customers.sql',
      'models/staging/stg_orders.sql',
      'seeds/customers.csv',
      'seeds/orders.csv',
    ]);
    expect(project).toMatchObject({ name: 'platform_sample', 'config-version': 2, profile: 'platform' });
  });

  it('puts seeds, staging models and marts in the Polaris namespaces raw, staging and curated, as tables', () => {
    const namespaces = loadPlatformConfig({ environment: 'k3d' }).polaris.namespaces;
    const seedSchema = project.seeds.platform_sample['+schema'];
    const { staging, marts } = project.models.platform_sample;
    expect([seedSchema, staging['+schema'], marts['+schema']]).toEqual(['raw', 'staging', 'curated']);
    for (const schema of [seedSchema, staging['+schema'], marts['+schema']]) expect(namespaces).toContain(schema);
    expect([staging['+materialized'], marts['+materialized']]).toEqual(['table', 'table']);
    // dbt would otherwise name them <target schema>_<custom schema>.
    expect(files['macros/generate_schema_name.sql']).toMatch(/macro generate_schema_name\(custom_schema_name, node\)/);
  });

  it('resolves every source() to a declared source table that a seed fills, with the columns the model reads', () => {
    for (const file of models) {
      for (const [, source, table] of files[file].matchAll(/source\('(\w+)', '(\w+)'\)/g)) {
        const declared = sources.find((s) => s.name === source);
        expect({ file, source, declared: Boolean(declared) }).toEqual({ file, source, declared: true });
        expect(declared.tables.map((t: any) => t.name)).toContain(table);
        expect(declared.schema).toBe(project.seeds.platform_sample['+schema']);
        const seed = `seeds/${table}.csv`;
        expect(seeds).toContain(seed);
        const read = [...files[file].matchAll(/cast\((\w+) as|(?:trim|upper|lower)\((\w+)\)/g)].map((m) => m[1] ?? m[2]);
        for (const column of read)
          expect({ file, column, inSeed: csvHeader(seed).includes(column) }).toEqual({ file, column, inSeed: true });
      }
    }
  });

  it('resolves every ref() to a model of the project, staging before marts', () => {
    const names = models.map(modelName);
    for (const file of models) {
      const refs = [...files[file].matchAll(/ref\('(\w+)'\)/g)].map((m) => m[1]);
      for (const ref of refs) expect(names).toContain(ref);
      if (file.startsWith('models/staging/')) expect(refs).toEqual([]);
      if (file.startsWith('models/marts/')) expect(refs.every((r) => r.startsWith('stg_'))).toBe(true);
    }
  });

  it('documents and tests every model, and only models that exist', () => {
    expect(documented.map((m) => m.name).sort()).toEqual(models.map(modelName).sort());
    for (const model of documented) {
      const tested = model.columns.filter((c: any) => (c.data_tests ?? []).includes('unique'));
      expect({ model: model.name, keyTested: tested.length > 0 }).toEqual({ model: model.name, keyTested: true });
    }
  });

  it('keeps seed files rectangular, ids unique, and orders pointing at existing customers', () => {
    const rows = (file: string) =>
      files[file]
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
    for (const seed of seeds) for (const row of rows(seed)) expect(row.length).toBe(csvHeader(seed).length);
    const customers = rows('seeds/customers.csv').map((r) => r[0]);
    const orders = rows('seeds/orders.csv');
    expect(new Set(customers).size).toBe(customers.length);
    expect(new Set(orders.map((r) => r[0])).size).toBe(orders.length);
    for (const order of orders) expect(customers).toContain(order[1]);
  });

  it('maps each file to a valid, unique ConfigMap key', () => {
    const keys = Object.keys(files).map(configMapKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[-._a-zA-Z0-9]{1,253}$/);
  });
});

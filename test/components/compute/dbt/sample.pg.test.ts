// The sample project's SQL run on a real SQL engine the way dbt runs it: seeds loaded into `raw`,
// staging then mart models created as tables from their compiled SQL, then the schema tests.
// PostgreSQL stands in for Trino: the models use only ANSI SQL both engines accept (casts,
// trim/upper/lower, joins, aggregates), so an error or a wrong number here is one on Trino too.
import { parse } from 'yaml';
import { sampleProjectFiles } from '../../../../components/compute/dbt/config';
import { describeWithPostgres, PostgresServer, startPostgres } from '../../../support/postgres-server';

const files = sampleProjectFiles();
const project = parse(files['dbt_project.yml']);
const schemaOf = (file: string): string =>
  file.startsWith('models/staging/') ? project.models.platform_sample.staging['+schema'] : project.models.platform_sample.marts['+schema'];
const models = Object.keys(files)
  .filter((f) => f.startsWith('models/') && f.endsWith('.sql'))
  .sort((a, b) => Number(a.startsWith('models/marts/')) - Number(b.startsWith('models/marts/')));
const nameOf = (file: string) =>
  file
    .split('/')
    .pop()!
    .replace(/\.sql$/, '');
const relation = new Map(models.map((f) => [nameOf(f), `${schemaOf(f)}.${nameOf(f)}`]));

/** What dbt compiles: source() and ref() become relations (catalog omitted). */
const compile = (sql: string): string =>
  sql
    .replace(/\{\{\s*source\('(\w+)', '(\w+)'\)\s*\}\}/g, (_m, source: string, table: string) => `${source}.${table}`)
    .replace(/\{\{\s*ref\('(\w+)'\)\s*\}\}/g, (_m, model: string) => relation.get(model)!);

/** The column types dbt's seed loader infers from these CSVs (agate: integers, dates, decimals, text). */
const SEED_TABLES: Record<string, string> = {
  customers: 'id integer, name text, country text, signup_date date',
  orders: 'id integer, customer_id integer, ordered_at date, amount decimal(12, 2), status text',
};

const rows = (file: string) =>
  files[file]
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

describeWithPostgres('the sample dbt project on a SQL engine', () => {
  let pg: PostgresServer;
  const sql = (command: string) => {
    const result = pg.psql(['-q', '-d', 'postgres', '-tA', '-F', '|'], { input: command });
    if (result.status !== 0) throw new Error(`${result.stderr}\n--- while running ---\n${command}`);
    return result.stdout.trim();
  };

  beforeAll(async () => {
    pg = await startPostgres();
    sql('CREATE SCHEMA raw; CREATE SCHEMA staging; CREATE SCHEMA curated;');
    for (const [table, columns] of Object.entries(SEED_TABLES))
      sql(
        `CREATE TABLE raw.${table} (${columns});\nCOPY raw.${table} FROM STDIN WITH (FORMAT csv, HEADER true);\n${files[`seeds/${table}.csv`]}\\.\n`,
      );
    for (const model of models) sql(`CREATE TABLE ${relation.get(nameOf(model))} AS\n${compile(files[model])};`);
  });
  afterAll(() => pg?.stop());

  it('builds every model, staging then marts, into its namespace', () => {
    expect(
      sql(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('staging', 'curated') ORDER BY 1",
      ).split('\n'),
    ).toEqual(['curated.customer_revenue', 'curated.daily_revenue', 'staging.stg_customers', 'staging.stg_orders']);
  });

  it('passes every unique and not_null test the schema files declare', () => {
    const schemas = Object.keys(files)
      .filter((f) => f.startsWith('models/') && f.endsWith('.yml'))
      .flatMap((f) => parse(files[f]).models ?? []);
    let tests = 0;
    for (const model of schemas)
      for (const column of model.columns)
        for (const test of column.data_tests) {
          const table = relation.get(model.name)!;
          const failures =
            test === 'unique'
              ? `SELECT count(*) FROM (SELECT ${column.name} FROM ${table} GROUP BY ${column.name} HAVING count(*) > 1) AS d`
              : `SELECT count(*) FROM ${table} WHERE ${column.name} IS NULL`;
          expect({ test: `${test} ${model.name}.${column.name}`, failures: sql(failures) }).toEqual({
            test: `${test} ${model.name}.${column.name}`,
            failures: '0',
          });
          tests++;
        }
    expect(tests).toBeGreaterThanOrEqual(8);
  });

  it('computes revenue from completed orders only, for every customer, and per day', () => {
    const completed = rows('seeds/orders.csv').filter((r) => r[4] === 'completed');
    const total = completed.reduce((sum, r) => sum + Math.round(Number(r[3]) * 100), 0) / 100;
    expect(Number(sql('SELECT sum(revenue) FROM curated.customer_revenue'))).toBeCloseTo(total, 2);
    expect(Number(sql('SELECT sum(revenue) FROM curated.daily_revenue'))).toBeCloseTo(total, 2);
    expect(Number(sql('SELECT count(*) FROM curated.customer_revenue'))).toBe(rows('seeds/customers.csv').length);
    expect(Number(sql('SELECT sum(completed_orders) FROM curated.daily_revenue'))).toBe(completed.length);
    expect(sql('SELECT country_code FROM staging.stg_customers WHERE customer_id = 1')).toBe('GB');
  });
});

// The bootstrap SQL against a real PostgreSQL with PostGIS and pgvector, run twice.
import { bootstrapPlan, renderBootstrapSql } from '../../../../components/storage/postgres/bootstrap';
import { withDefaults, ServiceDeclaration } from '../../../../components/platform/service';
import { describeWithPostgres, PostgresServer, startPostgres } from '../../../support/postgres-server';

const service = (name: string, databases: ServiceDeclaration['databases']): ServiceDeclaration =>
  withDefaults({ name, layer: 'compute', description: name, images: [], ports: [], resources: {}, databases });

const services = [
  service('catalog-svc', [{ instance: 'warehouse', database: 'catalog', access: 'owner', extensions: ['vector'] }]),
  service('query-engine', [{ instance: 'warehouse', database: 'warehouse', access: 'read' }]),
];
const sql = renderBootstrapSql(bootstrapPlan('warehouse', services));

describeWithPostgres(
  'bootstrap SQL on PostgreSQL with PostGIS and pgvector',
  () => {
    let pg: PostgresServer;
    const passwords = { PASSWORD_CATALOG_SVC: 'catalog-pw-1', PASSWORD_QUERY_ENGINE: 'reader-pw-1' };
    const run = (env: Record<string, string>) => pg.psql(['-q', '-d', 'postgres'], { env, input: sql });
    const as = (user: string, password: string, database: string, command: string) =>
      pg.psql(['-q', '-d', database, '-tA', '-c', command], { env: { PGUSER: user, PGPASSWORD: password } });
    const superuser = (database: string, command: string) => pg.psql(['-d', database, '-tA', '-c', command]);

    beforeAll(async () => {
      pg = await startPostgres();
    });
    afterAll(() => pg?.stop());

    it('runs cleanly the first time', () => {
      const result = run(passwords);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    it('runs cleanly the second time, changing nothing that exists', () => {
      superuser(
        'warehouse',
        'SET ROLE warehouse_owner; CREATE TABLE IF NOT EXISTS sales (id int, region text); INSERT INTO sales VALUES (1, $$EU$$);',
      );
      const result = run(passwords);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(superuser('warehouse', 'SELECT count(*) FROM sales').stdout.trim()).toBe('1');
    });

    it('creates the instance database with PostGIS and pgvector', () => {
      expect(
        superuser(
          'warehouse',
          "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension WHERE extname IN ('postgis','vector')",
        ).stdout.trim(),
      ).toBe('postgis,vector');
      expect(superuser('warehouse', "SELECT ST_AsText(ST_Point(1, 2)), '[1,2]'::vector <-> '[1,3]'::vector").stdout.trim()).toBe(
        'POINT(1 2)|1',
      );
    });

    it('lets an owner service create objects in its own database only', () => {
      expect(as('catalog_svc', passwords.PASSWORD_CATALOG_SVC, 'catalog', 'CREATE TABLE t (v vector(3)); SELECT 1').stdout.trim()).toBe(
        '1',
      );
      expect(as('catalog_svc', passwords.PASSWORD_CATALOG_SVC, 'warehouse', 'SELECT 1').stderr).toMatch(
        /permission denied for database "warehouse"/,
      );
    });

    it('gives a reader SELECT on the owner tables, including tables created after the bootstrap, and nothing else', () => {
      superuser('warehouse', 'SET ROLE warehouse_owner; CREATE TABLE later_table (id int); INSERT INTO later_table VALUES (7);');
      const reader = (command: string) => as('query_engine', passwords.PASSWORD_QUERY_ENGINE, 'warehouse', command);
      expect(reader('SELECT id FROM sales').stdout.trim()).toBe('1');
      expect(reader('SELECT id FROM later_table').stdout.trim()).toBe('7');
      expect(reader('INSERT INTO sales VALUES (2, $$US$$)').stderr).toMatch(/permission denied for table sales/);
      expect(reader('CREATE TABLE mine (id int)').stderr).toMatch(/permission denied for schema public/);
    });

    it('gives roles no cluster privileges', () => {
      expect(as('query_engine', passwords.PASSWORD_QUERY_ENGINE, 'warehouse', 'CREATE DATABASE nope').stderr).toMatch(
        /permission denied to create database/,
      );
      expect(
        superuser('postgres', "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 'query_engine'").stdout.trim(),
      ).toBe('f|f|f');
      expect(superuser('postgres', "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'warehouse_owner'").stdout.trim()).toBe('f');
    });

    it('reconciles a changed password on the next run', () => {
      const rotated = { ...passwords, PASSWORD_QUERY_ENGINE: 'reader-pw-2' };
      expect(run(rotated).status).toBe(0);
      expect(as('query_engine', 'reader-pw-2', 'warehouse', 'SELECT 1').stdout.trim()).toBe('1');
      expect(as('query_engine', 'reader-pw-1', 'warehouse', 'SELECT 1').stderr).toMatch(/password authentication failed/);
    });

    it('stops without touching roles when a password is missing', () => {
      const result = run({ PASSWORD_CATALOG_SVC: 'catalog-pw-1' });
      expect(result.status).not.toBe(0);
    });
  },
  { extensions: ['postgis', 'vector'] },
);

import * as fs from 'node:fs';
import { describeWithPostgres, startPostgres, type PostgresServer } from './postgres-server';

describeWithPostgres(
  'throwaway PostgreSQL 15 server',
  () => {
    let started: PostgresServer | undefined;
    const server = (): PostgresServer => {
      if (!started) throw new Error('the server did not start (see beforeAll)');
      return started;
    };

    beforeAll(async () => {
      started = await startPostgres();
    });

    afterAll(() => {
      started?.stop();
    });

    /** Runs SQL in a database with tuples-only, unaligned output; fails the test on error. */
    const query = (sql: string, db = 'postgres', env?: Record<string, string>): string => {
      const result = server().psql(['-At', '-d', db, '-c', sql], { env });
      if (result.status !== 0) {
        throw new Error(`psql failed (${String(result.status)}): ${result.stderr}\n${server().log()}`);
      }
      return result.stdout.trim();
    };

    test('listens on 127.0.0.1 with the superuser password', () => {
      expect(server().host).toBe('127.0.0.1');
      expect(server().port).toBeGreaterThan(0);
      expect(query('SHOW server_version_num')).toMatch(/^15\d{4}$/);
      expect(query('SELECT current_user')).toBe(server().superuser);
      expect(query("SELECT inet_server_addr()::text || ' ' || inet_server_port()")).toBe(`127.0.0.1/32 ${String(server().port)}`);
    });

    test('creates postgis and vector in a fresh database', () => {
      query('CREATE DATABASE exttest');
      query('CREATE EXTENSION postgis', 'exttest');
      query('CREATE EXTENSION vector', 'exttest');
      expect(query('SELECT postgis_version()', 'exttest')).toMatch(/^3\.3 /);
      expect(Number(query("SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector", 'exttest'))).toBe(1);
      expect(query("SELECT ST_Distance('POINT(0 0)'::geometry, 'POINT(3 4)'::geometry)", 'exttest')).toBe('5');
    });

    test('authenticates a LOGIN role by password and rejects a wrong one', () => {
      query("CREATE ROLE app_user LOGIN PASSWORD 'correct-horse'");
      expect(query("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'app_user'")).toBe('t');

      const ok = { PGUSER: 'app_user', PGPASSWORD: 'correct-horse' };
      expect(query('SELECT current_user', 'postgres', ok)).toBe('app_user');

      const wrong = server().psql(['-At', '-c', 'SELECT 1'], {
        env: { PGUSER: 'app_user', PGPASSWORD: 'battery-staple' },
      });
      expect(wrong.status).not.toBe(0);
      expect(wrong.stderr).toMatch(/password authentication failed for user "app_user"/);

      const superWrong = server().psql(['-At', '-c', 'SELECT 1'], {
        env: { PGPASSWORD: 'not-the-superuser-password' },
      });
      expect(superWrong.status).not.toBe(0);
      expect(superWrong.stderr).toMatch(/password authentication failed for user "postgres"/);
    });

    test('psql feeds input to stdin', () => {
      const result = server().psql(['-At'], { input: 'SELECT 40 + 2;\n' });
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toBe('42');
    });

    test('stop() shuts the server down and removes its directory', () => {
      expect(fs.existsSync(server().baseDir)).toBe(true);
      server().stop();
      expect(fs.existsSync(server().baseDir)).toBe(false);
      const after = server().psql(['-At', '-c', 'SELECT 1']);
      expect(after.status).not.toBe(0);
      server().stop();
    });
  },
  { extensions: ['postgis', 'vector'] },
);

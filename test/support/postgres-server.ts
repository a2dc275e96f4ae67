/**
 * Throwaway PostgreSQL 15 clusters for jest tests.
 *
 * `startPostgres()` runs initdb in a fresh temporary directory, starts the server on a free
 * port of 127.0.0.1 (unix socket in the temporary directory, never the system one) and sets
 * a password for the `postgres` superuser. Host connections use scram-sha-256, so every
 * `psql()` call exercises password authentication; the local socket trusts.
 *
 * PostgreSQL refuses to run as root: when the tests run as root (CI does), initdb and pg_ctl
 * run as the `postgres` OS user through `runuser`, and the temporary directory is chowned to
 * that user. Otherwise they run as the current user.
 *
 * The binaries come from `scripts/install-test-servers.sh`. Use `describeWithPostgres()` so a
 * suite fails in CI (`CI` set) when they are missing, and skips with a printed reason locally.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const PG_MAJOR = '15';
export const PG_BIN_DIR = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
export const PG_EXTENSION_DIR = `/usr/share/postgresql/${PG_MAJOR}/extension`;
const RUNUSER_CANDIDATES = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'];
const PSQL_CANDIDATES = [path.join(PG_BIN_DIR, 'psql'), '/usr/bin/psql'];
const OS_USER = 'postgres';

export interface PsqlOptions {
  /** Extra environment, applied over the connection variables (e.g. PGUSER, PGPASSWORD). */
  env?: Record<string, string>;
  /** Text fed to psql's stdin (e.g. a script when no -c/-f is given). */
  input?: string;
}

export interface PsqlResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface PostgresServer {
  host: string;
  port: number;
  superuser: string;
  superuserPassword: string;
  /** Temporary directory holding the data directory, socket and log; removed by stop(). */
  baseDir: string;
  /**
   * Runs psql against the server as the superuser over TCP (password authentication).
   * `-X -w -v ON_ERROR_STOP=1` come first, so psql never reads a psqlrc or prompts, and a
   * failing statement gives a non-zero status.
   */
  psql(args: string[], opts?: PsqlOptions): PsqlResult;
  /** The server log so far, for failure messages. */
  log(): string;
  /** Stops the server and removes its directory. Safe to call twice. */
  stop(): void;
}

export interface StartOptions {
  /** Extra `postgresql.conf` settings. */
  settings?: Record<string, string | number>;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function firstExecutable(candidates: string[]): string | undefined {
  return candidates.find(isExecutable);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function osUserIds(user: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Why a server cannot be started here, or undefined when it can. `extensions` also requires
 * those extensions' control files (e.g. `['postgis', 'vector']`).
 */
export function postgresMissingReason(opts: { extensions?: string[] } = {}): string | undefined {
  const missing = ['initdb', 'pg_ctl', 'postgres'].map((name) => path.join(PG_BIN_DIR, name)).filter((file) => !isExecutable(file));
  if (missing.length > 0) {
    return `PostgreSQL ${PG_MAJOR} binaries missing: ${missing.join(', ')} (run scripts/install-test-servers.sh)`;
  }
  if (!firstExecutable(PSQL_CANDIDATES)) {
    return `psql missing: none of ${PSQL_CANDIDATES.join(', ')}`;
  }
  if (isRoot()) {
    if (!firstExecutable(RUNUSER_CANDIDATES)) return 'running as root but runuser is missing';
    if (!osUserIds(OS_USER)) return `running as root but there is no '${OS_USER}' OS user`;
  }
  const absent = (opts.extensions ?? []).filter((ext) => !fs.existsSync(path.join(PG_EXTENSION_DIR, `${ext}.control`)));
  if (absent.length > 0) {
    return `PostgreSQL extensions missing: ${absent.join(', ')} (run scripts/install-test-servers.sh)`;
  }
  return undefined;
}

export function postgresAvailable(opts: { extensions?: string[] } = {}): boolean {
  return postgresMissingReason(opts) === undefined;
}

/**
 * `describe` for suites that need a real server. When it cannot start one: in CI (`CI` set)
 * the suite gets a failing test naming the reason; locally it is skipped with the reason printed.
 */
export function describeWithPostgres(name: string, fn: () => void, opts: { extensions?: string[] } = {}): void {
  const reason = postgresMissingReason(opts);
  if (reason === undefined) {
    describe(name, fn);
  } else if (process.env.CI) {
    describe(name, () => {
      test('PostgreSQL is installed (required in CI)', () => {
        throw new Error(reason);
      });
    });
  } else {
    console.warn(`Skipping "${name}": ${reason}`);
    describe.skip(name, fn);
  }
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        if (port > 0) resolve(port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Ambient libpq settings (PGSERVICE, PGSSLMODE, ...) must not leak into the tests.
    if (!key.startsWith('PG')) env[key] = value;
  }
  return { ...env, LC_ALL: 'C', ...extra };
}

/** spawnSync types its output as strings, but it is null when the program could not be spawned. */
function orEmpty(output: string | null): string {
  return output ?? '';
}

function describeResult(what: string, result: SpawnSyncReturns<string>): string {
  const detail = result.error ? String(result.error) : `exit status ${String(result.status)}`;
  return `${what} failed (${detail})\n${result.stdout}\n${result.stderr}`.trim();
}

/** Starts a throwaway cluster. Call `stop()` (e.g. in afterAll) to remove it. */
export async function startPostgres(options: StartOptions = {}): Promise<PostgresServer> {
  const reason = postgresMissingReason();
  if (reason !== undefined) throw new Error(reason);

  const asRoot = isRoot();
  const ids = asRoot ? osUserIds(OS_USER) : undefined;
  const runuser = asRoot ? firstExecutable(RUNUSER_CANDIDATES) : undefined;
  const psqlBin = firstExecutable(PSQL_CANDIDATES) as string;

  // As root, /tmp: the postgres user must be able to reach the directory, and TMPDIR may not be.
  const baseDir = fs.mkdtempSync(path.join(asRoot ? '/tmp' : os.tmpdir(), 'pgtest-'));
  const dataDir = path.join(baseDir, 'data');
  const socketDir = path.join(baseDir, 'sock');
  const logFile = path.join(baseDir, 'server.log');
  const pwFile = path.join(baseDir, 'pwfile');
  const superuser = 'postgres';
  const superuserPassword = randomBytes(18).toString('hex');
  const host = '127.0.0.1';

  fs.mkdirSync(socketDir, { mode: 0o700 });
  fs.writeFileSync(pwFile, `${superuserPassword}\n`, { mode: 0o600 });
  if (ids) {
    for (const p of [baseDir, socketDir, pwFile]) fs.chownSync(p, ids.uid, ids.gid);
  }

  /** Runs a PostgreSQL server program as the user that owns the cluster. */
  const runAsOwner = (bin: string, args: string[]): SpawnSyncReturns<string> => {
    const file = path.join(PG_BIN_DIR, bin);
    const [cmd, cmdArgs] = runuser ? [runuser, ['-u', OS_USER, '--', file, ...args]] : [file, args];
    return spawnSync(cmd, cmdArgs, {
      cwd: baseDir,
      encoding: 'utf8',
      env: cleanEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  };

  let stopped = false;
  const removeDir = (): void => {
    fs.rmSync(baseDir, { recursive: true, force: true });
  };
  const stopServer = (mode: 'fast' | 'immediate'): void => {
    if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
      runAsOwner('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '30']);
    }
  };
  // Best effort if a test run exits without calling stop().
  const onExit = (): void => {
    if (stopped) return;
    stopServer('immediate');
    removeDir();
  };
  process.once('exit', onExit);

  const readLog = (): string => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };

  try {
    const init = runAsOwner('initdb', [
      '-D',
      dataDir,
      '-U',
      superuser,
      `--pwfile=${pwFile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    fs.rmSync(pwFile, { force: true });
    if (init.status !== 0) throw new Error(describeResult('initdb', init));

    const settings: Record<string, string | number> = {
      // Throwaway data: durability only slows the tests down.
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      password_encryption: 'scram-sha-256',
      unix_socket_directories: socketDir,
      ...options.settings,
    };
    const conf = Object.entries(settings)
      .map(([key, value]) => `${key} = '${String(value).replace(/'/g, "''")}'`)
      .join('\n');
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), `\n# postgres-server.ts\n${conf}\n`);

    let port = 0;
    let lastFailure = '';
    for (let attempt = 0; attempt < 3 && port === 0; attempt++) {
      const candidate = await freePort();
      const start = runAsOwner('pg_ctl', [
        'start',
        '-D',
        dataDir,
        '-l',
        logFile,
        '-w',
        '-t',
        '60',
        '-o',
        `-c listen_addresses=${host} -p ${String(candidate)}`,
      ]);
      if (start.status === 0) {
        port = candidate;
      } else {
        // Another process may have taken the port between freePort() and the start.
        lastFailure = `${describeResult('pg_ctl start', start)}\n${readLog()}`;
        stopServer('immediate');
      }
    }
    if (port === 0) throw new Error(lastFailure);

    const psql = (args: string[], opts: PsqlOptions = {}): PsqlResult => {
      const result = spawnSync(psqlBin, ['-X', '-w', '-v', 'ON_ERROR_STOP=1', ...args], {
        encoding: 'utf8',
        env: cleanEnv({
          PGHOST: host,
          PGPORT: String(port),
          PGUSER: superuser,
          PGPASSWORD: superuserPassword,
          PGDATABASE: 'postgres',
          PGCONNECT_TIMEOUT: '10',
          PGSSLMODE: 'disable',
          ...opts.env,
        }),
        input: opts.input ?? '',
        timeout: 120_000,
      });
      return {
        status: result.status,
        stdout: orEmpty(result.stdout),
        stderr: orEmpty(result.stderr) + (result.error ? `\n${String(result.error)}` : ''),
      };
    };

    return {
      host,
      port,
      superuser,
      superuserPassword,
      baseDir,
      psql,
      log: readLog,
      stop: () => {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', onExit);
        stopServer('fast');
        stopServer('immediate');
        removeDir();
      },
    };
  } catch (err) {
    stopped = true;
    process.removeListener('exit', onExit);
    stopServer('immediate');
    removeDir();
    throw err;
  }
}

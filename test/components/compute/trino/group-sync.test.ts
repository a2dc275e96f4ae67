// The group sync script, run by the real python3 of this machine against a fake Keycloak (token
// endpoint and the admin REST lists it reads, paginated with first/max as Keycloak does) served
// over HTTPS with a certificate of a test CA, with the environment the coordinator's sidecar gets
// in the k3d manifests (Keycloak's address and CA file swapped for the fake's): the group file it
// writes, what happens when Keycloak fails, and that a certificate of another CA is refused.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { GROUP_SYNC_SCRIPT } from '../../../../components/compute/trino/group-sync';
import { internalCertificates } from '../../../../components/platform/internal-ca';
import { buildFor, containerOf, find, objectsOf } from '../../../helpers/build';

const SCRIPT = path.join(__dirname, '../../../../components/compute/trino/group-sync.py');
const CLIENT_ID = 'trino';
const CLIENT_SECRET = 'Sync-Secret-4f9a1c';
const ACCESS_TOKEN = 'Access-Token-77b2e0';
/** The fake's certificate (for 127.0.0.1) and the CA the sync is given; another CA's certificate is refused. */
const testCertificates = (seed: string) =>
  internalCertificates(seed.repeat(64), { ca: { commonName: `${seed} CA`, keyLabel: `${seed}-ca` }, leafKeyLabel: `${seed}-leaf` }, [
    'localhost',
  ]);
const TLS = testCertificates('k');
const OTHER_CA = testCertificates('o').caCertificate;

interface User {
  id: string;
  username: string;
  enabled: boolean;
}
interface Group {
  id: string;
  name: string;
  members: string[];
  /** Realm roles mapped to the group: its members and its subgroups' members hold them. */
  roles?: string[];
  children?: Group[];
}

const user = (username: string, enabled = true): User => ({ id: `id-${username}`, username, enabled });
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'henry', 'ivy'].map((name) => user(name, name !== 'erin'));
/** Realm role members as Keycloak lists them: direct mappings, service accounts included. */
const ROLE_MEMBERS: Record<string, User[]> = {
  'platform-admin': [user('alice')],
  'platform-engineer': [user('bob'), user('service-account-dbt'), user('erin', false)],
  'platform-analyst': [user('carol')],
  'platform-user': [],
  'platform-viewer': [user('dave'), user('grace')],
};
const GROUPS: Group[] = [
  { id: 'g1', name: 'team-marketing', members: ['alice', 'carol'] },
  { id: 'g2', name: 'project-scoring', members: ['frank'], children: [{ id: 'g3', name: 'scoring-reviewers', members: ['carol'] }] },
  { id: 'g4', name: 'team-empty', members: [] },
  // Names Trino's group file cannot hold are left out, not written half.
  { id: 'g5', name: 'project-risk', members: ['grace', 'odd,name'] },
  {
    id: 'g6',
    name: 'data-engineers',
    members: ['henry'],
    roles: ['platform-engineer'],
    children: [{ id: 'g7', name: 'interns', members: ['ivy'] }],
  },
];

interface FakeKeycloak {
  url: string;
  requests: string[];
  /** Answer this path prefix with an error status from now on. */
  failing: Map<string, number>;
  /** Refuse the next n token requests. */
  refuseTokens: number;
  close: () => Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Keycloak's paging: `first` and `max` (100 when absent). */
function page<T>(items: T[], query: URLSearchParams): T[] {
  const first = Number(query.get('first') ?? 0);
  const max = Number(query.get('max') ?? 100);
  return items.slice(first, first + max);
}

function startKeycloak(): Promise<FakeKeycloak> {
  const fake = { requests: [] as string[], failing: new Map<string, number>(), refuseTokens: 0 } as FakeKeycloak;
  const allGroups = (groups: Group[]): Group[] => groups.flatMap((g) => [g, ...allGroups(g.children ?? [])]);
  const server = https.createServer({ cert: TLS.certificate, key: TLS.privateKey }, (req, res) => {
    const url = new URL(req.url!, 'http://keycloak');
    fake.requests.push(`${req.method} ${url.pathname}${url.search}`);
    for (const [prefix, status] of fake.failing) if (url.pathname.startsWith(prefix)) return json(res, status, { error: 'failing' });
    if (req.method === 'POST' && url.pathname === '/realms/platform/protocol/openid-connect/token') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const valid =
          form.get('grant_type') === 'client_credentials' &&
          form.get('client_id') === CLIENT_ID &&
          form.get('client_secret') === CLIENT_SECRET;
        if (fake.refuseTokens > 0 || !valid) {
          fake.refuseTokens = Math.max(0, fake.refuseTokens - 1);
          // A server that echoes what it was sent must not get the secret into the log.
          return json(res, 401, { error: 'unauthorized_client', error_description: `bad credentials ${form.get('client_secret')}` });
        }
        json(res, 200, { access_token: ACCESS_TOKEN, expires_in: 300, token_type: 'Bearer' });
      });
      return;
    }
    if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) return json(res, 401, { error: 'HTTP 401 Unauthorized' });
    const admin = '/admin/realms/platform';
    const route = url.pathname.startsWith(admin) ? url.pathname.slice(admin.length) : '';
    const q = url.searchParams;
    let m: RegExpExecArray | null;
    if (route === '/users') return json(res, 200, page(PEOPLE, q));
    if ((m = /^\/roles\/([^/]+)\/groups$/.exec(route))) {
      const role = decodeURIComponent(m[1]);
      const holding = allGroups(GROUPS).filter((g) => g.roles?.includes(role));
      return json(
        res,
        200,
        page(
          holding.map((g) => ({ id: g.id, name: g.name })),
          q,
        ),
      );
    }
    if ((m = /^\/roles\/([^/]+)\/users$/.exec(route))) {
      const members = ROLE_MEMBERS[decodeURIComponent(m[1])];
      return members ? json(res, 200, page(members, q)) : json(res, 404, { error: 'Could not find role' });
    }
    if (route === '/groups')
      return json(
        res,
        200,
        page(
          GROUPS.map((g) => ({ id: g.id, name: g.name, path: `/${g.name}`, subGroupCount: g.children?.length ?? 0 })),
          q,
        ),
      );
    const group = (id: string) => allGroups(GROUPS).find((g) => g.id === id);
    if ((m = /^\/groups\/([^/]+)\/children$/.exec(route)))
      return json(
        res,
        200,
        page(
          (group(m[1])?.children ?? []).map((g) => ({ id: g.id, name: g.name, subGroupCount: g.children?.length ?? 0 })),
          q,
        ),
      );
    if ((m = /^\/groups\/([^/]+)\/members$/.exec(route)))
      return json(
        res,
        200,
        page(
          group(m[1])!.members.map((u) => user(u)),
          q,
        ),
      );
    json(res, 404, { error: 'not found' });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      fake.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      fake.close = () => new Promise((done) => server.close(() => done()));
      resolve(fake);
    }),
  );
}

/** The sidecar's environment from the k3d manifests, pointed at the fake and at files under `dir`. */
function sidecarEnv(keycloak: string, dir: string): Record<string, string> {
  const deployment = find(objectsOf(buildFor('k3d'), 'trino'), 'Deployment', 'trino-coordinator');
  const env: Record<string, string> = {};
  for (const e of containerOf(deployment, 'group-sync').env) env[e.name] = e.value;
  const here = (url: string) => `${keycloak}${new URL(url).pathname}`;
  fs.writeFileSync(path.join(dir, 'client-id'), `${CLIENT_ID}\n`);
  fs.writeFileSync(path.join(dir, 'client-secret'), CLIENT_SECRET);
  fs.writeFileSync(path.join(dir, 'ca.crt'), TLS.caCertificate);
  fs.mkdirSync(path.join(dir, 'groups'), { recursive: true });
  // The sidecar reaches Keycloak over HTTPS only, with a CA file to check it against.
  expect([env.KEYCLOAK_SIGNIN_URL, env.KEYCLOAK_ADMIN_URL].map((u) => new URL(u).protocol)).toEqual(['https:', 'https:']);
  expect(env.KEYCLOAK_CA_FILE).toMatch(/\/ca\.crt$/);
  return {
    ...env,
    KEYCLOAK_SIGNIN_URL: here(env.KEYCLOAK_SIGNIN_URL),
    KEYCLOAK_ADMIN_URL: here(env.KEYCLOAK_ADMIN_URL),
    KEYCLOAK_CA_FILE: path.join(dir, 'ca.crt'),
    CLIENT_ID_FILE: path.join(dir, 'client-id'),
    CLIENT_SECRET_FILE: path.join(dir, 'client-secret'),
    GROUP_FILE: path.join(dir, 'groups', 'groups.txt'),
    PAGE_SIZE: '3',
    RETRY_SECONDS: '0',
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script asynchronously: the fake Keycloak answers from this same process. */
function run(env: Record<string, string>, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT, ...args], { env: { PATH: process.env.PATH!, ...env }, timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const EXPECTED = [
  "# Written by the platform's Keycloak group sync: every change here is overwritten.",
  'data-engineers:henry',
  'interns:ivy',
  'platform-admin:alice',
  'platform-analyst:alice,bob,carol,dave,frank,grace,henry,ivy',
  'platform-engineer:bob,henry,ivy,service-account-dbt',
  'platform-viewer:dave,grace',
  'project-risk:grace',
  'project-scoring:frank',
  'scoring-reviewers:carol',
  'team-marketing:alice,carol',
  '',
].join('\n');

describe('the group sync script (real python3, fake Keycloak)', () => {
  let keycloak: FakeKeycloak;
  let dir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    keycloak = await startKeycloak();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-sync-'));
    env = sidecarEnv(keycloak.url, dir);
  });
  afterEach(async () => {
    await keycloak.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const groupFile = () => fs.readFileSync(env.GROUP_FILE, 'utf8');
  const noSecrets = (r: Run) => {
    for (const value of [CLIENT_SECRET, ACCESS_TOKEN]) expect(r.stdout + r.stderr).not.toContain(value);
  };

  it('ships as the ConfigMap the coordinator runs', () => {
    const map = find(objectsOf(buildFor('k3d'), 'trino'), 'ConfigMap', 'trino-coordinator-group-sync');
    expect(map.data[GROUP_SYNC_SCRIPT]).toBe(fs.readFileSync(SCRIPT, 'utf8'));
  });

  it('writes every role group (direct holders and members of groups holding the role, subgroups included), the default role group with every enabled user, and every group and subgroup with its members', async () => {
    const result = await run(env, ['--once']);
    expect(result.code).toBe(0);
    expect(groupFile()).toBe(EXPECTED);
    expect(result.stderr).toMatch(/group file updated: 10 groups, 9 users/);
    expect(result.stderr).toMatch(/left out 1 names/);
    noSecrets(result);
  });

  it('reads every page of each list, asking for `max` explicitly, with the token of a client-credentials grant', async () => {
    await run(env, ['--once']);
    const users = keycloak.requests.filter((r) => r.startsWith('GET /admin/realms/platform/users'));
    expect(users).toEqual([0, 3, 6, 9].map((first) => `GET /admin/realms/platform/users?briefRepresentation=true&first=${first}&max=3`));
    expect(keycloak.requests).toContain('GET /admin/realms/platform/groups?briefRepresentation=true&first=3&max=3');
    expect(keycloak.requests).toContain('GET /admin/realms/platform/groups/g2/children?briefRepresentation=true&first=0&max=3');
    // platform-engineer fills a page of 3: its members are read until a short page.
    expect(keycloak.requests.filter((r) => r.includes('/roles/platform-engineer/'))).toEqual([
      'GET /admin/realms/platform/roles/platform-engineer/users?briefRepresentation=true&first=0&max=3',
      'GET /admin/realms/platform/roles/platform-engineer/users?briefRepresentation=true&first=3&max=3',
      'GET /admin/realms/platform/roles/platform-engineer/groups?briefRepresentation=true&first=0&max=3',
    ]);
    expect(keycloak.requests.filter((r) => r.startsWith('POST')).length).toBe(1);
  });

  it('replaces the file in one rename, leaving no temporary file, and rewrites nothing when nothing changed', async () => {
    await run(env, ['--once']);
    const before = fs.statSync(env.GROUP_FILE);
    expect(fs.readdirSync(path.dirname(env.GROUP_FILE))).toEqual(['groups.txt']);
    const again = await run(env, ['--once']);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/updated/);
    expect(fs.statSync(env.GROUP_FILE).ino).toBe(before.ino);
  });

  it('keeps the last good file when Keycloak fails mid-sync, and logs one line naming the failure', async () => {
    await run(env, ['--once']);
    keycloak.failing.set('/admin/realms/platform/groups', 500);
    const result = await run(env, ['--once']);
    expect(result.code).toBe(1);
    expect(groupFile()).toBe(EXPECTED);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/group-sync: sync failed, keeping the last good group file: GET \/groups: HTTP 500 \(failing\)$/),
    ]);
    noSecrets(result);
  });

  it('keeps the last good file when its credentials are refused, never printing the secret the server echoes', async () => {
    await run(env, ['--once']);
    fs.writeFileSync(env.CLIENT_SECRET_FILE, `${CLIENT_SECRET}-rotated-wrong`);
    const result = await run(env, ['--once']);
    expect(result.code).toBe(1);
    expect(groupFile()).toBe(EXPECTED);
    expect(result.stderr).toMatch(/token request: HTTP 401 \(unauthorized_client\)/);
    noSecrets(result);
  });

  it('refuses a Keycloak whose certificate its CA did not sign, before sending the credentials, and writes nothing', async () => {
    fs.writeFileSync(env.KEYCLOAK_CA_FILE, OTHER_CA);
    const result = await run(env, ['--once']);
    expect(result.code).toBe(1);
    expect(fs.existsSync(env.GROUP_FILE)).toBe(false);
    expect(result.stderr).toMatch(/sync failed, keeping the last good group file: token request: .*CERTIFICATE_VERIFY_FAILED/);
    // The handshake failed: no request, so no client secret, reached the server.
    expect(keycloak.requests).toEqual([]);
    noSecrets(result);
  });

  it('names the CA file it cannot read, and syncs nothing without it', async () => {
    const result = await run({ ...env, KEYCLOAK_CA_FILE: path.join(dir, 'missing.crt') }, ['--once']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/sync failed, keeping the last good group file: cannot read KEYCLOAK_CA_FILE: FileNotFoundError/);
    expect(keycloak.requests).toEqual([]);
  });

  it('writes no file at all while Keycloak cannot be reached', async () => {
    await keycloak.close();
    const result = await run(env, ['--once']);
    expect(result.code).toBe(1);
    expect(fs.existsSync(env.GROUP_FILE)).toBe(false);
    expect(result.stderr).toMatch(/sync failed, keeping the last good group file: token request: .*refused/i);
    keycloak = await startKeycloak();
  });

  it('as the init container, retries until one sync succeeds', async () => {
    keycloak.refuseTokens = 2;
    const result = await run(env, ['--until-synced']);
    expect(result.code).toBe(0);
    expect(groupFile()).toBe(EXPECTED);
    expect(result.stderr.match(/sync failed/g)).toHaveLength(2);
    noSecrets(result);
  });

  it('as the sidecar, syncs on its interval, beats for the liveness probe and stops at once on SIGTERM', async () => {
    const loop = spawn('python3', [SCRIPT], { env: { PATH: process.env.PATH!, ...env, SYNC_INTERVAL_SECONDS: '1' } });
    const exited = new Promise<number | null>((resolve) => loop.on('close', resolve));
    for (let i = 0; i < 100 && keycloak.requests.filter((r) => r.startsWith('POST')).length < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(groupFile()).toBe(EXPECTED);
    expect((await run(env, ['--alive'])).code).toBe(0);
    loop.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('reports not alive before the loop has beaten, and refuses to start unconfigured', async () => {
    expect((await run(env, ['--alive'])).code).toBe(1);
    const unconfigured = await run({ ...env, KEYCLOAK_ADMIN_URL: '' }, ['--once']);
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toMatch(/not configured: KEYCLOAK_ADMIN_URL/);
  });
});

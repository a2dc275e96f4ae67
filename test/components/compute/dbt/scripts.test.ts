// dbt's generated scripts, run for real: the sign-in helper with Python against a local OAuth2
// token endpoint served over HTTPS (a test CA's certificate, as Keycloak's back channel is), and
// the run script through shellcheck and with dbt and Python stubbed.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { JWT_ENV, PATHS, runScript, signInScript } from '../../../../components/compute/dbt/config';
import { internalCertificates } from '../../../../components/platform/internal-ca';
import { describeWithTools as describeWithToolsOf } from '../../../support/tools';

const TOOLS = ['python3', 'shellcheck', 'sh'];
const describeWithTools = (name: string, fn: () => void) => describeWithToolsOf(TOOLS, name, fn);

const exec = (file: string, args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, { env: { PATH: process.env.PATH!, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describeWithTools('the sign-in helper (sign-in.py)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-sign-in-'));
  const received: { authorization?: string; body: string; type?: string }[] = [];
  const certificates = (seed: string) =>
    internalCertificates(seed.repeat(64), { ca: { commonName: `${seed} CA`, keyLabel: `${seed}-ca` }, leafKeyLabel: `${seed}-leaf` }, [
      'localhost',
    ]);
  const tls = certificates('d');
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    fs.writeFileSync(path.join(root, 'sign-in.py'), signInScript());
    fs.writeFileSync(path.join(root, 'client-id'), 'dbt\n');
    fs.writeFileSync(path.join(root, 'client-secret'), 'Zx9+secret/value\n');
    fs.writeFileSync(path.join(root, 'ca.crt'), tls.caCertificate);
    fs.writeFileSync(path.join(root, 'other-ca.crt'), certificates('x').caCertificate);
    server = https.createServer({ cert: tls.certificate, key: tls.privateKey }, (req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ authorization: req.headers.authorization, body, type: req.headers['content-type'] });
        const ok = req.headers.authorization === `Basic ${Buffer.from('dbt:Zx9%2Bsecret%2Fvalue').toString('base64')}`;
        res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
        res.end(
          ok
            ? JSON.stringify({ access_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig', token_type: 'Bearer', expires_in: 3600 })
            : '{"error":"unauthorized_client"}',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/realms/platform/protocol/openid-connect/token`;
  });
  afterAll(() => {
    server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const env = (secretFile = 'client-secret', caFile = 'ca.crt') => ({
    DBT_SIGN_IN_URL: url,
    DBT_SIGN_IN_CA_FILE: path.join(root, caFile),
    DBT_CLIENT_ID_FILE: path.join(root, 'client-id'),
    DBT_CLIENT_SECRET_FILE: path.join(root, secretFile),
  });

  it('asks for a client-credentials token with HTTP Basic client authentication (form-encoded id and secret) and prints it', async () => {
    const result = await exec('python3', [path.join(root, 'sign-in.py')], env());
    expect(result).toMatchObject({ code: 0, stdout: 'eyJhbGciOiJSUzI1NiJ9.e30.sig\n' });
    expect(received.at(-1)).toEqual({
      authorization: `Basic ${Buffer.from('dbt:Zx9%2Bsecret%2Fvalue').toString('base64')}`,
      body: 'grant_type=client_credentials',
      type: 'application/x-www-form-urlencoded',
    });
  });

  it("refuses a server whose certificate another CA signed, before sending the client's credentials", async () => {
    const before = received.length;
    const result = await exec('python3', [path.join(root, 'sign-in.py')], env('client-secret', 'other-ca.crt'));
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('CERTIFICATE_VERIFY_FAILED');
    expect(received.length).toBe(before);
  });

  it('fails, printing no token, when the identity provider refuses the client', async () => {
    fs.writeFileSync(path.join(root, 'wrong-secret'), 'nope\n');
    const result = await exec('python3', [path.join(root, 'sign-in.py')], env('wrong-secret'));
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('401');
  });
});

describeWithTools('the run script (run.sh)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-run-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** run.sh with /opt/dbt and /etc/dbt moved under `root`; python prints a token, dbt logs its arguments and the token it sees. */
  function install(seedFirst: boolean, signIn = 'echo eyJ.token.sig'): string {
    const script = runScript(seedFirst).replaceAll(PATHS.venv, `${root}/venv`).replaceAll(PATHS.scripts, `${root}/scripts`);
    fs.mkdirSync(path.join(root, 'venv/bin'), { recursive: true });
    fs.writeFileSync(path.join(root, 'venv/bin/python'), `#!/bin/sh\n${signIn}\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(root, 'venv/bin/dbt'), `#!/bin/sh\necho "dbt $* token=$${JWT_ENV}" >> "${root}/calls"\n`, { mode: 0o755 });
    fs.rmSync(path.join(root, 'calls'), { force: true });
    const file = path.join(root, 'run.sh');
    fs.writeFileSync(file, script);
    return file;
  }
  const calls = () => fs.readFileSync(path.join(root, 'calls'), 'utf8').trim().split('\n');

  it('passes shellcheck', () => {
    const file = path.join(root, 'check.sh');
    fs.writeFileSync(file, runScript(true));
    expect(() => execFileSync('shellcheck', ['-s', 'sh', file], { encoding: 'utf8' })).not.toThrow();
  });

  it('signs in, then seeds and builds the sample with the platform profile, the token in the environment only', async () => {
    const result = await exec('sh', [install(true)], { DBT_PROJECT_DIR: '/dbt/project' });
    expect(result.code).toBe(0);
    expect(calls()).toEqual([
      'dbt seed --project-dir /dbt/project --profile platform --target prod token=eyJ.token.sig',
      'dbt build --project-dir /dbt/project --profile platform --target prod --exclude resource_type:seed token=eyJ.token.sig',
    ]);
  });

  it('builds a git project without seeding, and runs nothing when sign-in fails', async () => {
    expect((await exec('sh', [install(false)], { DBT_PROJECT_DIR: '/dbt/git/project' })).code).toBe(0);
    expect(calls()).toEqual(['dbt build --project-dir /dbt/git/project --profile platform --target prod token=eyJ.token.sig']);
    const failed = await exec('sh', [install(true, 'exit 3')], { DBT_PROJECT_DIR: '/dbt/project' });
    expect(failed.code).not.toBe(0);
    expect(fs.existsSync(path.join(root, 'calls'))).toBe(false);
  });
});

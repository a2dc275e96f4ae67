// The workers' preStop hook, run for real: the generated script with bash against a local HTTP
// server standing in for Trino, and through shellcheck. The hook must send Trino's graceful
// shutdown request and then hold until the Trino process exits.
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { drainScript } from '../../../../components/compute/trino/drain';
import { TRINO_MANAGEMENT_USER } from '../../../../components/compute/trino/config';
import { describeWithTools as describeWithToolsOf } from '../../../support/tools';

const TOOLS = ['bash', 'shellcheck'];
const describeWithTools = (name: string, fn: () => void) => describeWithToolsOf(TOOLS, name, fn);

interface Received {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A stand-in for Trino's /v1/info/state answering with `status`. */
async function fakeTrino(status: number): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const runHook = (script: string) =>
  new Promise<{ code: number; at: number }>((resolve) => {
    execFile('bash', ['-c', script], { env: { PATH: process.env.PATH! } }, (error) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, at: Date.now() }),
    );
  });

describeWithTools('the workers’ preStop hook (bash built-ins only)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trino-drain-'));
  const log = path.join(root, 'stderr');
  let trinoProcess: ChildProcess;

  beforeEach(() => {
    fs.writeFileSync(log, '');
    // The "Trino process" the hook waits for.
    trinoProcess = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  });
  afterEach(() => {
    trinoProcess.kill('SIGKILL');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('passes shellcheck as a bash script', () => {
    const file = path.join(root, 'hook.sh');
    fs.writeFileSync(file, drainScript({ port: 8080, user: TRINO_MANAGEMENT_USER }));
    expect(() => execFileSync('shellcheck', ['-s', 'bash', file], { encoding: 'utf8' })).not.toThrow();
  });

  it('asks Trino to shut down as the management user, then holds until the Trino process has exited', async () => {
    const trino = await fakeTrino(200);
    try {
      const hook = runHook(drainScript({ port: trino.port, user: TRINO_MANAGEMENT_USER, pid: trinoProcess.pid, log }));
      const stillRunning = await Promise.race([hook.then(() => false), new Promise((r) => setTimeout(() => r(true), 1500))]);
      expect(stillRunning).toBe(true);
      expect(trino.received).toHaveLength(1);
      const [request] = trino.received;
      expect(request).toMatchObject({ method: 'PUT', url: '/v1/info/state', body: '"SHUTTING_DOWN"' });
      expect(request.headers).toMatchObject({
        'x-trino-user': TRINO_MANAGEMENT_USER,
        'content-type': 'application/json',
        'content-length': '15',
      });
      const killedAt = Date.now();
      trinoProcess.kill('SIGKILL');
      const { code, at } = await hook;
      expect(code).toBe(0);
      expect(at).toBeGreaterThanOrEqual(killedAt);
      expect(fs.readFileSync(log, 'utf8')).toBe('');
    } finally {
      await trino.close();
    }
  }, 20_000);

  it('logs a refused request to the container’s stderr and ends at once, without waiting', async () => {
    const trino = await fakeTrino(403);
    try {
      const { code } = await runHook(drainScript({ port: trino.port, user: TRINO_MANAGEMENT_USER, pid: trinoProcess.pid, log }));
      expect(code).toBe(1);
      expect(trino.received).toHaveLength(1);
      expect(fs.readFileSync(log, 'utf8')).toBe('trino drain: shutdown request refused: HTTP/1.1 403 Forbidden\n');
      expect(trinoProcess.exitCode).toBeNull();
    } finally {
      await trino.close();
    }
  });

  it('logs when Trino cannot be reached and ends at once', async () => {
    const trino = await fakeTrino(200);
    const port = trino.port;
    await trino.close();
    const { code } = await runHook(drainScript({ port, user: TRINO_MANAGEMENT_USER, pid: trinoProcess.pid, log }));
    expect(code).toBe(1);
    expect(fs.readFileSync(log, 'utf8')).toBe(`trino drain: cannot connect to Trino on port ${port}\n`);
  });

  it('writes to the stderr of PID 1 and waits for PID 1 by default', () => {
    const script = drainScript({ port: 8080, user: TRINO_MANAGEMENT_USER });
    expect(script).toContain('>/proc/1/fd/2');
    expect(script).toContain('while kill -0 1 ');
    expect(script).toContain('/dev/tcp/127.0.0.1/8080');
    expect(script).not.toMatch(/\b(curl|wget|sleep|tail)\b/);
  });

  it('refuses a user name that could break out of the request', () => {
    expect(() => drainScript({ port: 8080, user: "a'b" })).toThrow(/plain name/);
  });
});

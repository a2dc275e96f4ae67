// Spark's generated scripts, run for real with the tools of the image (bash, wget, sha1sum):
// the jar fetch against a local Maven-layout server, and the Connect server's start script
// with its directories moved under a temporary root and spark-submit stubbed.
import { execFile, execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectScript } from '../../../../components/compute/spark/config';
import { fetchJarsScript, HADOOP_VERSION, SPARK_JARS, repositoryPath } from '../../../../components/compute/spark/jars';
import { describeWithTools as describeWithToolsOf } from '../../../support/tools';

const TOOLS = ['bash', 'wget', 'sha1sum', 'shellcheck'];
const describeWithTools = (name: string, fn: () => void) => describeWithToolsOf(TOOLS, name, fn);

const run = (file: string, args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('bash', [file, ...args], { env: { PATH: process.env.PATH!, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describeWithTools('the jar fetch (fetch-jars.sh)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-jars-'));
  const script = path.join(root, 'fetch-jars.sh');
  const sparkHome = path.join(root, 'spark');
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  let server: http.Server;
  let repository: string;

  beforeAll(async () => {
    fs.writeFileSync(script, fetchJarsScript());
    fs.mkdirSync(path.join(sparkHome, 'jars'), { recursive: true });
    fs.writeFileSync(path.join(sparkHome, 'jars', `hadoop-client-api-${HADOOP_VERSION}.jar`), 'stand-in');
    for (const jar of SPARK_JARS) {
      const body = crypto.randomBytes(4096);
      files.set(`/maven2/${repositoryPath(jar)}`, body);
      files.set(
        `/maven2/${repositoryPath(jar)}.sha1`,
        Buffer.from(`${crypto.createHash('sha1').update(body).digest('hex')}  ${jar.artifact}.jar\n`),
      );
    }
    server = http.createServer((req, res) => {
      requests.push(req.url!);
      const body = files.get(req.url!);
      res.writeHead(body ? 200 : 404).end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    repository = `http://127.0.0.1:${(server.address() as AddressInfo).port}/maven2/`;
  });
  afterAll(() => {
    server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const jarsDir = (name: string) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    return dir;
  };
  const env = (dir: string, hadoop = HADOOP_VERSION) => ({
    SPARK_HOME: sparkHome,
    MAVEN_REPOSITORY: repository,
    JARS_DIR: dir,
    HADOOP_VERSION: hadoop,
  });

  it('passes shellcheck', () => {
    expect(() => execFileSync('shellcheck', ['-s', 'bash', script], { encoding: 'utf8' })).not.toThrow();
  });

  it('downloads every jar from the repository and keeps it once its SHA-1 matches the published one', async () => {
    const dir = jarsDir('ok');
    const result = await run(script, SPARK_JARS.map(repositoryPath), env(dir));
    expect(result).toMatchObject({ code: 0 });
    for (const jar of SPARK_JARS)
      expect(fs.readFileSync(path.join(dir, `${jar.artifact}-${jar.version}.jar`))).toEqual(files.get(`/maven2/${repositoryPath(jar)}`));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(requests).toEqual(expect.arrayContaining(SPARK_JARS.map((j) => `/maven2/${repositoryPath(j)}.sha1`)));
  });

  it('fails, keeping nothing, when a jar does not match its checksum', async () => {
    const dir = jarsDir('tampered');
    const jar = SPARK_JARS[0];
    const original = files.get(`/maven2/${repositoryPath(jar)}`)!;
    files.set(`/maven2/${repositoryPath(jar)}`, Buffer.concat([original, Buffer.from('x')]));
    const result = await run(script, [repositoryPath(jar)], env(dir));
    files.set(`/maven2/${repositoryPath(jar)}`, original);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/SHA-1 [0-9a-f]{40} does not match the repository's [0-9a-f]{40}/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('fails with the address when the repository does not have a jar', async () => {
    const result = await run(script, ['org/example/missing/1.0/missing-1.0.jar'], env(jarsDir('missing')));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`could not download ${repository.replace(/\/$/, '')}/org/example/missing/1.0/missing-1.0.jar`);
  });

  it('refuses an image whose Hadoop is not the version hadoop-aws is pinned to', async () => {
    const result = await run(script, SPARK_JARS.map(repositoryPath), env(jarsDir('hadoop'), '3.3.4'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('does not carry Hadoop 3.3.4');
  });
});

describeWithTools("the Connect server's start script (start-connect.sh)", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-connect-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** The script with its absolute directories under `root`, and spark-submit a stub that prints its arguments. */
  function install(): string {
    const moved = connectScript().replace(/"\/(etc|opt)\//g, `"${root}/$1/`);
    for (const dir of ['etc/spark/conf', 'etc/spark/polaris', 'opt/spark/conf', 'opt/spark/bin'])
      fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/spark/conf/connect.conf'), 'spark.master spark://master:7077\n');
    fs.writeFileSync(path.join(root, 'etc/spark/polaris/client-id'), 'spark\n');
    fs.writeFileSync(path.join(root, 'etc/spark/polaris/client-secret'), 's3cr3tValue42\n');
    fs.writeFileSync(path.join(root, 'opt/spark/bin/spark-submit'), '#!/bin/sh\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
    const file = path.join(root, 'start-connect.sh');
    fs.writeFileSync(file, moved);
    return file;
  }

  it('passes shellcheck', () => {
    const file = path.join(root, 'check.sh');
    fs.writeFileSync(file, connectScript());
    expect(() => execFileSync('shellcheck', ['-s', 'bash', file], { encoding: 'utf8' })).not.toThrow();
  });

  it('appends the credential from the mounted files to a private copy of the settings, and passes no secret as an argument', async () => {
    const result = await run(install(), [], { POD_IP: '10.42.0.7' });
    expect(result.code).toBe(0);
    const conf = path.join(root, 'opt/spark/conf/spark-defaults.conf');
    expect(fs.readFileSync(conf, 'utf8')).toBe(
      'spark.master spark://master:7077\nspark.sql.catalog.iceberg.credential spark:s3cr3tValue42\n',
    );
    expect(fs.statSync(conf).mode & 0o077).toBe(0);
    const args = result.stdout.trim().split('\n');
    expect(args).toEqual([
      '--properties-file',
      conf,
      '--conf',
      'spark.driver.host=10.42.0.7',
      '--class',
      'org.apache.spark.sql.connect.service.SparkConnectServer',
      '--name',
      'Spark Connect server',
    ]);
    expect(result.stdout).not.toContain('s3cr3tValue42');
  });
});

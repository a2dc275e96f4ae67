// npm run bench [-- --skip-tests] [--runs N]
// Prints render wall time per environment, start-up included (a fresh `node` each run, as a user
// runs it), `check` over the k3d render after start-up, and the wall time of `npm test`.
// Targets: render < 3 s per environment, check < 1 s, tests < 3 min.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ENVIRONMENTS } from '../environments/schema';
import { checkObjects, loadObjects, yamlFiles } from '../policies/check';
import { loadEnvironment } from '../render/render-environment';
import { runCli } from './cli';

const ROOT = path.join(__dirname, '..');
const TEST_LOCK = path.join(ROOT, 'test/fixtures/images.lock.test-data.json');

function timed(command: string, args: string[], cwd = ROOT): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return seconds;
}

/** The committed stack file, pointed at the test lock when the environment pins digests. */
function stackFileFor(environment: string, dir: string): string {
  const stack = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${environment}.yaml`), 'utf8'));
  const images = stack.config['analytics-platform:images'];
  if (environment === 'airgapped') stack.config['analytics-platform:images'] = { ...images, lockFile: TEST_LOCK };
  const file = path.join(dir, `Pulumi.${environment}.yaml`);
  fs.writeFileSync(file, stringify(stack));
  return file;
}

/** `check` over the k3d render, in process (after start-up): objects per second. Target < 1 s. */
function benchCheck(dir: string): void {
  const out = path.join(dir, 'k3d-check');
  timed(process.execPath, ['--require', '@swc-node/register', 'bin/render.ts', '--env', 'k3d', '--out', out]);
  const objects = loadObjects(yamlFiles([out]));
  const config = loadEnvironment('k3d');
  checkObjects(objects, config); // warm-up: module loading and the schema models
  const runs = 5;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) checkObjects(objects, config);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9 / runs;
  console.log(
    `check over the k3d render: ${objects.length} objects in ${(seconds * 1000).toFixed(0)} ms, ${Math.round(objects.length / seconds)} objects/s (target < 1 s)  ${seconds < 1 ? 'ok' : 'OVER TARGET'}`,
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const USAGE = `Usage: npm run bench -- [--runs <n>] [--skip-tests]

Prints render wall time per environment, start-up included (a fresh node each run, as a user runs
it), check over the k3d render after start-up, and the wall time of npm test.
Targets: render < 3 s per environment, check < 1 s, tests < 3 min.

Options:
  --runs <n>      renders per environment; the median is reported (default 5)
  --skip-tests    do not time npm test
  -h, --help      show this help`;

runCli({ name: 'bench', usage: USAGE, options: { runs: 'value', 'skip-tests': 'flag' }, positionals: 0 }, (args) => {
  const runs = Number(args.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: received "${args.runs}"; expected a whole number of at least 1`);
  const skipTests = Boolean(args['skip-tests']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  console.log(`render, wall time with start-up, median of ${runs} runs (target < 3 s):`);
  for (const environment of ENVIRONMENTS) {
    const stack = stackFileFor(environment, dir);
    const times = Array.from({ length: runs }, (_, i) =>
      timed(process.execPath, [
        '--require',
        '@swc-node/register',
        'bin/render.ts',
        '--env',
        environment,
        '--config',
        stack,
        '--out',
        path.join(dir, `${environment}-${i}`),
      ]),
    );
    const m = median(times);
    console.log(
      `  ${environment.padEnd(10)} ${m.toFixed(2)} s  (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)})  ${m < 3 ? 'ok' : 'OVER TARGET'}`,
    );
  }
  benchCheck(dir);
  if (!skipTests) {
    const seconds = timed('npm', ['test', '--silent']);
    console.log(`npm test: ${seconds.toFixed(1)} s on ${os.cpus().length} cores (target < 180 s)  ${seconds < 180 ? 'ok' : 'OVER TARGET'}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

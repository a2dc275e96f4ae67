// npm run render -- --env <k3d|eks|airgapped> [--out <dir>] [--config <Pulumi.<stack>.yaml>]
// The offline main job: the platform for one environment as plain YAML, no cluster needed.
import * as path from 'node:path';
import { renderEnvironment } from '../render/render-environment';
import { parseArgs, runCli } from './cli';

runCli(() => {
  const args = parseArgs(process.argv.slice(2), { env: true, out: true, config: true });
  if (!args.env) throw new Error('--env: required; expected one of "k3d", "eks", "airgapped"');
  const outDir = args.out ?? path.join('dist', args.env);
  const { humanSummary } = renderEnvironment(args.env, outDir, args.config);
  console.log(humanSummary);
});

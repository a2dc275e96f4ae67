// npm run render -- --env <k3d|eks|airgapped> [--out <dir>] [--config <Pulumi.<stack>.yaml>]
// Without --env it renders the k3d laptop environment.
// The offline main job: the platform for one environment as plain YAML, no cluster needed.
import * as path from 'node:path';
import { renderEnvironment } from '../render/render-environment';
import { parseArgs, runCli } from './cli';

runCli(() => {
  const args = parseArgs(process.argv.slice(2), { env: true, out: true, config: true });
  const environment = args.env ?? 'k3d';
  const outDir = args.out ?? path.join('dist', environment);
  const { humanSummary } = renderEnvironment(environment, outDir, args.config);
  console.log(humanSummary);
});

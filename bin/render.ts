// npm run render -- [--env <k3d|eks|airgapped>] [--out <dir>] [--config <stack file>] [--prune-secrets]
// The offline main job: the platform for one environment as plain YAML, no cluster needed.
import * as path from 'node:path';
import { ENVIRONMENTS } from '../environments/schema';
import { renderEnvironment } from '../render/render-environment';
import { runCli } from './cli';

const USAGE = `Usage: npm run render -- [--env <${ENVIRONMENTS.join('|')}>] [--out <dir>] [--config <stack file>] [--prune-secrets]

Renders the platform of one environment as plain YAML (kubectl apply -k <out>), with no cluster
and no Pulumi CLI.

Options:
  --env <name>       the environment: ${ENVIRONMENTS.join(', ')} (default k3d)
  --out <dir>        where to write (default dist/<env>); a new directory or an earlier render's
  --config <file>    the stack file with overrides (default Pulumi.<env>.yaml when it exists)
  --prune-secrets    drop stored secret values no enabled service uses (by default a render keeps
                     them, so a service turned off and on again finds its database passwords)
  -h, --help         show this help

Options go after \`--\`: \`npm run render -- --env eks\` (without it npm takes --env itself).`;

runCli(
  {
    name: 'render',
    usage: USAGE,
    options: { env: 'value', out: 'value', config: 'value', 'prune-secrets': 'flag' },
    positionals: 0,
    suggest: (word) => ((ENVIRONMENTS as readonly string[]).includes(word) ? `--env ${word}` : undefined),
  },
  (args) => {
    const environment = args.env ?? 'k3d';
    const outDir = args.out ?? path.join('dist', environment);
    const { humanSummary } = renderEnvironment(environment, outDir, args.config, { prune: args['prune-secrets'] });
    console.log(humanSummary);
  },
);

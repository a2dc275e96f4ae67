// npm run images -- list [--env <env>] [--format text|json]
//   Every image the platform runs, its upstream source and the reference used in this environment.
// npm run images -- lock --env <env> [--tool crane|skopeo] [--out <file>]
//   Resolves every upstream image's digest into the lock file that digest pinning reads.
//   Mirror with a tool that keeps digests (`crane copy`, `skopeo copy --all`).
import * as fs from 'node:fs';
import { IMAGE_CATALOGUE, sourceRef } from '../components/images';
import { DigestTool, resolveLock, toolAvailable, writeLock } from '../components/image-lock';
import { imageResolverFor } from '../components/platform/build';
import { loadEnvironment } from '../render/render-environment';
import { ENVIRONMENTS } from '../environments/schema';
import { runCli } from './cli';

const USAGE = `Usage: npm run images -- list [--env <${ENVIRONMENTS.join('|')}>] [--config <stack file>] [--format text|json]
       npm run images -- lock --env <${ENVIRONMENTS.join('|')}> [--config <stack file>] [--tool crane|skopeo] [--out <file>]

  list     every image the platform runs: its upstream source and the reference used in the environment
  lock     resolves every upstream image's digest into the lock file digest pinning reads
           (images.lockFile, or --out); mirror with a tool that keeps digests (\`crane copy\`,
           \`skopeo copy --all\`)

Options:
  --env <name>       the environment (default k3d; required for lock)
  --config <file>    the stack file with overrides (default Pulumi.<env>.yaml when it exists)
  --format <f>       list: text (default) or json
  --tool <t>         lock: crane or skopeo (default: whichever is installed, crane first)
  --out <file>       lock: where to write the lock (default images.lockFile, or images.lock.json)
  -h, --help         show this help`;

runCli(
  {
    name: 'images',
    usage: USAGE,
    options: { env: 'value', format: 'value', tool: 'value', out: 'value', config: 'value' },
    positionals: 1,
  },
  (args) => {
    const [command] = args._;
    const config = loadEnvironment(args.env ?? 'k3d', args.config);
    if (command === 'list') {
      // Without digests: listing is what one does before a lock exists.
      const images = imageResolverFor({ ...config, images: { ...config.images, digestPinning: false } }).list();
      if (args.format === 'json') console.log(JSON.stringify({ environment: config.environment, images }, null, 2));
      else for (const image of images) console.log(`${image.source}  ->  ${image.target}`);
      return;
    }
    if (command === 'lock') {
      if (!args.env) throw new Error('--env: required for lock; the lock file path comes from the environment config (images.lockFile)');
      const out = args.out ?? config.images.lockFile ?? 'images.lock.json';
      if (fs.existsSync(out) && fs.statSync(out).isDirectory())
        throw new Error(`${args.out ? '--out' : 'images.lockFile'}: "${out}" is a directory; expected the path of the lock file`);
      const tool = (args.tool ?? (toolAvailable('crane') ? 'crane' : 'skopeo')) as DigestTool;
      if (tool !== 'crane' && tool !== 'skopeo') throw new Error(`--tool: received "${tool}"; expected "crane" or "skopeo"`);
      if (!toolAvailable(tool))
        throw new Error(`${tool} is not installed here; install crane or skopeo on a machine that reaches the registries`);
      const resolver = imageResolverFor({ ...config, images: { ...config.images, digestPinning: false } });
      const lock = resolveLock(
        tool,
        resolver.list().map((i) => i.source),
      );
      writeLock(out, lock);
      console.log(`wrote ${Object.keys(lock.images).length} digests to ${out}`);
      return;
    }
    throw new Error(
      `command: received "${command ?? ''}"; expected "list" or "lock" (catalogue has ${Object.keys(IMAGE_CATALOGUE).length} images, e.g. ${sourceRef(IMAGE_CATALOGUE.traefik)})`,
    );
  },
);

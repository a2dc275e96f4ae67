// npm run docs: regenerates docs/configuration.md, docs/policies.md, docs/architecture.md and
// policies/config/<env>.json from the schema, the profiles, the committed stack files, the rule
// registry and the platform model.
import * as fs from 'node:fs';
import { configurationReference } from '../environments/reference';
import { ENVIRONMENTS } from '../environments/schema';
import { packConfigText, policiesReference } from '../policies/reference';
import { architectureReference } from '../render/architecture';
import { loadEnvironment } from '../render/render-environment';
import { runCli } from './cli';

const USAGE = `Usage: npm run docs

Regenerates docs/configuration.md, docs/policies.md, docs/architecture.md and
policies/config/<env>.json from the schema, the profiles, the committed stack files, the rule
registry and the platform model (tests fail when they are stale). Run it from the repository root.

Options:
  -h, --help   show this help`;

runCli({ name: 'docs', usage: USAGE, options: {}, positionals: 0 }, () => {
  fs.mkdirSync('docs', { recursive: true });
  fs.writeFileSync('docs/configuration.md', configurationReference());
  fs.writeFileSync('docs/policies.md', policiesReference());
  fs.writeFileSync('docs/architecture.md', architectureReference());
  fs.mkdirSync('policies/config', { recursive: true });
  for (const env of ENVIRONMENTS) fs.writeFileSync(`policies/config/${env}.json`, packConfigText(loadEnvironment(env)));
  console.log('wrote docs/configuration.md, docs/policies.md, docs/architecture.md and policies/config/<env>.json');
});

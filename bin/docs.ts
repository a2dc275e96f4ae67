// npm run docs: regenerates docs/configuration.md from the schema and profiles.
import * as fs from 'node:fs';
import { configurationReference } from '../environments/reference';
import { runCli } from './cli';

runCli(() => {
  fs.mkdirSync('docs', { recursive: true });
  fs.writeFileSync('docs/configuration.md', configurationReference());
  console.log('wrote docs/configuration.md');
});

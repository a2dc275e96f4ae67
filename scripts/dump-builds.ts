// Writes every object of every environment's build (the test configs), one sorted JSON line each,
// so a refactor can be compared object for object: run before and after, then diff the folders.
// node --require @swc-node/register scripts/dump-builds.ts <out-dir>
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allObjects } from '../components/platform/build';
import { buildFor, ENVIRONMENTS, plannedSecrets } from '../test/helpers/build';

const out = process.argv[2];
if (!out) throw new Error('usage: scripts/dump-builds.ts <out-dir>');
fs.mkdirSync(out, { recursive: true });
for (const environment of ENVIRONMENTS) {
  const build = buildFor(environment);
  const lines = [...allObjects(build), ...plannedSecrets(build)].map((o) => JSON.stringify(o)).sort();
  fs.writeFileSync(path.join(out, `${environment}.jsonl`), `${lines.join('\n')}\n`);
  console.log(`${environment}: ${lines.length} objects`);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { configurationReference } from '../../environments/reference';

describe('docs/configuration.md', () => {
  const committed = fs.readFileSync(path.join(__dirname, '../../docs/configuration.md'), 'utf8');

  it('matches the schema and profiles (run `npm run docs` when this fails)', () => {
    expect(committed).toBe(configurationReference());
  });

  it('documents every top-level key with its per-environment defaults', () => {
    expect(committed).toContain('| `sizing` | `"small"`, `"medium"`, `"large"` | `"small"` | `"large"` | `"medium"` |');
    expect(committed).toContain('| `postgres.platform.host` (external) |');
  });
});

// Generated secret values survive a service turned off and on again: its database keeps the role
// password it was created with, so the render must hand the same one back. Dropping values is
// explicit (`--prune-secrets`).
import * as fs from 'node:fs';
import { tempDir } from '../helpers/temp-dirs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { writeRender } from '../../render/write';
import { buildFor } from '../helpers/build';
import { runBin } from '../bin/run';

const tmp = () => tempDir('secrets-');
const catalog = (enabled: boolean) => ({ governance: { openmetadata: { enabled } } });
const values = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'secrets/values.json'), 'utf8'));
const secrets = (out: string) => parseAllDocuments(fs.readFileSync(path.join(out, 'secrets/secrets.yaml'), 'utf8')).map((d) => d.toJSON());
const secretsOf = (out: string, names: string[]) =>
  secrets(out).filter((s) => names.includes(`${s.metadata.namespace}/${s.metadata.name}`));

describe('a service turned off and on again', () => {
  const on = buildFor('k3d', catalog(true));
  const off = buildFor('k3d', catalog(false));
  const names = (build: typeof on) => build.services.flatMap((s) => s.secrets.map((p) => `${p.namespace}/${p.name}`));
  const onlyWhenOn = names(on).filter((n) => !names(off).includes(n));

  it('is a case that drops Secrets (the catalog has its own database credentials)', () => {
    expect(onlyWhenOn.length).toBeGreaterThan(0);
  });

  it('gets back the same Secret values (database password, client secret, seeds)', () => {
    const out = tmp();
    writeRender(on, out);
    const before = secretsOf(out, onlyWhenOn);
    const stored = values(out);
    const result = writeRender(off, out);
    expect(result.unusedSecrets.length).toBeGreaterThan(0);
    expect(values(out).random).toEqual(stored.random);
    expect(secretsOf(out, onlyWhenOn)).toEqual([]);
    writeRender(on, out);
    expect(secretsOf(out, onlyWhenOn)).toEqual(before);
    expect(values(out)).toEqual(stored);
  });

  it('drops the unused values only when asked to prune', () => {
    const out = tmp();
    writeRender(on, out);
    const stored = values(out).random;
    const result = writeRender(off, out, {}, { prune: true });
    const kept = values(out).random;
    expect(Object.keys(kept).sort()).toEqual(
      Object.keys(stored)
        .filter((id) => !result.unusedSecrets.includes(id))
        .sort(),
    );
    expect(result.unusedSecrets.length).toBeGreaterThan(0);
    for (const id of Object.keys(kept)) expect(kept[id]).toBe(stored[id]);
  });
});

describe('npm run render -- --prune-secrets', () => {
  const stack = (cwd: string, enabled: boolean) =>
    fs.writeFileSync(
      path.join(cwd, 'Pulumi.k3d.yaml'),
      `config:\n  analytics-platform:governance:\n    openmetadata:\n      enabled: ${enabled}\n`,
    );

  it('keeps the values of services now off by default, says so, and drops them with --prune-secrets', () => {
    const cwd = tmp();
    stack(cwd, true);
    expect(runBin('render', ['--out', 'out'], { cwd }).status).toBe(0);
    const all = Object.keys(values(path.join(cwd, 'out')).random).sort();
    stack(cwd, false);
    const kept = runBin('render', ['--out', 'out'], { cwd });
    expect(kept.status).toBe(0);
    expect(kept.stdout).toMatch(
      /kept: +\d+ stored secret value\(s\) of services now off, for when they are on again \(--prune-secrets drops them\)/,
    );
    expect(Object.keys(values(path.join(cwd, 'out')).random).sort()).toEqual(all);
    const pruned = runBin('render', ['--out', 'out', '--prune-secrets'], { cwd });
    expect(pruned.status).toBe(0);
    expect(pruned.stdout).toMatch(/pruned: +\d+ stored secret value\(s\) no enabled service uses/);
    expect(Object.keys(values(path.join(cwd, 'out')).random).length).toBeLessThan(all.length);
  });
});

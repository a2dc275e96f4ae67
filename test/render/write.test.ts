import { spawnSync } from 'node:child_process';
import { tempDir } from '../helpers/temp-dirs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import forge from 'node-forge';
import { allObjects } from '../../components/platform/build';
import { MANIFEST_FILE, writeRender } from '../../render/write';
import { buildFor } from '../helpers/build';

const ROOT = path.join(__dirname, '../..');
const tmp = () => tempDir('render-');
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJSON());

describe('render output', () => {
  const build = buildFor('k3d');
  const out = tmp();
  const first = writeRender(build, out);

  it('writes one YAML file per service under its layer, and the namespaces', () => {
    for (const s of build.services) expect(fs.existsSync(path.join(out, s.declaration.layer, `${s.declaration.name}.yaml`))).toBe(true);
    const postgres = docs(read(out, 'storage/postgres-platform.yaml'));
    expect(postgres.map((o) => o.kind)).toContain('StatefulSet');
    expect(docs(read(out, 'storage/namespace.yaml')).map((o) => o.kind)).toEqual(['Namespace', 'NetworkPolicy', 'NetworkPolicy']);
  });

  it('lists every manifest file in the kustomization, namespaces first, secrets included', () => {
    const kustomization = parse(read(out, 'kustomization.yaml'));
    const manifests = first.files.filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(manifests.sort());
    const firstService = kustomization.resources.findIndex((r: string) => !r.endsWith('namespace.yaml'));
    expect(kustomization.resources.slice(0, firstService).every((r: string) => r.endsWith('namespace.yaml'))).toBe(true);
  });

  // That no generated value (nor a key derived from one) reaches any other file is judged, for every
  // environment, in test/render/no-secret-outside-secrets.test.ts.
  it('keeps secrets apart: git-ignored, and readable by the user only', () => {
    expect(read(out, '.gitignore')).toContain('secrets/');
    for (const file of ['secrets/secrets.yaml', 'secrets/values.json']) {
      expect(first.files).toContain(file);
      expect({ file, groupOrOther: fs.statSync(path.join(out, file)).mode & 0o077 }).toEqual({ file, groupOrOther: 0 });
    }
  });

  it('creates every planned Secret with the keys consumers reference', () => {
    const secrets = docs(read(out, 'secrets/secrets.yaml'));
    for (const plan of build.services.flatMap((s) => s.secrets)) {
      const secret = secrets.find((s) => s.metadata.name === plan.name && s.metadata.namespace === plan.namespace);
      expect(Object.keys(secret.data).sort()).toEqual(Object.keys(plan.data).sort());
    }
  });

  it('makes a self-signed wildcard certificate for the domain, signed by the platform CA', () => {
    const tls = docs(read(out, 'secrets/secrets.yaml')).find((s) => s.type === 'kubernetes.io/tls');
    const cert = forge.pki.certificateFromPem(Buffer.from(tls.data['tls.crt'], 'base64').toString());
    const ca = forge.pki.certificateFromPem(Buffer.from(tls.data['ca.crt'], 'base64').toString());
    expect(ca.verify(cert)).toBe(true);
    const names = (cert.getExtension('subjectAltName') as any).altNames.map((n: any) => n.value);
    expect(names).toEqual(['platform.localhost', '*.platform.localhost']);
  });

  it('keeps passwords and the CA when rendering again', () => {
    const before = read(out, 'secrets/values.json');
    writeRender(build, out);
    expect(read(out, 'secrets/values.json')).toBe(before);
  });

  it('summarizes services, requests (millicores, bytes) and totals', () => {
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.environment).toBe('k3d');
    const postgres = summary.services.find((s: any) => s.name === 'postgres-platform');
    expect(postgres).toMatchObject({ layer: 'storage', namespace: 'platform-storage', requests: { cpu: 250, memory: 256 * 2 ** 20 } });
    expect(summary.totals.cpu).toBe(summary.services.reduce((n: number, s: any) => n + s.requests.cpu, 0));
    expect(summary.totals.memory).toBe(summary.services.reduce((n: number, s: any) => n + s.requests.memory, 0));
    const secretCount = docs(read(out, 'secrets/secrets.yaml')).length;
    expect(summary.totals.objects).toBe(allObjects(build).length + secretCount);
    expect(summary.images).toEqual([...new Set(summary.services.flatMap((s: any) => s.images))].sort());
  });
});

describe('render refuses to overwrite what is not its own', () => {
  it('refuses a directory holding a file it did not write, and leaves it untouched', () => {
    const out = tmp();
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    expect(() => writeRender(buildFor('k3d'), out)).toThrow(/--out: ".*" holds files this tool did not write \(notes\.txt\)/);
    expect(fs.readdirSync(out)).toEqual(['notes.txt']);
  });

  it('refuses a foreign file added beside an earlier render', () => {
    const out = tmp();
    writeRender(buildFor('k3d'), out);
    fs.writeFileSync(path.join(out, 'storage', 'extra.yaml'), 'kind: ConfigMap');
    expect(() => writeRender(buildFor('k3d'), out)).toThrow(/storage\/extra\.yaml/);
  });

  it('removes only files its own previous render listed', () => {
    const out = tmp();
    writeRender(buildFor('k3d'), out);
    const manifest = JSON.parse(read(out, MANIFEST_FILE));
    fs.writeFileSync(path.join(out, 'storage', 'old-service.yaml'), 'kind: ConfigMap');
    manifest.files.push('storage/old-service.yaml');
    fs.writeFileSync(path.join(out, MANIFEST_FILE), JSON.stringify(manifest));
    writeRender(buildFor('k3d'), out);
    expect(fs.existsSync(path.join(out, 'storage', 'old-service.yaml'))).toBe(false);
  });
});

describe('npm run render', () => {
  const render = (args: string[], cwd = ROOT) =>
    spawnSync(process.execPath, ['--require', require.resolve('@swc-node/register'), path.join(ROOT, 'bin/render.ts'), ...args], {
      cwd,
      encoding: 'utf8',
    });

  it('prints a short summary of what it wrote', () => {
    const out = path.join(tmp(), 'k3d');
    const result = render(['--env', 'k3d', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Rendered environment "k3d" to .*\n\s+storage\s+\d+ services/);
    expect(result.stdout).toMatch(/requests: +[0-9.]+ CPU, [0-9.]+ GiB memory/);
    expect(fs.existsSync(path.join(out, 'k3d-cluster.yaml'))).toBe(true);
  });

  it('stops on bad config with the key, the value and what is allowed, and writes nothing', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'Pulumi.k3d.yaml'), 'config:\n  analytics-platform:sizing: huge\n');
    const out = path.join(dir, 'out');
    const result = render(['--env', 'k3d', '--out', out], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('sizing: received "huge"; expected one of "small", "medium", "large"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('stops with a clear message when digest pinning has no lock file', () => {
    const dir = tmp();
    fs.copyFileSync(path.join(ROOT, 'Pulumi.airgapped.yaml'), path.join(dir, 'Pulumi.airgapped.yaml'));
    const result = render(['--env', 'airgapped', '--out', path.join(dir, 'out')], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /images\.lockFile: ".*images\.lock\.json" does not exist; images\.digestPinning is on.*npm run images -- lock/,
    );
  });

  it('rejects an unknown option', () => {
    const result = render(['--env', 'k3d', '--outdir', 'x']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--outdir: unknown option; expected one of --env, --out, --config');
  });
});

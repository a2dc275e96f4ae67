import { spawnSync } from 'node:child_process';
import { tempDir } from '../../helpers/temp-dirs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGE_CATALOGUE, ImageResolver, readImageLock, sourceRef } from '../../../components/images';
import { TEST_LOCK_FILE } from '../../helpers/build';

const ROOT = path.join(__dirname, '../../..');
const settings = { digestPinning: false, pullPolicy: 'IfNotPresent' as const };

describe('image catalogue', () => {
  it('pins every image by an explicit tag, never latest', () => {
    for (const spec of Object.values(IMAGE_CATALOGUE)) {
      expect(spec.tag).not.toMatch(/^(latest|main|master|stable)$/);
      expect(spec.registry).toMatch(/\./);
    }
  });

  it('keeps repository paths distinct, so a mirror cannot mix two images up', () => {
    const paths = Object.values(IMAGE_CATALOGUE).map((s) => s.repository);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('rewrites every reference to the registry mirror, keeping the repository path', () => {
    const resolver = new ImageResolver({ ...settings, registryMirror: 'registry.corp:5000/mirror' });
    expect(resolver.ref('traefik')).toBe(`registry.corp:5000/mirror/library/traefik:${IMAGE_CATALOGUE.traefik.tag}`);
    for (const image of resolver.list()) expect(image.target.startsWith('registry.corp:5000/mirror/')).toBe(true);
  });

  it('pins by digest from the lock file when asked', () => {
    const lock = readImageLock(TEST_LOCK_FILE);
    const resolver = new ImageResolver({ ...settings, digestPinning: true, lockFile: TEST_LOCK_FILE }, lock);
    expect(resolver.ref('postgres')).toBe(`${sourceRef(IMAGE_CATALOGUE.postgres)}@${lock.images[sourceRef(IMAGE_CATALOGUE.postgres)]}`);
  });

  it('refuses to pin when the lock file lacks an image, naming it', () => {
    const partial = { images: { [sourceRef(IMAGE_CATALOGUE.traefik)]: `sha256:${'a'.repeat(64)}` } };
    expect(() => new ImageResolver({ ...settings, digestPinning: true }, partial)).toThrow(
      new RegExp(`images.lockFile: no digest for .*${sourceRef(IMAGE_CATALOGUE.postgres).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
    );
  });

  it('rejects a file that is not a lock file', () => {
    const file = path.join(tempDir('lock-'), 'lock.json');
    fs.writeFileSync(file, JSON.stringify({ images: { 'docker.io/x:1': 'md5:abc' } }));
    expect(() => readImageLock(file)).toThrow(/is not a lock file: .*bad entries: docker.io\/x:1/);
  });

  it('has a test lock fixture that is plainly test data and covers the catalogue', () => {
    const fixture = JSON.parse(fs.readFileSync(TEST_LOCK_FILE, 'utf8'));
    expect(fixture.note).toMatch(/^TEST DATA: these digests are fake/);
    // When this fails after a catalogue change: node --require @swc-node/register test/fixtures/regenerate-test-lock.ts
    expect(Object.keys(fixture.images).sort()).toEqual(Object.values(IMAGE_CATALOGUE).map(sourceRef).sort());
  });
});

describe('npm run images', () => {
  const images = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, ['--require', require.resolve('@swc-node/register'), path.join(ROOT, 'bin/images.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env,
    });

  it('lists every image with its source and the reference used in the environment', () => {
    const result = images(['list', '--env', 'airgapped', '--format', 'json']);
    expect(result.status).toBe(0);
    const listed = JSON.parse(result.stdout);
    expect(listed.images.length).toBe(Object.keys(IMAGE_CATALOGUE).length);
    for (const image of listed.images) expect(image.target).toMatch(/^registry\.corp\.internal:5000\//);
  });

  it('resolves digests with crane into the lock file', () => {
    // A stand-in crane that answers like the real one, so the command is tested without a registry.
    const bin = tempDir('bin-');
    fs.writeFileSync(
      path.join(bin, 'crane'),
      '#!/bin/sh\n[ "$1" = version ] && exit 0\nprintf "sha256:%s\\n" "$(printf %s "$2" | sha256sum | cut -c1-64)"\n',
      { mode: 0o755 },
    );
    const out = path.join(bin, 'lock.json');
    const result = images(['lock', '--env', 'k3d', '--tool', 'crane', '--out', out], {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
    });
    expect(result.stderr).toBe('');
    const lock = readImageLock(out);
    expect(Object.keys(lock.images).sort()).toEqual(Object.values(IMAGE_CATALOGUE).map(sourceRef).sort());
  });

  it('fails clearly when the digest tool is missing, writing nothing', () => {
    const out = path.join(tempDir('lock-'), 'lock.json');
    const result = images(['lock', '--env', 'k3d', '--tool', 'skopeo', '--out', out], { ...process.env, PATH: '/nonexistent' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/skopeo is not installed here/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

// `--out` must be a directory: a file there (or on the way there) is an error naming it, never
// ENOTDIR, and the file is left as it was.
import * as fs from 'node:fs';
import { tempDir } from '../helpers/temp-dirs';
import * as path from 'node:path';
import { RenderRefusedError, writeRender } from '../../render/write';
import { buildFor } from '../helpers/build';
import { runBin } from '../bin/run';

const tmp = () => tempDir('out-dir-');

describe('--out naming a file', () => {
  it('is refused by render with a clear message, the file untouched', () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'notes.txt'), 'mine');
    const result = runBin('render', ['--out', 'notes.txt'], { cwd });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'error: --out: "notes.txt" is a file; expected a directory (a new one, or the output of an earlier render)\n',
    );
    expect(fs.readFileSync(path.join(cwd, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('is refused when a file lies on the way to the directory', () => {
    const dir = tmp();
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'mine');
    expect(() => writeRender(buildFor('k3d'), path.join(file, 'k3d'))).toThrow(
      new RenderRefusedError(
        `--out: "${path.join(file, 'k3d')}" lies under "${file}", which is a file; expected a directory (a new one, or the output of an earlier render)`,
      ),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
  });
});

describe('images lock --out naming a directory', () => {
  it('is refused before any tool runs', () => {
    const dir = tmp();
    const result = runBin('images', ['lock', '--env', 'k3d', '--out', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: --out: "${dir}" is a directory; expected the path of the lock file\n`);
  });
});

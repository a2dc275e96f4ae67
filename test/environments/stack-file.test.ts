// Stack files that would render the defaults without a word: keys under another project's
// namespace, no `config:`, a `config:` that is not a map, YAML that does not parse. Each stops
// with the file, the key and what is expected.
import * as fs from 'node:fs';
import { tempDir } from '../helpers/temp-dirs';
import * as path from 'node:path';
import { ConfigError, configEntriesToOverrides, overridesForEnvironment, readStackFile } from '../../environments/load';
import { runBin } from '../bin/run';

const dir = tempDir('stack-file-');
let n = 0;
const write = (text: string) => {
  const file = path.join(dir, `Pulumi.s${n++}.yaml`);
  fs.writeFileSync(file, text);
  return file;
};

/** The problems reading a stack file reports, with the source ConfigError names. */
function problemsOf(file: string): { source: string; problems: string[] } {
  try {
    readStackFile(file);
  } catch (error) {
    if (error instanceof ConfigError) return { source: error.message.split('\n')[0], problems: error.problems };
    throw error;
  }
  return { source: '', problems: [] };
}

describe('keys of this project under another project name', () => {
  it('stops on `analytics:domain`, naming the key and the expected `analytics-platform:domain`', () => {
    const file = write('config:\n  analytics:domain: data.example.com\n  analytics:sizing: medium\n');
    expect(problemsOf(file)).toEqual({
      source: `invalid platform config (${file}):`,
      problems: [
        'analytics:domain: "analytics" is not this project\'s config namespace, so the setting would be ignored; expected `analytics-platform:domain` (the project name in Pulumi.yaml)',
        'analytics:sizing: "analytics" is not this project\'s config namespace, so the setting would be ignored; expected `analytics-platform:sizing` (the project name in Pulumi.yaml)',
      ],
    });
  });

  it("leaves Pulumi's and the providers' namespaces alone, and keys that are not ours", () => {
    const file = write(
      'config:\n  analytics-platform:domain: a.example.com\n  kubernetes:context: other\n  aws:region: eu-west-1\n  pulumi:tags: { team: data }\n  eks:domain: x\n  other-project:replicas: 3\n',
    );
    expect(readStackFile(file)).toEqual({ domain: 'a.example.com' });
  });

  it('applies to the Pulumi program too (stack config read from the engine)', () => {
    expect(() => configEntriesToOverrides([['platform:prefix', 'data']], 'stack "k3d"')).toThrow(
      /platform:prefix: "platform" is not this project's config namespace.*expected `analytics-platform:prefix`/,
    );
  });
});

describe('stack files without usable config', () => {
  it('stops on a file without `config:`, listing what it has', () => {
    expect(problemsOf(write('encryptionsalt: v1:abc\n')).problems).toEqual([
      'config: missing (the file has "encryptionsalt"); the platform reads its settings from `config:` as `analytics-platform:<key>: <value>`',
    ]);
  });

  it('stops on a `config:` that is not a map', () => {
    expect(problemsOf(write('config:\n  - analytics-platform:domain: a.example.com\n')).problems).toEqual([
      'config: received [{"analytics-platform:domain":"a.example.com"}]; expected a map of `analytics-platform:<key>: <value>` entries',
    ]);
    expect(problemsOf(write('config:\n')).problems).toEqual([
      'config: received nothing; expected a map of `analytics-platform:<key>: <value>` entries',
    ]);
  });

  it('stops on an empty file and on a file that is not a map', () => {
    expect(problemsOf(write('')).problems[0]).toMatch(/^\(top level\): the file is empty; expected a Pulumi stack file/);
    expect(problemsOf(write('- a\n')).problems[0]).toMatch(/^\(top level\): received \["a"\]; expected a Pulumi stack file/);
  });

  it('names the file of a YAML syntax error', () => {
    const file = write('config:\n  analytics-platform:sizing: {small\n');
    const found = problemsOf(file);
    expect(found.source).toBe(`invalid platform config (${file}):`);
    expect(found.problems[0]).toMatch(/^not valid YAML: .* at line \d+, column \d+$/);
  });

  it('refuses a directory given as --config', () => {
    expect(() => overridesForEnvironment('k3d', dir)).toThrow(
      `--config: received "${dir}"; it is a directory, expected a Pulumi stack file`,
    );
  });

  it('still accepts an empty `config:` map', () => {
    expect(readStackFile(write('config: {}\n'))).toEqual({});
  });
});

describe('npm run render on such a stack file', () => {
  it('stops with the key and writes nothing, instead of rendering the defaults', () => {
    const cwd = tempDir('stack-render-');
    fs.writeFileSync(path.join(cwd, 'Pulumi.k3d.yaml'), 'config:\n  analytics:sizing: small\n');
    const result = runBin('render', ['--out', 'out'], { cwd });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('analytics:sizing: "analytics" is not this project\'s config namespace');
    expect(result.stderr).toContain('expected `analytics-platform:sizing`');
    expect(fs.existsSync(path.join(cwd, 'out'))).toBe(false);
  });
});

// The command-line tools as users run them: every command answers --help and -h with its usage,
// and no flag is lost silently (npm taking it, a bare word where an option was meant).
import { spawnSync } from 'node:child_process';
import { tempDir } from '../helpers/temp-dirs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { npmTookOptions, parseArgs, type Command } from '../../bin/cli';
import { ROOT, runBin } from './run';

const tmp = () => tempDir('cli-');

describe('every command answers --help and -h', () => {
  it.each([
    ['render', /^Usage: npm run render -- \[--env <k3d\|eks\|airgapped>\].*--prune-secrets/s],
    ['check', /^Usage: npm run check -- <dir or files\.\.\.>.*--output <file>.*--list-rules/s],
    ['images', /^Usage: npm run images -- list .*lock --env/s],
    ['docs', /^Usage: npm run docs\n/],
    ['bench', /^Usage: npm run bench -- \[--runs <n>\] \[--skip-tests\]/],
  ])('%s prints its usage on stdout and exits 0, doing nothing else', (command, usage) => {
    const cwd = tmp();
    // -h alone, and --help among other arguments: help wins, and nothing runs (docs and render would write here).
    for (const args of [['-h'], ['--env', 'eks', '--help']]) {
      const result = runBin(command, args, { cwd });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(usage);
      expect(result.stdout).toContain('-h, --help');
    }
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});

describe('flags npm takes for itself', () => {
  it('stops render when npm took --env (`npm run render --env eks`), showing the right command', () => {
    const out = path.join(tmp(), 'out');
    const result = runBin('render', ['eks', '--out', out], { env: { npm_config_env: 'true' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'error: npm took --env itself (the program never saw it); put options after `--`: write `npm run render -- --env eks`\n',
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('stops render when npm took --env=eks', () => {
    const result = runBin('render', [], { env: { npm_config_env: 'eks' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('write `npm run render -- --env eks`');
  });

  it('stops through the real npm, before rendering the defaults', () => {
    const result = spawnSync('npm', ['run', '--silent', 'render', '--env', 'eks'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm took --env itself');
    expect(result.stdout).not.toContain('Rendered environment');
  });

  it('names every option npm took, flags and values', () => {
    const command: Command<{ out: 'value'; 'prune-secrets': 'flag' }> = {
      name: 'render',
      usage: '',
      options: { out: 'value', 'prune-secrets': 'flag' },
      positionals: 0,
    };
    expect(npmTookOptions(command, [], { npm_config_out: 'x', npm_config_prune_secrets: 'true' })).toBe(
      'npm took --out, --prune-secrets itself (the program never saw them); put options after `--`: write `npm run render -- --out x --prune-secrets`',
    );
    expect(npmTookOptions(command, [], {})).toBeUndefined();
  });
});

describe('arguments that would be ignored', () => {
  it('refuses a bare environment name given to render (`render -- eks`), suggesting --env', () => {
    const out = path.join(tmp(), 'out');
    const result = runBin('render', ['eks', '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'error: eks: unexpected argument; npm run render takes options only (did you mean `--env eks`?); see --help\n',
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses unknown short options and values given to flags', () => {
    const command: Command<{ env: 'value'; 'prune-secrets': 'flag' }> = {
      name: 'render',
      usage: '',
      options: { env: 'value', 'prune-secrets': 'flag' },
      positionals: 0,
    };
    expect(() => parseArgs(['-e', 'eks'], command)).toThrow('-e: unknown option; expected one of --env, --prune-secrets (or --help)');
    expect(() => parseArgs(['--prune-secrets=yes'], command)).toThrow('--prune-secrets: takes no value (received "yes")');
    expect(parseArgs(['--env=eks', '--prune-secrets'], command)).toEqual({ env: 'eks', 'prune-secrets': true, _: [] });
  });

  it('refuses arguments docs and bench do not take', () => {
    expect(runBin('docs', ['eks'], { cwd: tmp() }).stderr).toContain('eks: unexpected argument; npm run docs takes options only');
    const bench = runBin('bench', ['--runs', 'many']);
    expect(bench.status).toBe(1);
    expect(bench.stderr).toContain('--runs: received "many"; expected a whole number of at least 1');
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeRender } from '../../render/write';
import { RULES } from '../../policies/registry';
import { buildFor } from '../helpers/build';

const ROOT = path.join(__dirname, '../..');
const check = (args: string[]) =>
  spawnSync(process.execPath, ['--require', require.resolve('@swc-node/register'), path.join(ROOT, 'bin/check.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });

describe('npm run check', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'check-')), 'k3d');
  writeRender(buildFor('k3d'), out);

  it('passes the k3d render (schema, references, every rule) and exits 0', () => {
    const result = check([out, '--env', 'k3d', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.rules).toBe(RULES.length + 2);
    expect(report.violations.filter((v: any) => v.enforcement === 'mandatory')).toEqual([]);
  });

  it('exits 1 on a mandatory violation in YAML that is not ours, naming rule, object and message', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foreign-'));
    fs.writeFileSync(
      path.join(dir, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: apps }\nspec:\n  hostNetwork: true\n  containers: [{ name: web, image: nginx }]\n',
    );
    const result = check([path.join(dir, 'pod.yaml'), '--env', 'eks', '--format', 'json']);
    expect(result.status).toBe(1);
    const violation = JSON.parse(result.stdout).violations.find((v: any) => v.rule === 'pss-host-namespaces');
    expect(violation).toEqual({
      rule: 'pss-host-namespaces',
      severity: 'critical',
      enforcement: 'mandatory',
      object: 'v1 Pod apps/web',
      message: 'spec.hostNetwork is true',
    });
  });

  it('reports schema and reference problems as mandatory findings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-'));
    fs.writeFileSync(
      path.join(dir, 'svc.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: apps }\nspec:\n  selector: { app: missing }\n  ports: [{ port: "eighty" }]\n',
    );
    const result = check([dir, '--env', 'k3d', '--format', 'json']);
    expect(result.status).toBe(1);
    const rules = JSON.parse(result.stdout).violations.map((v: any) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['schema', 'references']));
  });

  it('prints a table by default', () => {
    const result = check([out, '--env', 'k3d']);
    expect(result.stdout).toMatch(/(no findings|ENFORCEMENT +SEVERITY +RULE)/);
  });

  it('lists every rule with its metadata', () => {
    const result = check(['--list-rules', '--format', 'json']);
    const { rules } = JSON.parse(result.stdout);
    expect(rules.map((r: any) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(rules[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        severity: expect.any(String),
        category: expect.any(String),
        controls: expect.any(Object),
        enforcement: expect.any(Object),
      }),
    );
  });
});

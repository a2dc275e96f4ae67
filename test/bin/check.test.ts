// `npm run check` as CI runs it: JSON that parses, with counts; a report file; findings sorted by
// severity; errors that name the file at fault; invalid ipBlock CIDRs failing the check.
import * as fs from 'node:fs';
import { tempDir } from '../helpers/temp-dirs';
import * as path from 'node:path';
import { runBin } from './run';

const tmp = () => tempDir('check-bin-');
const SEVERITIES = ['critical', 'high', 'medium', 'low'];

/** A pod breaking rules of every severity, beside a Service with schema and reference problems. */
function brokenManifests(): string {
  const dir = tmp();
  fs.writeFileSync(
    path.join(dir, 'svc.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: apps }\nspec:\n  selector: { app: missing }\n  ports: [{ port: "eighty" }]\n',
  );
  fs.writeFileSync(
    path.join(dir, 'pod.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: apps }\nspec:\n  hostNetwork: true\n  containers: [{ name: web, image: nginx }]\n',
  );
  return dir;
}

describe('npm run check --format json', () => {
  const dir = brokenManifests();
  const result = runBin('check', [dir, '--env', 'eks', '--format', 'json']);
  const report = JSON.parse(result.stdout);

  it('prints only the JSON report on stdout, and exits 1 on mandatory findings', () => {
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().startsWith('{')).toBe(true);
  });

  it('gives the counts: findings, mandatory, advisory and per severity', () => {
    const v = report.violations as { enforcement: string; severity: string }[];
    expect(report.counts).toEqual({
      findings: v.length,
      mandatory: v.filter((x) => x.enforcement === 'mandatory').length,
      advisory: v.filter((x) => x.enforcement !== 'mandatory').length,
      bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, v.filter((x) => x.severity === s).length])),
    });
    expect(report.counts.bySeverity.critical).toBeGreaterThan(0);
  });
});

describe('npm run check (table)', () => {
  it('lists findings most severe first, mandatory before advisory', () => {
    const result = runBin('check', [brokenManifests(), '--env', 'eks']);
    expect(result.status).toBe(1);
    const rows = result.stdout
      .split('\n')
      .slice(1)
      .filter((l) => /^(mandatory|advisory)\s/.test(l))
      .map((l) => l.split(/\s+/));
    expect(rows.length).toBeGreaterThan(3);
    const order = rows.map(([enforcement, severity]) => SEVERITIES.indexOf(severity) * 2 + (enforcement === 'mandatory' ? 0 : 1));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(rows.map((r) => r[1])).size).toBeGreaterThan(1);
    const [header, first] = result.stdout.split('\n');
    expect(header).toMatch(/^ENFORCEMENT +SEVERITY +RULE +OBJECT +MESSAGE$/);
    // Columns line up under the header.
    expect(first.indexOf(rows[0][1])).toBe(header.indexOf('SEVERITY'));
    expect(first.indexOf(rows[0][2])).toBe(header.indexOf('RULE'));
  });
});

describe('npm run check --output', () => {
  it('writes the report to the file and the counts to stdout', () => {
    const dir = tmp();
    const file = path.join(dir, 'report.json');
    const result = runBin('check', [brokenManifests(), '--env', 'eks', '--format', 'json', '--output', file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^\d+ mandatory, \d+ advisory \(\d+ checks\); report written to .*report\.json\n$/);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).counts.mandatory).toBeGreaterThan(0);
    // Running again replaces its own earlier report.
    expect(runBin('check', [brokenManifests(), '--env', 'eks', '--format', 'json', '--output', file]).status).toBe(1);
  });

  it('refuses to overwrite a file that is not an earlier report, or a directory, and leaves them alone', () => {
    const dir = tmp();
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'mine');
    const result = runBin('check', [brokenManifests(), '--output', notes]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `error: --output: "${notes}" exists and is not an earlier check report; choose another path or remove it yourself\n`,
    );
    expect(fs.readFileSync(notes, 'utf8')).toBe('mine');
    expect(runBin('check', [brokenManifests(), '--output', dir]).stderr).toContain(`--output: "${dir}" is a directory`);
  });
});

describe('npm run check names the file at fault', () => {
  it('names a manifest with a YAML syntax error', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n  x: [\n');
    const result = runBin('check', [dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: ${path.join(dir, 'bad.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
  });

  it('names a stack file with a YAML syntax error', () => {
    const dir = tmp();
    const stack = path.join(dir, 'Pulumi.k3d.yaml');
    fs.writeFileSync(stack, 'config:\n  analytics-platform:sizing: {small\n');
    const result = runBin('check', [brokenManifests(), '--config', stack]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`invalid platform config (${stack}):\n  - not valid YAML: `);
  });
});

describe('npm run check on ipBlock CIDRs', () => {
  it('fails a NetworkPolicy whose CIDR has an octet above 255', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'policy.yaml'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: egress, namespace: apps }\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to: [{ ipBlock: { cidr: 300.1.2.3/8 } }]\n',
    );
    const result = runBin('check', [dir, '--env', 'k3d', '--format', 'json']);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).violations).toContainEqual({
      rule: 'network-policy-valid-cidrs',
      severity: 'high',
      enforcement: 'mandatory',
      object: 'networking.k8s.io/v1 NetworkPolicy apps/egress',
      message: 'spec.egress[0].to[0].ipBlock.cidr "300.1.2.3/8" has octet 300; each of the four numbers of an IPv4 address is 0 to 255',
    });
  });
});

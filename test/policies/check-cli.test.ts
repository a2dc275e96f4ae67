import { spawnSync } from 'node:child_process';
import { tempDir } from '../helpers/temp-dirs';
import * as fs from 'node:fs';
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
  const out = path.join(tempDir('check-'), 'k3d');
  writeRender(buildFor('k3d'), out);

  it('passes the k3d render as a complete set (schema, references, every rule) and exits 0', () => {
    const result = check([out, '--env', 'k3d', '--complete', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.rules).toBe(RULES.length + 2);
    expect(report.violations.filter((v: any) => v.enforcement === 'mandatory')).toEqual([]);
  });

  it('exits 1 on a mandatory violation in YAML that is not ours, naming rule, object and message', () => {
    const dir = tempDir('foreign-');
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
    const dir = tempDir('broken-');
    fs.writeFileSync(
      path.join(dir, 'svc.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: apps }\nspec:\n  selector: { app: missing }\n  ports: [{ port: "eighty" }]\n',
    );
    const result = check([dir, '--env', 'k3d', '--format', 'json']);
    expect(result.status).toBe(1);
    const rules = JSON.parse(result.stdout).violations.map((v: any) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['schema', 'references']));
  });

  describe('a partial set naming objects the cluster provides', () => {
    const dir = tempDir('partial-');
    // An Ingress of a class the cluster's controller installs, in a Namespace created elsewhere.
    fs.writeFileSync(
      path.join(dir, 'ingress.yaml'),
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: web, namespace: apps }',
        'spec: { type: ExternalName, externalName: web.example.com, ports: [{ name: http, port: 80 }] }',
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: Ingress',
        'metadata: { name: web, namespace: apps }',
        'spec:',
        '  ingressClassName: nginx',
        '  tls: [{ hosts: [web.example.com], secretName: web-tls }]',
        '  rules:',
        '    - host: web.example.com',
        '      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { name: http } } } }] }',
        '',
      ].join('\n'),
    );
    const referenceFindings = (stdout: string) => JSON.parse(stdout).violations.filter((v: any) => v.rule === 'references');

    it('exits 0 without --complete: the IngressClass and Namespace are advisory, saying why', () => {
      const result = check([dir, '--env', 'k3d', '--format', 'json']);
      expect(result.stderr).toBe('');
      expect(referenceFindings(result.stdout)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            enforcement: 'advisory',
            severity: 'low',
            message: expect.stringMatching(
              /^spec\.ingressClassName: IngressClass "nginx" not found \(advisory: .*--complete makes it mandatory\)$/,
            ),
          }),
          expect.objectContaining({ enforcement: 'advisory', message: expect.stringContaining('Namespace "apps" not found') }),
        ]),
      );
      expect(result.status).toBe(0);
    });

    it('exits 1 with --complete, where they are mandatory', () => {
      const result = check([dir, '--env', 'k3d', '--complete', '--format', 'json']);
      expect(referenceFindings(result.stdout)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ enforcement: 'mandatory', message: 'spec.ingressClassName: IngressClass "nginx" not found' }),
          expect.objectContaining({ enforcement: 'mandatory', message: 'metadata.namespace: Namespace "apps" not found' }),
        ]),
      );
      expect(result.status).toBe(1);
    });
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

// The OPA service: declaration, Deployment (arguments, files loaded, probes, rollout on change,
// sizing) and the ConfigMaps holding the Rego and the compiled access model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCESS_DATA_FILE, ACCESS_DATA_PATH } from '../../../../components/governance/opa/access-model';
import { OPA_PORTS, OPA_SERVICE } from '../../../../components/governance/contract';
import { CHECKSUM_ANNOTATION, opaDefinition } from '../../../../components/governance/opa/opa';
import type { PlatformBuild } from '../../../../components/platform/build';
import { podSecurityLevel } from '../../../../components/base/pod-security';
import { buildFor, containerOf, ENVIRONMENTS, find, objectsOf } from '../../../helpers/build';
import { TEST_ACCESS } from './trino-requests';

const build = (env: string, extra: Record<string, unknown> = {}): PlatformBuild => buildFor(env, extra, [opaDefinition]);
const deploymentOf = (b: PlatformBuild) => find(objectsOf(b, OPA_SERVICE), 'Deployment', 'opa');
const opaContainer = (b: PlatformBuild) => containerOf(deploymentOf(b), 'opa');
const checksumOf = (b: PlatformBuild) => deploymentOf(b).spec.template.metadata.annotations[CHECKSUM_ANNOTATION];

const k3d = build('k3d');
const objects = objectsOf(k3d, OPA_SERVICE);

describe('OPA declaration', () => {
  const decl = k3d.services.find((s) => s.declaration.name === OPA_SERVICE)!.declaration;

  it('sits in the governance layer, internal only, with the decision API on 8181 and diagnostics on 8282', () => {
    expect(decl.layer).toBe('governance');
    expect(decl.publicHost).toBeUndefined();
    expect(decl.ports).toEqual([
      { name: 'http', port: 8181, http: true },
      { name: 'diagnostics', port: 8282, http: true },
    ]);
    expect(decl.edges).toEqual([]);
  });

  it('is scraped for metrics on the diagnostic port', () => {
    expect(decl.metrics).toEqual({ port: OPA_PORTS.diagnostics.name, path: '/metrics' });
  });

  it('is reached through the Service named opa on both ports', () => {
    const service = find(objects, 'Service', 'opa');
    expect(service.spec.ports.map((p: any) => [p.name, p.port])).toEqual([
      ['http', 8181],
      ['diagnostics', 8282],
    ]);
  });
});

describe('OPA Deployment', () => {
  const container = opaContainer(k3d);

  it('runs the pinned static OPA image as its image user, restricted', () => {
    expect(container.image).toMatch(/^docker\.io\/openpolicyagent\/opa:1\.\d+\.\d+-static$/);
    expect(deploymentOf(k3d).spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(podSecurityLevel(deploymentOf(k3d).spec.template.spec)).toBe('restricted');
  });

  it('serves on all interfaces, diagnostics apart, logs JSON with every decision on stdout, and never checks for releases', () => {
    expect(container.args.slice(0, 10)).toEqual([
      'run',
      '--server',
      '--addr=:8181',
      '--diagnostic-addr=:8282',
      '--authorization=basic',
      '--log-format=json',
      '--log-level=info',
      '--set=decision_logs.console=true',
      '--skip-version-check',
      '--shutdown-wait-period=5',
    ]);
    expect(container.args.some((a: string) => /telemetry|--watch|bundles\.|services\./.test(a))).toBe(false);
  });

  it('loads every Rego module and the compiled model at data.access_model, each a key of the ConfigMap mounted there', () => {
    const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    const volumes = Object.fromEntries(deploymentOf(k3d).spec.template.spec.volumes.map((v: any) => [v.name, v.configMap?.name]));
    const files = container.args.slice(10) as string[];
    expect(files).toEqual([
      '/policies/assistant.rego',
      '/policies/system.authz.rego',
      '/policies/trino.rego',
      `${ACCESS_DATA_PATH}:/data/${ACCESS_DATA_FILE}`,
    ]);
    for (const arg of files) {
      const file = arg.split(':').pop()!;
      const dir = file.slice(0, file.lastIndexOf('/'));
      const configMap = find(objects, 'ConfigMap', volumes[mounts[dir]]);
      expect([arg, Object.keys(configMap.data)]).toEqual([arg, expect.arrayContaining([file.slice(dir.length + 1)])]);
    }
    expect(container.volumeMounts.every((m: any) => m.readOnly)).toBe(true);
  });

  it('ships the Rego policies unchanged, without their unit tests, and the model compiled from this config', () => {
    const dir = path.join(__dirname, '../../../../components/governance/opa/rego');
    const [tests, policies] = [true, false].map((test) => fs.readdirSync(dir).filter((f) => f.endsWith('_test.rego') === test));
    expect(tests.length).toBeGreaterThan(0);
    const sources = Object.fromEntries(policies.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    expect(find(objects, 'ConfigMap', 'opa-policies').data).toEqual(sources);
    const data = JSON.parse(find(objects, 'ConfigMap', 'opa-data').data[ACCESS_DATA_FILE]);
    expect(data.adminGroups).toEqual(['platform-admin']);
    expect(data.defaultRoleGroup).toBe('platform-analyst');
    expect(data.assistantGroups).toEqual(['platform-admin', 'platform-engineer', 'platform-analyst']);
    expect(data.grants.some((g: any) => g.groups.includes('platform-viewer') && g.schemas.includes('curated'))).toBe(true);
  });

  it('is ready and alive while /health answers on the diagnostic port', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 8282 });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 8282 });
  });

  it('rolls its pods when the access model changes, and only then', () => {
    const changed = build('k3d', { governance: { access: TEST_ACCESS } });
    expect(checksumOf(changed)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf(changed)).not.toBe(checksumOf(k3d));
    expect(checksumOf(build('k3d'))).toBe(checksumOf(k3d));
  });

  it('plans no Secret: policies and access model hold no credentials', () => {
    expect(k3d.services.find((s) => s.declaration.name === OPA_SERVICE)!.secrets).toEqual([]);
  });
});

describe.each([
  ['k3d', 1],
  ['airgapped', 2],
  ['eks', 3],
])('OPA replicas in %s', (env, replicas) => {
  const b = build(env);

  it(`runs ${replicas} replica(s), with a disruption budget when there are several`, () => {
    expect(deploymentOf(b).spec.replicas).toBe(replicas);
    const budget = objectsOf(b, OPA_SERVICE).find((o) => o.kind === 'PodDisruptionBudget');
    expect(Boolean(budget)).toBe(replicas > 1);
  });
});

describe('OPA on the small profile', () => {
  it('asks for 50m CPU and 96Mi memory: the whole document and every decision fit in little', () => {
    const { requests } = opaContainer(k3d).resources;
    expect(requests).toEqual({ cpu: '50m', memory: '96Mi' });
  });

  it('builds in every environment with the same files loaded', () => {
    for (const env of ENVIRONMENTS) expect(opaContainer(build(env)).args.slice(9)).toEqual(opaContainer(k3d).args.slice(9));
  });
});

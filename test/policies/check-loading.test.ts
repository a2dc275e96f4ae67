// `check` reads every Kubernetes object in the files, whatever it lacks: a document without metadata
// is judged and reported, never dropped; List items are objects; tool configs and other YAML are not.
import * as fs from 'node:fs';
import { tempDir } from '../helpers/temp-dirs';
import * as path from 'node:path';
import { checkObjects, loadObjects } from '../../policies/check';
import { RULES } from '../../policies/registry';
import { configFor } from '../helpers/build';

const config = configFor('k3d');
const write = (text: string) => {
  const file = path.join(tempDir('load-'), 'manifests.yaml');
  fs.writeFileSync(file, text);
  return file;
};

const NO_METADATA = `apiVersion: v1
kind: ConfigMap
data: { mode: fast }
---
apiVersion: v1
kind: Pod
spec:
  hostNetwork: true
  containers: [{ name: web, image: docker.io/library/nginx:1.27 }]
`;

describe('loadObjects', () => {
  it('keeps documents without metadata', () => {
    expect(loadObjects([write(NO_METADATA)]).map((o) => o.kind)).toEqual(['ConfigMap', 'Pod']);
  });

  it('keeps documents that name a kind but no apiVersion, or the reverse', () => {
    const file = write('kind: Deployment\nmetadata: { name: a }\n---\napiVersion: v1\nmetadata: { name: b }\n');
    expect(loadObjects([file]).map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('reads the items of a List as objects of their own', () => {
    const file = write(
      'apiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }\n  - { apiVersion: v1, kind: Secret, metadata: { name: b } }\n',
    );
    expect(loadObjects([file]).map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['ConfigMap a', 'Secret b']);
  });

  it('skips tool configuration, YAML that is not an object, and empty documents', () => {
    const file = write(
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []',
        'apiVersion: k3d.io/v1alpha5\nkind: Simple\nmetadata: { name: dev }',
        'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster',
        'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration',
        'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration',
        'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []',
        'apiVersion: skaffold/v4beta6\nkind: Config\nmetadata: { name: app }',
        'apiVersion: v1\nkind: Config\nclusters: []',
        'replicaCount: 2',
        '',
      ].join('\n---\n'),
    );
    expect(loadObjects([file])).toEqual([]);
  });
});

describe('check of documents without metadata', () => {
  const file = write(NO_METADATA);
  const report = checkObjects(loadObjects([file]), config);

  it('reports the missing metadata, naming the file and document', () => {
    expect(report.violations.filter((v) => v.rule === 'schema')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          enforcement: 'mandatory',
          object: `v1 ConfigMap <unnamed, ${file}, document 1>`,
          message: 'metadata: required field is missing',
        }),
        expect.objectContaining({ object: `v1 Pod <unnamed, ${file}, document 2>`, message: 'metadata: required field is missing' }),
      ]),
    );
  });

  it('judges them with every rule', () => {
    expect(report.violations.find((v) => v.rule === 'pss-host-namespaces')).toEqual(
      expect.objectContaining({ object: `v1 Pod <unnamed, ${file}, document 2>`, message: 'spec.hostNetwork is true' }),
    );
  });

  it('reports a document without apiVersion (or kind) rather than judging or dropping it', () => {
    const half = write('kind: Deployment\nmetadata: { name: web, namespace: apps }\n');
    expect(checkObjects(loadObjects([half]), config).violations).toEqual([
      expect.objectContaining({
        rule: 'schema',
        enforcement: 'mandatory',
        object: '<no apiVersion> Deployment apps/web',
        message: 'apiVersion: missing or not a string, so the API server cannot tell what this object is',
      }),
    ]);
  });

  it('runs every rule and check without failing on objects of every workload kind that have no metadata', () => {
    const pod = { containers: [{ name: 'c', image: 'nginx' }] };
    const kinds: [string, string, Record<string, unknown>][] = [
      ['v1', 'Pod', pod],
      ['apps/v1', 'Deployment', { template: { spec: pod } }],
      ['apps/v1', 'StatefulSet', { template: { spec: pod } }],
      ['apps/v1', 'DaemonSet', { template: { spec: pod } }],
      ['apps/v1', 'ReplicaSet', { template: { spec: pod } }],
      ['v1', 'ReplicationController', { template: { spec: pod } }],
      ['apps.openshift.io/v1', 'DeploymentConfig', { template: { spec: pod } }],
      ['batch/v1', 'Job', { template: { spec: pod } }],
      ['batch/v1', 'CronJob', { jobTemplate: { spec: { template: { spec: pod } } } }],
      ['v1', 'Service', { selector: { app: 'x' }, ports: [{ port: 80 }] }],
      ['networking.k8s.io/v1', 'NetworkPolicy', { podSelector: {} }],
      ['rbac.authorization.k8s.io/v1', 'Role', {}],
      ['policy/v1', 'PodDisruptionBudget', { minAvailable: 1 }],
    ];
    const objects = kinds.map(([apiVersion, kind, spec]) => ({ apiVersion, kind, spec }) as never);
    const report = checkObjects(objects, config, { complete: true });
    expect(report.rules).toBe(RULES.length + 2);
    expect(report.violations.filter((v) => v.rule === 'schema' && v.message === 'metadata: required field is missing')).toHaveLength(
      kinds.length,
    );
  });
});

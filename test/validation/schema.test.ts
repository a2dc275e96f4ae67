import { registerCustomSchema, validateSchema, type KubeObject, type Problem } from '../../policies/validation/schema';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'polaris',
    namespace: 'platform-storage',
    labels: { 'app.kubernetes.io/name': 'polaris' },
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'polaris' } },
    template: {
      metadata: { labels: { app: 'polaris' } },
      spec: {
        containers: [
          {
            name: 'polaris',
            image: 'apache/polaris:1.0.0',
            ports: [{ name: 'http', containerPort: 8181 }],
            resources: {
              requests: { cpu: '250m', memory: '512Mi' },
              limits: { cpu: 1, memory: '1Gi' },
            },
            readinessProbe: { httpGet: { path: '/healthcheck', port: 'http' } },
          },
        ],
      },
    },
  },
});

type Editable = any;

/** Applies a mutation to a fresh valid Deployment. */
const mutated = (change: (d: Editable) => void): KubeObject => {
  const d = deployment();
  change(d);
  return d;
};
const container = 'spec.template.spec.containers[0]';
const at = (problems: Problem[], path: string) => problems.filter((p) => p.path === path);

const certificate = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'polaris-tls', namespace: 'platform-storage' },
  spec,
});

describe('validateSchema', () => {
  it('accepts a correct Deployment', () => {
    expect(validateSchema([deployment()])).toEqual([]);
  });

  it('accepts correct objects of each built-in group', () => {
    const objects: KubeObject[] = [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'platform-storage' },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'polaris', namespace: 'platform-storage' },
        spec: {
          selector: { app: 'polaris' },
          ports: [{ name: 'http', port: 80, targetPort: 'http' }],
        },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'compact', namespace: 'platform-storage' },
        spec: {
          schedule: '0 3 * * *',
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [{ name: 'c', image: 'x' }],
                },
              },
            },
          },
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-all', namespace: 'platform-storage' },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'system:polaris-reader' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'polaris', namespace: 'platform-storage' },
        spec: {
          maxUnavailable: 1,
          selector: { matchLabels: { app: 'polaris' } },
        },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'polaris', namespace: 'platform-storage' },
        spec: {
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'polaris',
          },
          maxReplicas: 4,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 70 },
              },
            },
          ],
        },
      },
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'fast' },
        provisioner: 'rancher.io/local-path',
      },
    ];
    expect(validateSchema(objects)).toEqual([]);
  });

  it('names the object and the full path of a problem', () => {
    const problems = validateSchema([mutated((d) => (d.spec.template.spec.containers[0].ports[0].containerPort = '8181'))]);
    expect(problems).toEqual([
      {
        object: 'apps/v1 Deployment platform-storage/polaris',
        path: `${container}.ports[0].containerPort`,
        message: 'must be integer',
      },
    ]);
  });

  it('rejects unknown fields at the top level and deep inside', () => {
    const problems = validateSchema([
      mutated((d) => {
        d.spek = {};
        d.spec.template.spec.containers[0].ports[0].contianerPort = 1;
        d.spec.template.spec.containers[0].readinessProbe.httpGet.bogus = true;
      }),
    ]);
    expect(problems.map((p) => p.path).sort()).toEqual([
      `${container}.ports[0].contianerPort`,
      `${container}.readinessProbe.httpGet.bogus`,
      'spek',
    ]);
    expect(problems[0].message).toMatch(/unknown field/);
  });

  it('rejects string where number, number where string, and scalar where boolean is expected', () => {
    const problems = validateSchema([
      mutated((d) => {
        d.spec.replicas = '2';
        d.spec.template.spec.containers[0].image = 5;
        d.spec.paused = 'no';
      }),
    ]);
    expect(at(problems, 'spec.replicas')[0].message).toBe('must be integer');
    expect(at(problems, `${container}.image`)[0].message).toBe('must be string');
    expect(at(problems, 'spec.paused')[0].message).toBe('must be boolean');
  });

  it('rejects an object where an array is expected and vice versa', () => {
    const problems = validateSchema([
      mutated((d) => {
        d.spec.template.spec.containers[0].ports = {
          name: 'http',
          containerPort: 8181,
        };
        d.spec.strategy = [];
      }),
    ]);
    expect(at(problems, `${container}.ports`)[0].message).toMatch(/array/);
    expect(at(problems, 'spec.strategy')[0].message).toMatch(/object/);
  });

  it('accepts int-or-string in either form and rejects anything else', () => {
    const probe = (port: unknown) =>
      validateSchema([mutated((d) => (d.spec.template.spec.containers[0].readinessProbe.httpGet.port = port))]);
    expect(probe(8181)).toEqual([]);
    expect(probe('http')).toEqual([]);
    expect(probe(true)[0].message).toMatch(/int-or-string/);
  });

  it('accepts quantities as strings or numbers and rejects malformed ones', () => {
    const problems = validateSchema([
      mutated((d) => {
        d.spec.template.spec.containers[0].resources.limits.memory = '1GB';
        d.spec.template.spec.containers[0].resources.requests.cpu = false;
      }),
    ]);
    expect(problems.map((p) => p.path).sort()).toEqual([`${container}.resources.limits.memory`, `${container}.resources.requests.cpu`]);
    expect(problems[0].message).toMatch(/quantity/);
  });

  it('reports missing required fields', () => {
    const problems = validateSchema([
      mutated((d) => {
        delete d.spec.selector;
        delete d.spec.template.spec.containers[0].name;
      }),
    ]);
    expect(at(problems, 'spec.selector')[0].message).toBe('required field is missing');
    expect(at(problems, `${container}.name`)[0].message).toBe('required field is missing');
  });

  it('rejects Secret data that is not base64', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'platform-storage' },
      data: { password: 'not base64!' },
    };
    expect(validateSchema([secret])[0].path).toBe('data.password');
  });

  it('rejects names that are not DNS subdomains, and Service/Namespace names that are not labels', () => {
    const problems = validateSchema([
      mutated((d) => (d.metadata.name = 'Polaris_Server')),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'polaris.api', namespace: 'ns' },
        spec: {},
      },
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'platform.storage' },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'polaris.config', namespace: 'ns' },
      },
    ]);
    expect(problems.map((p) => [p.object, p.path])).toEqual([
      ['apps/v1 Deployment platform-storage/Polaris_Server', 'metadata.name'],
      ['v1 Service ns/polaris.api', 'metadata.name'],
      ['v1 Namespace platform.storage', 'metadata.name'],
    ]);
  });

  it('rejects invalid label keys and values, including in pod templates and selectors', () => {
    const problems = validateSchema([
      mutated((d) => {
        d.metadata.labels['bad key'] = 'x';
        d.spec.template.metadata.labels.version = 'v1.0+build';
        d.spec.selector.matchLabels.app = 'a'.repeat(64);
      }),
    ]);
    expect(problems.map((p) => p.path).sort()).toEqual([
      'metadata.labels["bad key"]',
      'spec.selector.matchLabels.app',
      'spec.template.metadata.labels.version',
    ]);
  });

  it('reports an unknown kind or apiVersion that has no registered schema', () => {
    const problems = validateSchema([
      { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } },
      {
        apiVersion: 'policy/v1beta1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'x' },
      },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } },
    ]);
    expect(problems).toHaveLength(3);
    expect(problems.every((p) => /no schema/.test(p.message))).toBe(true);
  });

  it('uses a registered schema for a custom kind', () => {
    registerCustomSchema('example.com/v1', 'Gadget', (o) =>
      (o as { spec?: { size?: unknown } }).spec?.size === undefined ? [{ path: 'spec.size', message: 'required' }] : [],
    );
    const gadget = (spec: object): KubeObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g' },
      spec,
    });
    expect(validateSchema([gadget({ size: 1 })])).toEqual([]);
    expect(validateSchema([gadget({})])[0].path).toBe('spec.size');
  });

  describe('cert-manager Certificate', () => {
    const valid = {
      secretName: 'polaris-tls',
      dnsNames: ['polaris.example.org'],
      commonName: 'polaris.example.org',
      duration: '2160h',
      renewBefore: '360h0m0s',
      issuerRef: {
        name: 'internal-ca',
        kind: 'ClusterIssuer',
        group: 'cert-manager.io',
      },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['server auth', 'digital signature'],
    };

    it('accepts a correct Certificate', () => {
      expect(validateSchema([certificate(valid)])).toEqual([]);
    });

    it('requires spec.secretName and issuerRef.name', () => {
      const problems = validateSchema([
        certificate({
          ...valid,
          secretName: undefined,
          issuerRef: { kind: 'ClusterIssuer' },
        }),
      ]);
      expect(problems.map((p) => p.path).sort()).toEqual(['spec.issuerRef.name', 'spec.secretName']);
    });

    it('rejects unknown fields and wrong types', () => {
      const problems = validateSchema([
        certificate({
          ...valid,
          dnsName: 'typo',
          dnsNames: 'polaris.example.org',
          duration: '90d',
          privateKey: { size: '256', algorithm: 'DSA' },
          usages: ['server-auth'],
        }),
      ]);
      expect(problems.map((p) => p.path).sort()).toEqual([
        'spec.dnsName',
        'spec.dnsNames',
        'spec.duration',
        'spec.privateKey.algorithm',
        'spec.privateKey.size',
        'spec.usages[0]',
      ]);
    });

    it('checks the Certificate metadata like any other object', () => {
      const cert = certificate(valid);
      cert.metadata = {
        name: 'Polaris TLS',
        namespace: 'platform-storage',
        labels: { ok: 'yes' },
        lables: {},
      };
      expect(
        validateSchema([cert])
          .map((p) => p.path)
          .sort(),
      ).toEqual(['metadata.lables', 'metadata.name']);
    });
  });
});

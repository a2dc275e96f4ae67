import { checkReferences, PROVIDED_OUTSIDE, type ReferenceOptions, type ReferenceProblem } from '../../policies/validation/references';
import type { KubeObject } from '../../policies/validation/schema';

const ns = 'platform-storage';
const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: ns,
  ...extra,
});
const opts: ReferenceOptions = { storageClasses: ['local-path'] };

/** A small, fully consistent platform slice; each test breaks one reference. */
function world(): KubeObject[] {
  const podSpec = {
    serviceAccountName: 'polaris',
    containers: [
      {
        name: 'polaris',
        image: 'apache/polaris:1.0.0',
        ports: [{ name: 'http', containerPort: 8181 }],
        env: [
          {
            name: 'DB_PASSWORD',
            valueFrom: {
              secretKeyRef: { name: 'polaris-db', key: 'password' },
            },
          },
          {
            name: 'LOG_LEVEL',
            valueFrom: {
              configMapKeyRef: { name: 'polaris-config', key: 'logLevel' },
            },
          },
        ],
        envFrom: [{ configMapRef: { name: 'polaris-config' } }],
        volumeMounts: [
          { name: 'tls', mountPath: '/tls' },
          { name: 'config', mountPath: '/config' },
          { name: 'data', mountPath: '/data' },
        ],
      },
    ],
    volumes: [
      {
        name: 'tls',
        secret: {
          secretName: 'polaris-tls',
          items: [{ key: 'tls.crt', path: 'tls.crt' }],
        },
      },
      {
        name: 'config',
        projected: {
          sources: [
            {
              configMap: {
                name: 'polaris-config',
                items: [{ key: 'app.yaml', path: 'a' }],
              },
            },
          ],
        },
      },
      { name: 'data', persistentVolumeClaim: { claimName: 'polaris-data' } },
    ],
  };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('polaris') },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('polaris-db'),
      stringData: { password: 'x' },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('polaris-config'),
      data: { logLevel: 'INFO', 'app.yaml': '' },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta('polaris-tls'),
      spec: { secretName: 'polaris-tls', issuerRef: { name: 'ca' } },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('polaris-data'),
      spec: {
        storageClassName: 'local-path',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('polaris'),
      spec: {
        selector: { matchLabels: { app: 'polaris' } },
        template: {
          metadata: { labels: { app: 'polaris', tier: 'catalog' } },
          spec: podSpec,
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('polaris'),
      spec: {
        selector: { app: 'polaris' },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('postgres'),
      spec: {
        clusterIP: 'None',
        selector: { app: 'postgres' },
        ports: [{ port: 5432 }],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('postgres'),
      spec: {
        serviceName: 'postgres',
        selector: { matchLabels: { app: 'postgres' } },
        template: {
          metadata: { labels: { app: 'postgres' } },
          spec: {
            containers: [
              {
                name: 'pg',
                image: 'postgres:15',
                ports: [{ containerPort: 5432 }],
                volumeMounts: [{ name: 'pgdata', mountPath: '/var/lib/postgresql' }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'pgdata' },
            spec: { storageClassName: 'local-path' },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('polaris'),
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'polaris.example.org',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: {
                    service: { name: 'polaris', port: { name: 'http' } },
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('polaris-ingress'),
      spec: {
        podSelector: {
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['catalog'] }],
        },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('deny-all'),
      spec: { podSelector: {} },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('polaris'),
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: { app: 'polaris' } },
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('polaris'),
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'polaris',
        },
        maxReplicas: 3,
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('polaris'),
      rules: [],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('polaris'),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'polaris',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'polaris' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'polaris-view' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'view',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'polaris', namespace: ns }],
    },
  ];
}

type Editable = any;

/** Runs checkReferences on the world after `change` edits the named object. */
function check(kind: string, name: string, change: (o: Editable) => void, options: ReferenceOptions = opts) {
  const objects = world();
  const target = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!target) throw new Error(`no ${kind} ${name} in the test world`);
  change(target);
  return checkReferences(objects, options);
}
const without = (kind: string, name: string) =>
  checkReferences(
    world().filter((o) => !(o.kind === kind && o.metadata.name === name)),
    opts,
  );
const paths = (problems: { path: string }[]) => problems.map((p) => p.path).sort();
const pod = 'spec.template.spec';
const c0 = `${pod}.containers[0]`;
const deploy = (change: (spec: Editable) => void) => check('Deployment', 'polaris', (d) => change(d.spec.template.spec));

describe('checkReferences', () => {
  it('accepts a consistent set of objects', () => {
    expect(checkReferences(world(), opts)).toEqual([]);
  });

  describe('pod templates', () => {
    it('reports a missing Secret in env secretKeyRef, naming the object and path', () => {
      expect(without('Secret', 'polaris-db')).toEqual([
        {
          object: 'apps/v1 Deployment platform-storage/polaris',
          path: `${c0}.env[0].valueFrom.secretKeyRef`,
          message: 'Secret "polaris-db" not found in namespace "platform-storage"',
          provided: 'Secret',
        },
      ]);
    });

    it('reports a missing key in an existing Secret or ConfigMap', () => {
      const problems = deploy((s) => {
        s.containers[0].env[0].valueFrom.secretKeyRef.key = 'passwd';
        s.containers[0].env[1].valueFrom.configMapKeyRef.key = 'level';
      });
      expect(paths(problems)).toEqual([`${c0}.env[0].valueFrom.secretKeyRef`, `${c0}.env[1].valueFrom.configMapKeyRef`]);
      expect(problems[0].message).toMatch(/no key "passwd"/);
    });

    it('reports a missing ConfigMap in envFrom and projected volumes', () => {
      expect(paths(without('ConfigMap', 'polaris-config'))).toEqual([
        `${c0}.envFrom[0].configMapRef`,
        `${c0}.env[1].valueFrom.configMapKeyRef`,
        `${pod}.volumes[1].projected.sources[0].configMap`,
      ]);
    });

    it('checks items[].key of configMap and secret volumes', () => {
      const problems = deploy((s) => {
        s.volumes[0].secret.items[0].key = 'tls.pem';
        s.volumes[1].projected.sources[0].configMap.items[0].key = 'missing.yaml';
      });
      expect(paths(problems)).toEqual([`${pod}.volumes[0].secret`, `${pod}.volumes[1].projected.sources[0].configMap`]);
    });

    it('counts a cert-manager Certificate secretName as a Secret with tls.crt, tls.key and ca.crt', () => {
      expect(paths(deploy((s) => (s.volumes[0].secret.items = [{ key: 'ca.crt', path: 'ca' }])))).toEqual([]);
      expect(paths(without('Certificate', 'polaris-tls'))).toEqual([`${pod}.volumes[0].secret`]);
    });

    it('accepts references marked optional', () => {
      const problems = deploy((s) => {
        s.containers[0].env[0].valueFrom.secretKeyRef = {
          name: 'nope',
          key: 'k',
          optional: true,
        };
        s.containers[0].envFrom.push({
          secretRef: { name: 'nope', optional: true },
        });
        s.volumes.push({
          name: 'x',
          secret: { secretName: 'nope', optional: true },
        });
      });
      expect(problems).toEqual([]);
    });

    it('accepts Secrets listed as external, checking their keys when given', () => {
      const external = (keys?: string[]) => ({
        ...opts,
        externalSecrets: [{ namespace: ns, name: 'polaris-db', keys }],
      });
      const drop = (o: KubeObject[]) => o.filter((x) => !(x.kind === 'Secret' && x.metadata.name === 'polaris-db'));
      expect(checkReferences(drop(world()), external())).toEqual([]);
      expect(checkReferences(drop(world()), external(['password']))).toEqual([]);
      expect(paths(checkReferences(drop(world()), external(['user'])))).toEqual([`${c0}.env[0].valueFrom.secretKeyRef`]);
    });

    it('reports a missing ServiceAccount but not "default"', () => {
      expect(paths(without('ServiceAccount', 'polaris'))).toEqual([
        `${pod}.serviceAccountName`,
        'subjects[0]', // RoleBinding
        'subjects[0]', // ClusterRoleBinding
      ]);
      expect(deploy((s) => (s.serviceAccountName = 'default'))).toEqual([]);
    });

    it('reports a missing PVC but accepts one produced by a StatefulSet volumeClaimTemplate', () => {
      expect(paths(without('PersistentVolumeClaim', 'polaris-data'))).toEqual([`${pod}.volumes[2].persistentVolumeClaim.claimName`]);
      expect(deploy((s) => (s.volumes[2].persistentVolumeClaim.claimName = 'pgdata-postgres-0'))).toEqual([]);
    });

    it('reports a volumeMount naming no declared volume (claim templates count as volumes)', () => {
      expect(paths(deploy((s) => (s.containers[0].volumeMounts[0].name = 'certs')))).toEqual([`${c0}.volumeMounts[0].name`]);
      expect(paths(check('StatefulSet', 'postgres', (s) => (s.spec.volumeClaimTemplates[0].metadata.name = 'data')))).toEqual([
        `${c0}.volumeMounts[0].name`,
      ]);
    });

    it('finds references in CronJob and Pod templates too', () => {
      const cronJob: KubeObject = {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta('compact'),
        spec: {
          schedule: '@daily',
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'gone' } }] }],
                },
              },
            },
          },
        },
      };
      const bare: KubeObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta('debug'),
        spec: { serviceAccountName: 'ghost', containers: [] },
      };
      expect(paths(checkReferences([...world(), cronJob, bare], opts))).toEqual([
        'spec.jobTemplate.spec.template.spec.containers[0].envFrom[0].secretRef',
        'spec.serviceAccountName',
      ]);
    });
  });

  it('reports storageClassName values that are not available', () => {
    expect(paths(check('PersistentVolumeClaim', 'polaris-data', (p) => (p.spec.storageClassName = 'gp2')))).toEqual([
      'spec.storageClassName',
    ]);
    expect(paths(check('StatefulSet', 'postgres', (s) => (s.spec.volumeClaimTemplates[0].spec.storageClassName = 'ssd')))).toEqual([
      'spec.volumeClaimTemplates[0].spec.storageClassName',
    ]);
  });

  describe('Services', () => {
    it('reports a selector matching no pod template', () => {
      expect(paths(check('Service', 'polaris', (s) => (s.spec.selector = { app: 'polaris-server' })))).toEqual(['spec.selector']);
    });

    it('reports a targetPort name or number that no container declares', () => {
      expect(paths(check('Service', 'polaris', (s) => (s.spec.ports[0].targetPort = 'web')))).toEqual(['spec.ports[0].targetPort']);
      expect(paths(check('Service', 'polaris', (s) => (s.spec.ports[0].targetPort = 8080)))).toEqual(['spec.ports[0].targetPort']);
      expect(check('Service', 'polaris', (s) => (s.spec.ports[0].targetPort = 8181))).toEqual([]);
    });

    it('defaults targetPort to port', () => {
      expect(paths(check('Service', 'postgres', (s) => (s.spec.ports[0].port = 5433)))).toEqual(['spec.ports[0].targetPort']);
    });
  });

  describe('Ingress', () => {
    it('reports a missing IngressClass', () => {
      expect(paths(without('IngressClass', 'nginx'))).toEqual(['spec.ingressClassName']);
    });

    it('reports a backend Service that does not exist or lacks the port', () => {
      const backend = 'spec.rules[0].http.paths[0].backend';
      const edit = (service: object) =>
        paths(check('Ingress', 'polaris', (i) => (i.spec.rules[0].http.paths[0].backend.service = service)));
      expect(edit({ name: 'polaris-api', port: { number: 80 } })).toEqual([`${backend}.service.name`]);
      expect(edit({ name: 'polaris', port: { number: 8181 } })).toEqual([`${backend}.service.port`]);
      expect(edit({ name: 'polaris', port: { name: 'https' } })).toEqual([`${backend}.service.port`]);
      expect(edit({ name: 'polaris', port: { number: 80 } })).toEqual([]);
    });
  });

  it('reports a NetworkPolicy podSelector that selects nothing (an empty one selects all)', () => {
    const problems = check('NetworkPolicy', 'polaris-ingress', (n) => (n.spec.podSelector.matchExpressions[0].values = ['ingest']));
    expect(paths(problems)).toEqual(['spec.podSelector']);
  });

  it('reports a PodDisruptionBudget selector that selects nothing', () => {
    expect(paths(check('PodDisruptionBudget', 'polaris', (p) => (p.spec.selector.matchLabels.app = 'x')))).toEqual(['spec.selector']);
  });

  it('reports an HPA scaleTargetRef that does not resolve', () => {
    expect(paths(check('HorizontalPodAutoscaler', 'polaris', (h) => (h.spec.scaleTargetRef.kind = 'StatefulSet')))).toEqual([
      'spec.scaleTargetRef',
    ]);
  });

  it('reports a StatefulSet serviceName with no Service', () => {
    expect(paths(without('Service', 'postgres'))).toEqual(['spec.serviceName']);
  });

  describe('RBAC bindings', () => {
    it('reports a roleRef to a missing Role or ClusterRole', () => {
      expect(paths(without('Role', 'polaris'))).toEqual(['roleRef']);
      expect(paths(check('ClusterRoleBinding', 'polaris-view', (b) => (b.roleRef.name = 'viewer')))).toEqual(['roleRef']);
    });

    it('accepts built-in ClusterRoles and system: roles', () => {
      for (const name of ['view', 'edit', 'admin', 'cluster-admin', 'system:auth-delegator']) {
        expect(check('ClusterRoleBinding', 'polaris-view', (b) => (b.roleRef.name = name))).toEqual([]);
      }
    });

    it('accepts a ClusterRole defined among the objects', () => {
      const role: KubeObject = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'reader' },
      };
      const objects = world().map((o) =>
        o.kind === 'ClusterRoleBinding' ? { ...o, roleRef: { kind: 'ClusterRole', name: 'reader' } } : o,
      );
      expect(checkReferences([...objects, role], opts)).toEqual([]);
    });

    it('reports a ServiceAccount subject in another namespace that does not exist', () => {
      expect(paths(check('ClusterRoleBinding', 'polaris-view', (b) => (b.subjects[0].namespace = 'other')))).toEqual(['subjects[0]']);
    });
  });

  it('reports objects in a namespace that is not declared, except default and kube-system', () => {
    const cm = (namespace: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace },
    });
    const problems = checkReferences([cm('kube-system'), cm('default'), cm('platform-edge')], opts);
    expect(problems).toEqual([
      {
        object: 'v1 ConfigMap platform-edge/c',
        path: 'metadata.namespace',
        message: 'Namespace "platform-edge" not found',
        provided: 'Namespace',
      },
    ]);
  });

  describe('objects the cluster or an operator may provide', () => {
    const providedOf = (problems: ReferenceProblem[]) => problems.map((p) => `${p.path} ${p.provided ?? '-'}`).sort();

    it('are marked with their kind when missing, so a partial set can treat them as advisory', () => {
      expect(providedOf(without('IngressClass', 'nginx'))).toEqual(['spec.ingressClassName IngressClass']);
      expect(providedOf(without('Secret', 'polaris-db'))).toEqual([`${c0}.env[0].valueFrom.secretKeyRef Secret`]);
      expect(providedOf(check('PersistentVolumeClaim', 'polaris-data', (p) => (p.spec.storageClassName = 'gp2')))).toEqual([
        'spec.storageClassName StorageClass',
      ]);
      expect(providedOf(check('ClusterRoleBinding', 'polaris-view', (b) => (b.roleRef.name = 'viewer')))).toEqual(['roleRef ClusterRole']);
      expect(providedOf(deploy((s) => (s.priorityClassName = 'batch-low')))).toEqual([`${pod}.priorityClassName PriorityClass`]);
      expect(Object.keys(PROVIDED_OUTSIDE).sort()).toEqual([
        'ClusterRole',
        'IngressClass',
        'Namespace',
        'PriorityClass',
        'Secret',
        'StorageClass',
      ]);
    });

    it('leave objects written with the workload unmarked: ConfigMaps, ServiceAccounts, claims, Services, Roles, keys', () => {
      expect(providedOf(without('ConfigMap', 'polaris-config')).every((p) => p.endsWith(' -'))).toBe(true);
      expect(providedOf(without('ServiceAccount', 'polaris'))).toEqual(expect.arrayContaining([`${pod}.serviceAccountName -`]));
      expect(providedOf(without('PersistentVolumeClaim', 'polaris-data'))).toEqual([`${pod}.volumes[2].persistentVolumeClaim.claimName -`]);
      expect(providedOf(without('Role', 'polaris'))).toEqual(['roleRef -']);
      expect(providedOf(deploy((s) => (s.containers[0].env[0].valueFrom.secretKeyRef.key = 'passwd')))).toEqual([
        `${c0}.env[0].valueFrom.secretKeyRef -`,
      ]);
    });

    it('accept the built-in PriorityClasses and one among the objects', () => {
      expect(deploy((s) => (s.priorityClassName = 'system-cluster-critical'))).toEqual([]);
      const priority: KubeObject = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'batch-low' } };
      const objects = world();
      (objects.find((o) => o.kind === 'Deployment') as Editable).spec.template.spec.priorityClassName = 'batch-low';
      expect(checkReferences([...objects, priority], opts)).toEqual([]);
    });
  });

  describe('ReplicationControllers and OpenShift DeploymentConfigs', () => {
    const legacy = (apiVersion: string, kind: string): KubeObject => ({
      apiVersion,
      kind,
      metadata: meta('legacy'),
      spec: {
        selector: { app: 'legacy' },
        template: {
          metadata: { labels: { app: 'legacy' } },
          spec: {
            serviceAccountName: 'ghost',
            containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'gone' } }], ports: [{ name: 'http', containerPort: 8080 }] }],
          },
        },
      },
    });
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('legacy'),
      spec: { selector: { app: 'legacy' }, ports: [{ port: 80, targetPort: 'http' }] },
    };

    it.each([
      ['v1', 'ReplicationController'],
      ['apps.openshift.io/v1', 'DeploymentConfig'],
    ])('check the pod template of a %s %s, and let Services select its pods', (apiVersion, kind) => {
      expect(checkReferences([...world(), legacy(apiVersion, kind), service], opts).map((p) => `${p.object} ${p.path}`)).toEqual([
        `${apiVersion} ${kind} ${ns}/legacy spec.template.spec.containers[0].envFrom[0].configMapRef`,
        `${apiVersion} ${kind} ${ns}/legacy spec.template.spec.serviceAccountName`,
      ]);
    });

    it('do not take a custom kind called DeploymentConfig for one', () => {
      expect(checkReferences([...world(), legacy('example.com/v1', 'DeploymentConfig')], opts)).toEqual([]);
    });
  });
});

// Manifests written elsewhere: pod templates of ReplicationControllers and OpenShift
// DeploymentConfigs are judged; bindings to the built-in user-facing ClusterRoles are judged by their
// built-in meaning, whatever a same-named ClusterRole among the objects says.
import { allObjects } from '../../components/platform/build';
import { podMetadataOf, podSpecOf } from '../../components/base/pod-security';
import type { KubeObject } from '../../components/platform/kube-object';
import { evaluate } from '../../policies/engine';
import { RULES, ruleById } from '../../policies/registry';
import { podTemplates } from '../../policies/rules/relations';
import { buildFor, ENVIRONMENTS } from '../helpers/build';
import { FIXTURE_CONTEXTS } from './fixture-contexts';

const template = {
  metadata: { labels: { app: 'legacy' }, annotations: { note: 'pod' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
};
const workload = (apiVersion: string, kind: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'legacy', namespace: 'apps' },
  spec: { selector: { app: 'legacy' }, template },
});

describe('pod templates of ReplicationControllers and DeploymentConfigs', () => {
  it('are found by podSpecOf and podMetadataOf', () => {
    for (const o of [workload('v1', 'ReplicationController'), workload('apps.openshift.io/v1', 'DeploymentConfig')]) {
      expect(podSpecOf(o)).toBe(template.spec);
      expect(podMetadataOf(o)).toBe(template.metadata);
    }
  });

  it('only for the OpenShift DeploymentConfig, not a custom kind of the same name', () => {
    expect(podSpecOf(workload('example.com/v1', 'DeploymentConfig'))).toBeUndefined();
  });

  it('are pod templates of the set, for Services, NetworkPolicies and budgets', () => {
    const found = podTemplates([workload('v1', 'ReplicationController'), workload('apps.openshift.io/v1', 'DeploymentConfig')]);
    expect(found.map((t) => [t.owner.kind, t.namespace, t.labels])).toEqual([
      ['ReplicationController', 'apps', { app: 'legacy' }],
      ['DeploymentConfig', 'apps', { app: 'legacy' }],
    ]);
  });

  it('are judged by the pod rules', () => {
    const privileged = { ...workload('apps.openshift.io/v1', 'DeploymentConfig') };
    privileged.spec = {
      ...template,
      template: { ...template, spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] } },
    };
    const found = evaluate([privileged], [ruleById('pss-privileged')], FIXTURE_CONTEXTS.k3d).violations;
    expect(found.map((v) => `${v.object}: ${v.message}`)).toEqual([
      'apps.openshift.io/v1 DeploymentConfig apps/legacy: container "c": securityContext.privileged is true',
    ]);
  });

  // podSpecOf is shared with the platform build (namespace Pod Security levels): the platform writes
  // neither kind, so what it builds cannot change.
  it.each(ENVIRONMENTS)('do not occur in the %s build, whose output the wider podSpecOf leaves as it was', (env) => {
    expect(allObjects(buildFor(env)).filter((o) => ['ReplicationController', 'DeploymentConfig'].includes(o.kind))).toEqual([]);
  });
});

describe('bindings to built-in ClusterRoles', () => {
  const clusterRole = (name: string, rules: unknown[], labels?: Record<string, string>): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, ...(labels ? { labels } : {}) },
    rules,
  });
  const binding = (role: string, kind = 'ClusterRole'): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'team', namespace: 'apps' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
    subjects: [{ kind: 'Group', name: 'team', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  const harmless = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }];
  const rbacFindings = (objects: KubeObject[]) =>
    evaluate(
      objects,
      RULES.filter((r) => r.category === 'rbac'),
      FIXTURE_CONTEXTS.k3d,
    ).violations.filter((v) => v.object.includes('RoleBinding'));

  it('judge cluster-admin as cluster-admin even when the objects hold a harmless ClusterRole of that name, and say so', () => {
    const found = rbacFindings([clusterRole('cluster-admin', harmless), binding('cluster-admin')]);
    expect(found.find((v) => v.rule === 'rbac-no-cluster-admin-binding')?.message).toBe(
      'binds Group team to built-in ClusterRole "cluster-admin" (the ClusterRole "cluster-admin" among the objects does not replace it), whose rules[0] grants every verb on every resource',
    );
  });

  it.each([
    ['admin', 'rbac-pod-exec-attach'],
    ['admin', 'rbac-secrets-access'],
    ['edit', 'rbac-secrets-access'],
    ['edit', 'rbac-pod-exec-attach'],
    ['edit', 'rbac-impersonate'],
  ])('judge %s by its built-in meaning (%s)', (role, rule) => {
    expect(rbacFindings([clusterRole(role, harmless), binding(role)]).map((v) => v.rule)).toContain(rule);
  });

  it('judge a namespaced Role that happens to be called cluster-admin by its own rules', () => {
    const role: KubeObject = {
      ...clusterRole('cluster-admin', harmless),
      kind: 'Role',
      metadata: { name: 'cluster-admin', namespace: 'apps' },
    };
    expect(rbacFindings([role, binding('cluster-admin', 'Role')])).toEqual([]);
  });

  it('count the rules that objects aggregate into the built-in role', () => {
    const reader = clusterRole('reports-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], {
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
    });
    // aggregate-to-view reaches view, and through it edit and admin.
    for (const role of ['view', 'edit', 'admin'])
      expect(rbacFindings([reader, binding(role)]).map((v) => v.message)).toContain(
        `binds Group team to built-in ClusterRole "${role}", whose rules[0] of ClusterRole "reports-reader", aggregated into it grants get on secrets`,
      );
    const toAdmin = clusterRole('reports-admin', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], {
      'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
    });
    expect(rbacFindings([toAdmin, binding('view')]).filter((v) => v.rule === 'rbac-secrets-access')).toEqual([]);
  });
});

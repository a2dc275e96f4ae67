// Workload hardening beyond the Pod Security Standards: a read-only root filesystem, explicit
// security contexts, and a dedicated ServiceAccount whose token is mounted only where needed.
import type { KubeObject } from '../../components/platform/kube-object';
import { advisory, mandatory, type ObjectRule } from './types';
import { perContainer, podOf } from './workload';

const readOnlyRootFilesystem: ObjectRule = {
  id: 'read-only-root-filesystem',
  scope: 'object',
  title: 'Containers run with a read-only root filesystem',
  rationale:
    'A writable root filesystem lets an intruder drop tools and alter binaries, and hides state in the container layer where it is lost on restart. Writable paths are explicit emptyDir or PVC mounts instead (the base does this via writablePaths).',
  severity: 'high',
  category: 'pod-security',
  controls: {
    kubeLinter: ['no-read-only-root-fs'],
    polaris: ['notReadOnlyRootFilesystem'],
    kyverno: ['require-ro-rootfs'],
    checkov: ['CKV_K8S_22'],
    crosswalk: [20],
  },
  enforcement: mandatory,
  check: (object) =>
    perContainer(object, (c) =>
      c.securityContext?.readOnlyRootFilesystem === true ? undefined : 'securityContext.readOnlyRootFilesystem is not true',
    ),
};

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v as object).length === 0);

const securityContextSet: ObjectRule = {
  id: 'security-context-set',
  scope: 'object',
  title: 'Pods and containers declare a security context',
  rationale:
    'Without an explicit security context a container inherits the image and runtime defaults (often root, all default capabilities); stating it makes the intended identity and restrictions reviewable.',
  severity: 'medium',
  category: 'pod-security',
  controls: { checkov: ['CKV_K8S_29', 'CKV_K8S_30'], cis: ['5.7.3'], crosswalk: [21] },
  enforcement: mandatory,
  check(object) {
    const pod = podOf(object);
    if (!pod) return [];
    return [
      ...(isEmpty(pod.securityContext) ? ['pod spec.securityContext is not set'] : []),
      ...perContainer(object, (c) => (isEmpty(c.securityContext) ? 'securityContext is not set' : undefined)),
    ];
  },
};

const serviceAccountToken: ObjectRule = {
  id: 'service-account-token-not-mounted',
  scope: 'object',
  title: 'Pods do not mount a Kubernetes API token unless they call the API',
  rationale:
    'A mounted token is a credential for the Kubernetes API that any code execution in the pod can steal. Pods that never call the API set automountServiceAccountToken: false on the pod itself (Polaris also accepts it on the ServiceAccount, which a single-object rule cannot see). ' +
    'Advisory: some components legitimately need the token (the ingress controller watches Ingresses and Secrets; operators and Spark drivers create pods).',
  severity: 'medium',
  category: 'pod-security',
  controls: { polaris: ['automountServiceAccountToken'], checkov: ['CKV_K8S_38'], cis: ['5.1.6'], crosswalk: [22] },
  enforcement: advisory,
  check(object) {
    const pod = podOf(object);
    if (!pod || pod.automountServiceAccountToken === false) return [];
    return [
      pod.automountServiceAccountToken === true
        ? 'spec.automountServiceAccountToken is true: the pod mounts an API token'
        : 'spec.automountServiceAccountToken is not set to false: the pod mounts an API token by default',
    ];
  },
};

const usesDefault = (name: unknown) => name === undefined || name === '' || name === 'default';

const noDefaultServiceAccount: ObjectRule = {
  id: 'no-default-service-account',
  scope: 'object',
  title: 'Workloads run under their own ServiceAccount, never "default"',
  rationale:
    'The "default" ServiceAccount is shared by every pod in the namespace, so a role bound to it (or a cloud identity attached to it) is granted to all of them. ' +
    'Each service gets its own account; the default account itself must not mount tokens and must not be bound to roles.',
  severity: 'medium',
  category: 'rbac',
  controls: { kubeLinter: ['default-service-account'], checkov: ['CKV_K8S_41', 'CKV_K8S_42'], cis: ['5.1.5'], crosswalk: [23] },
  enforcement: mandatory,
  check(object: KubeObject) {
    if (object.kind === 'ServiceAccount')
      return object.metadata.name === 'default' && object.automountServiceAccountToken !== false
        ? ['the default ServiceAccount does not set automountServiceAccountToken: false']
        : [];
    if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding')
      return ((object.subjects as Record<string, any>[] | undefined) ?? [])
        .filter((s) => s.kind === 'ServiceAccount' && s.name === 'default')
        .map(
          (s) =>
            `binds ${(object.roleRef as Record<string, any>)?.kind} ${(object.roleRef as Record<string, any>)?.name} to the default ServiceAccount${s.namespace ? ` of ${s.namespace}` : ''}`,
        );
    const pod = podOf(object);
    if (!pod) return [];
    const name = pod.serviceAccountName || pod.serviceAccount;
    return usesDefault(name)
      ? [`pod runs under the default ServiceAccount (spec.serviceAccountName is ${name ? `"${name}"` : 'not set'})`]
      : [];
  },
};

const deprecatedServiceAccountField: ObjectRule = {
  id: 'no-deprecated-service-account-field',
  scope: 'object',
  title: 'Pods use serviceAccountName, not the deprecated serviceAccount field',
  rationale:
    'spec.serviceAccount is a deprecated alias; when it disagrees with serviceAccountName, which account the pod gets depends on the API server version and tooling.',
  severity: 'low',
  category: 'workload',
  controls: { kubeLinter: ['deprecated-service-account-field'], crosswalk: [25] },
  enforcement: mandatory,
  check(object) {
    const pod = podOf(object);
    const sa = pod?.serviceAccount;
    if (!pod || !sa || sa === pod.serviceAccountName) return [];
    return pod.serviceAccountName
      ? [`spec.serviceAccount "${sa}" differs from spec.serviceAccountName "${pod.serviceAccountName}"; drop the deprecated field`]
      : [`spec.serviceAccount "${sa}" is deprecated; use spec.serviceAccountName`];
  },
};

export const hardeningRules: ObjectRule[] = [
  readOnlyRootFilesystem,
  securityContextSet,
  serviceAccountToken,
  noDefaultServiceAccount,
  deprecatedServiceAccountField,
];

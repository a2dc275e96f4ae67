// Metadata rules: where objects live (never the default namespace), how workloads are labelled,
// and which API versions they are written against.
import { mandatory, type ObjectRule } from './types';
import { templateLabels, WORKLOAD_KINDS } from './workload';

/** Built-in (and cert-manager) kinds that are always namespaced; custom kinds of unknown scope are not judged. */
const NAMESPACED_KINDS = new Set([
  ...WORKLOAD_KINDS,
  'ReplicationController',
  'Service',
  'Endpoints',
  'EndpointSlice',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'Ingress',
  'NetworkPolicy',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'ResourceQuota',
  'LimitRange',
  'Certificate',
  'Issuer',
]);

const noDefaultNamespace: ObjectRule = {
  id: 'no-default-namespace',
  scope: 'object',
  title: 'Objects live in a named namespace, never "default"',
  rationale:
    'The default namespace has no Pod Security labels, quotas or NetworkPolicies of the platform, and whatever lands there by omission (a manifest without metadata.namespace) mixes with everything else (CIS 5.7.1, 5.7.4).',
  severity: 'medium',
  category: 'metadata',
  controls: {
    kubeLinter: ['use-namespace'],
    kyverno: ['disallow-default-namespace'],
    checkov: ['CKV_K8S_21'],
    cis: ['5.7.1', '5.7.4'],
    crosswalk: [69],
  },
  enforcement: mandatory,
  check(object) {
    if (!NAMESPACED_KINDS.has(object.kind)) return [];
    // The objects Kubernetes itself keeps in "default".
    if (
      (object.kind === 'ServiceAccount' && object.metadata.name === 'default') ||
      (object.kind === 'Service' && object.metadata.name === 'kubernetes')
    )
      return [];
    const ns = object.metadata.namespace;
    if (!ns) return ['metadata.namespace is not set, so the object lands in "default"'];
    return ns === 'default' ? ['metadata.namespace is "default"'] : [];
  },
};

const REQUIRED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'];

const recommendedLabels: ObjectRule = {
  id: 'recommended-labels',
  scope: 'object',
  title: 'Workloads and their pods carry app.kubernetes.io/name and app.kubernetes.io/instance',
  rationale:
    'Selectors, NetworkPolicies, dashboards, cost reports and `kubectl get -l` all find a service by its recommended labels; a pod without them is invisible to those tools and to the policy rules that relate objects.',
  severity: 'low',
  category: 'metadata',
  controls: { kyverno: ['require-labels'], crosswalk: [70] },
  enforcement: mandatory,
  check(object) {
    if (!WORKLOAD_KINDS.has(object.kind)) return [];
    const missing = (labels: Record<string, string> | undefined) => REQUIRED_LABELS.filter((l) => !labels?.[l]);
    const onObject = missing(object.metadata.labels);
    const onPods = object.kind === 'Pod' ? [] : missing(templateLabels(object));
    return [
      ...(onObject.length ? [`metadata.labels lacks ${onObject.join(', ')}`] : []),
      ...(onPods.length ? [`the pod template's labels lack ${onPods.join(', ')}`] : []),
    ];
  },
};

/** Group/versions the API server no longer serves (kubernetes.io/docs/reference/using-api/deprecation-guide), through v1.32. */
const REMOVED_APIS: Record<string, string> = {
  'extensions/v1beta1': '1.22 (1.16 for workloads)',
  'apps/v1beta1': '1.16',
  'apps/v1beta2': '1.16',
  'networking.k8s.io/v1beta1': '1.22',
  'admissionregistration.k8s.io/v1beta1': '1.22',
  'apiextensions.k8s.io/v1beta1': '1.22',
  'apiregistration.k8s.io/v1beta1': '1.22',
  'authentication.k8s.io/v1beta1': '1.22',
  'authorization.k8s.io/v1beta1': '1.22',
  'certificates.k8s.io/v1beta1': '1.22',
  'coordination.k8s.io/v1beta1': '1.22',
  'rbac.authorization.k8s.io/v1beta1': '1.22',
  'rbac.authorization.k8s.io/v1alpha1': '1.22',
  'scheduling.k8s.io/v1beta1': '1.22',
  'scheduling.k8s.io/v1alpha1': '1.22',
  'batch/v1beta1': '1.25',
  'batch/v2alpha1': '1.21',
  'discovery.k8s.io/v1beta1': '1.25',
  'events.k8s.io/v1beta1': '1.25',
  'autoscaling/v2beta1': '1.25',
  'autoscaling/v2beta2': '1.26',
  'policy/v1beta1': '1.25',
  'node.k8s.io/v1beta1': '1.25',
  'flowcontrol.apiserver.k8s.io/v1beta1': '1.26',
  'flowcontrol.apiserver.k8s.io/v1beta2': '1.29',
  'flowcontrol.apiserver.k8s.io/v1beta3': '1.32',
  'storage.k8s.io/v1beta1': '1.27 (1.22 for all kinds but CSIStorageCapacity)',
};

const noDeprecatedApis: ObjectRule = {
  id: 'no-deprecated-apis',
  scope: 'object',
  title: 'Objects use API versions the cluster still serves',
  rationale:
    'A manifest written against a removed API version (extensions/v1beta1, apps/v1beta2, policy/v1beta1, batch/v1beta1, autoscaling/v2beta2...) is rejected by the API server, so the deployment fails at apply time or at the next cluster upgrade.',
  severity: 'high',
  category: 'metadata',
  controls: { kubeLinter: ['no-extensions-v1beta'], kyverno: ['check-deprecated-apis'], crosswalk: [71] },
  enforcement: mandatory,
  check(object) {
    const removedIn = REMOVED_APIS[object.apiVersion];
    if (object.apiVersion.startsWith('extensions/v1beta') && !removedIn) return [`${object.apiVersion} ${object.kind} is no longer served`];
    return removedIn ? [`${object.apiVersion} ${object.kind} was removed in Kubernetes ${removedIn}; use the current version`] : [];
  },
};

export const metadataRules: ObjectRule[] = [noDefaultNamespace, recommendedLabels, noDeprecatedApis];

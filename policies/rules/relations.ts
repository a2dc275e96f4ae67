// Helpers for rules that relate objects: namespaces, label selectors, pod templates, replicas.
import { CLUSTER_SCOPED_KINDS, KubeObject } from '../../components/platform/kube-object';
import { podOf, templateLabels, type Pod } from './workload';

type Obj = Record<string, any>;
export type Labels = Record<string, string>;
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const CLUSTER_SCOPED = new Set([
  ...CLUSTER_SCOPED_KINDS,
  'Node',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'RuntimeClass',
  'CSIDriver',
  'VolumeAttachment',
  'ClusterIssuer',
]);

/** The namespace an object lives in: '' for cluster-scoped kinds, "default" when unset. */
export const namespaceOf = (o: KubeObject): string => (CLUSTER_SCOPED.has(o.kind) ? '' : (o.metadata?.namespace ?? 'default'));

export const specOf = (o: KubeObject): Obj => (o.spec as Obj | undefined) ?? {};

/** "Deployment apps/web", for messages that name another object. */
export const describe = (o: KubeObject): string => `${o.kind} ${namespaceOf(o) ? `${namespaceOf(o)}/` : ''}${o.metadata.name}`;

export const isEmptySelector = (s: LabelSelector | undefined): boolean =>
  !!s && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;

/** LabelSelector semantics: every matchLabels pair and every expression must hold; {} selects everything. */
export function selects(selector: LabelSelector | undefined, labels: Labels = {}): boolean {
  if (!selector) return false;
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    pairs &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      switch (operator) {
        case 'In':
          return key in labels && values.includes(labels[key]);
        case 'NotIn':
          return !(key in labels) || !values.includes(labels[key]);
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
        default:
          return false;
      }
    })
  );
}

export const formatSelector = (s: LabelSelector | Labels | undefined): string => JSON.stringify(s ?? {});

/** A pod template inside any object that runs pods. */
export interface PodTemplate {
  owner: KubeObject;
  namespace: string;
  labels: Labels;
  pod: Pod;
}

export function podTemplates(objects: KubeObject[]): PodTemplate[] {
  return objects.flatMap((owner) => {
    const pod = podOf(owner);
    return pod ? [{ owner, namespace: namespaceOf(owner), labels: templateLabels(owner) ?? {}, pod }] : [];
  });
}

export const ofKind = (objects: KubeObject[], ...kinds: string[]): KubeObject[] => objects.filter((o) => kinds.includes(o.kind));

/** Workloads whose replica count is set (or scaled by an HPA). */
export const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig'];

/** The HorizontalPodAutoscaler scaling a workload, if any among the objects. */
export function autoscalerOf(objects: KubeObject[], workload: KubeObject): KubeObject | undefined {
  return objects.find((h) => {
    if (h.kind !== 'HorizontalPodAutoscaler' || namespaceOf(h) !== namespaceOf(workload)) return false;
    const ref = specOf(h).scaleTargetRef ?? {};
    return ref.kind === workload.kind && ref.name === workload.metadata.name;
  });
}

/** The fewest and most replicas a workload runs: its replicas, or its autoscaler's range. */
export function replicaRange(objects: KubeObject[], workload: KubeObject): { min: number; max: number; by: string } {
  const hpa = autoscalerOf(objects, workload);
  if (hpa) {
    const spec = specOf(hpa);
    const min = spec.minReplicas ?? 1;
    return {
      min,
      max: Math.max(min, spec.maxReplicas ?? min),
      by: `${describe(hpa)} (minReplicas ${min}, maxReplicas ${spec.maxReplicas})`,
    };
  }
  const replicas = specOf(workload).replicas ?? 1;
  return { min: replicas, max: replicas, by: `spec.replicas ${replicas}` };
}

// Helpers for rules over workloads: the pod spec and containers inside any kind that runs pods.
import type { KubeObject } from '../../components/platform/kube-object';
import { labelledContainers, podSpecOf } from '../../components/base/pod-security';

export type Pod = Record<string, any>;
export type Container = Record<string, any>;

/** Kinds that run pods: the platform's, and ReplicationControllers and OpenShift DeploymentConfigs of manifests written elsewhere. */
export const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'DeploymentConfig',
  'Job',
  'CronJob',
]);

export function podOf(object: KubeObject): Pod | undefined {
  return podSpecOf(object as Record<string, any>);
}

/** Every container with where it sits, for messages (one definition, shared with the PSS checks). */
export const containersOf: (pod: Pod) => { container: Container; where: string }[] = labelledContainers;

/** The template labels of a workload, for selector checks. */
export function templateLabels(object: KubeObject): Record<string, string> | undefined {
  const spec = object.spec as Record<string, any> | undefined;
  if (object.kind === 'Pod') return object.metadata.labels;
  if (object.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.metadata?.labels;
  return spec?.template?.metadata?.labels;
}

/** A check per container: returns messages prefixed with where the container sits. */
export function perContainer(object: KubeObject, check: (c: Container, pod: Pod) => string | undefined, includeInit = true): string[] {
  const pod = podOf(object);
  if (!pod) return [];
  return containersOf(pod)
    .filter(({ where }) => includeInit || !where.startsWith('init'))
    .flatMap(({ container, where }) => {
      const problem = check(container, pod);
      return problem ? [`${where}: ${problem}`] : [];
    });
}

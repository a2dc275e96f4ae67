// Each manifest object becomes its own typed Pulumi resource (token
// `kubernetes:<group|core>/<version>:<Kind>`), so previews, CrossGuard and mocks see every object.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { KubeObject } from '../kube-object';

type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const TYPED: Record<string, ResourceClass> = {
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Secret': k8s.core.v1.Secret,
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/PersistentVolumeClaim': k8s.core.v1.PersistentVolumeClaim,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'apps/v1/StatefulSet': k8s.apps.v1.StatefulSet,
  'apps/v1/DaemonSet': k8s.apps.v1.DaemonSet,
  'batch/v1/Job': k8s.batch.v1.Job,
  'batch/v1/CronJob': k8s.batch.v1.CronJob,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'networking.k8s.io/v1/Ingress': k8s.networking.v1.Ingress,
  'networking.k8s.io/v1/IngressClass': k8s.networking.v1.IngressClass,
  'rbac.authorization.k8s.io/v1/ClusterRole': k8s.rbac.v1.ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': k8s.rbac.v1.ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': k8s.rbac.v1.Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
};

/** Objects whose loss loses data: kept in the cluster when removed from the program. */
export function isStateful(object: KubeObject): boolean {
  if (object.kind === 'PersistentVolumeClaim') return true;
  const spec = object.spec as { volumeClaimTemplates?: unknown[] } | undefined;
  return object.kind === 'StatefulSet' && (spec?.volumeClaimTemplates?.length ?? 0) > 0;
}

/** The Pulumi resource name: unique per stack, readable, stable across runs. */
export const resourceName = (object: KubeObject): string =>
  object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;

export function registerObject(
  object: KubeObject,
  opts: pulumi.CustomResourceOptions & { protectStateful: boolean },
): pulumi.CustomResource {
  const { protectStateful, ...options } = opts;
  const stateful = isStateful(object);
  const resourceOptions: pulumi.CustomResourceOptions = {
    ...options,
    retainOnDelete: stateful || undefined,
    protect: (stateful && protectStateful) || undefined,
    // Jobs keep their readable name, so a changed Job must be deleted before it is created again.
    deleteBeforeReplace: object.kind === 'Job' || undefined,
  };
  const typed = TYPED[`${object.apiVersion}/${object.kind}`];
  const name = `${object.kind.toLowerCase()}:${resourceName(object)}`;
  if (typed) return new typed(name, object, resourceOptions);
  return new k8s.apiextensions.CustomResource(name, object as k8s.apiextensions.CustomResourceArgs, resourceOptions);
}

/** A plain Kubernetes object as synthesized: what both delivery paths and every check consume. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'StorageClass',
  'PersistentVolume',
  'PriorityClass',
  'CustomResourceDefinition',
]);

/** "apps/v1 Deployment platform-storage/polaris"; tolerant of objects read from any YAML. */
export const objectId = (o: KubeObject): string =>
  `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;

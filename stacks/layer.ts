// One ComponentResource per layer (plus edge): its namespace, every object of its services as a
// typed child with the stack's provider, and the Secrets its services own.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { BuiltNamespace, BuiltService } from '../components/platform/build';
import type { KubeObject } from '../components/platform/kube-object';
import type { Placement } from '../components/platform/layers';
import { registerObject } from './kubernetes-resources';
import { PlatformCredentials, secretObject } from './secrets';

export interface LayerArgs {
  placement: Placement;
  namespace?: BuiltNamespace;
  services: BuiltService[];
  credentials: PlatformCredentials;
  provider: k8s.Provider;
  protectStateful: boolean;
  /** Extra Secrets made by the delivery path (the self-signed certificate). */
  extraSecrets?: { name: string; namespace: string; type: string; stringData: pulumi.Input<Record<string, pulumi.Input<string>>> }[];
}

export class PlatformLayer extends pulumi.ComponentResource {
  readonly namespace?: string;
  readonly secretNames: string[];

  constructor(args: LayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('analytics-platform:platform:Layer', args.placement, {}, opts);
    const base = { parent: this, provider: args.provider };
    const namespaceObjects = args.namespace?.objects ?? [];
    const nsObject = namespaceObjects.find((o) => o.kind === 'Namespace');
    const nsResource = nsObject ? registerObject(nsObject, { ...base, protectStateful: false }) : undefined;
    // Everything in the namespace waits for it; cluster-scoped and kube-system objects do not.
    const dependsOn = (o: KubeObject) => (nsResource && o.metadata.namespace === args.namespace?.name ? [nsResource] : []);
    const register = (o: KubeObject) => registerObject(o, { ...base, dependsOn: dependsOn(o), protectStateful: args.protectStateful });

    namespaceObjects.filter((o) => o !== nsObject).forEach(register);
    const plans = args.services.flatMap((s) => s.secrets);
    for (const plan of plans) {
      const object = secretObject(plan, args.credentials);
      new k8s.core.v1.Secret(`secret:${plan.namespace}/${plan.name}`, object, {
        ...base,
        dependsOn: dependsOn({ ...object, metadata: { name: plan.name, namespace: plan.namespace } } as KubeObject),
      });
    }
    for (const secret of args.extraSecrets ?? [])
      new k8s.core.v1.Secret(
        `secret:${secret.namespace}/${secret.name}`,
        { metadata: { name: secret.name, namespace: secret.namespace }, type: secret.type, stringData: secret.stringData },
        { ...base, dependsOn: nsResource ? [nsResource] : [] },
      );
    for (const service of args.services) service.objects.forEach(register);

    this.namespace = args.namespace?.name;
    this.secretNames = [
      ...plans.map((p) => `${p.namespace}/${p.name}`),
      ...(args.extraSecrets ?? []).map((s) => `${s.namespace}/${s.name}`),
    ];
    this.registerOutputs({
      namespace: this.namespace,
      secrets: this.secretNames,
      objects: namespaceObjects.length + args.services.reduce((n, s) => n + s.objects.length, 0),
    });
  }
}

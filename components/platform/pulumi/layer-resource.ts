// A layer in the Pulumi style: a ComponentResource that joins a platform and, when the platform is
// built, registers its namespace, every object of its services as a typed child with the provider
// it was given, and the Secrets its services own (values from the platform's shared credentials).
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { z } from 'zod';
import type { PlatformBuild } from '../build';
import type { KubeObject } from '../kube-object';
import type { BuiltLayer, LayerDefinition, LayerProps, Platform } from '../platform';
import { registerObject } from './kubernetes-resources';
import { PlatformCredentials, secretObject } from './credentials';
import { selfSignedCertificate } from './self-signed-tls';

/** The Pulumi side shared by every layer of one platform: generated values and the self-signed CA. */
interface Delivery {
  credentials: PlatformCredentials;
  caCertificate?: pulumi.Output<string>;
}
const deliveries = new WeakMap<PlatformBuild, Delivery>();

function deliveryFor(build: PlatformBuild): Delivery {
  let delivery = deliveries.get(build);
  if (!delivery) {
    delivery = { credentials: new PlatformCredentials(build.services.flatMap((s) => s.secrets)) };
    deliveries.set(build, delivery);
  }
  return delivery;
}

interface ExtraSecret {
  name: string;
  namespace: string;
  type: string;
  stringData: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The platform certificate's Secrets, made on this path when TLS is self-signed, in the namespace that serves it. */
function certificateSecrets(layer: BuiltLayer, delivery: Delivery): ExtraSecret[] {
  const tls = layer.build.tls;
  if (tls?.mode !== 'self-signed' || layer.namespace?.name !== tls.namespace) return [];
  const material = selfSignedCertificate(tls, delivery.credentials);
  delivery.caCertificate = material.caCertificate;
  const secrets: ExtraSecret[] = [
    {
      name: tls.secretName,
      namespace: tls.namespace,
      type: 'kubernetes.io/tls',
      stringData: pulumi.secret(
        pulumi
          .all([material.certificate, material.privateKey, material.caCertificate])
          .apply(([crt, key, ca]) => ({ 'tls.crt': crt, 'tls.key': key, 'ca.crt': ca })),
      ),
    },
  ];
  if (tls.caSecretName)
    secrets.push({ name: tls.caSecretName, namespace: tls.namespace, type: 'Opaque', stringData: { 'ca.crt': material.caCertificate } });
  return secrets;
}

export abstract class LayerResource<S extends z.ZodObject> extends pulumi.ComponentResource {
  /** The layer's namespace, once the platform is built (none when none of its services is on). */
  namespace?: string;
  /** `namespace/name` of every Secret the layer holds. */
  secretNames: string[] = [];
  /** The platform CA, on the layer that serves the self-signed certificate. */
  caCertificate?: pulumi.Output<string>;
  private readonly provider?: pulumi.ProviderResource;

  protected constructor(
    definition: LayerDefinition<S>,
    name: string,
    props: LayerProps<z.infer<S>>,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    const className = `${definition.placement[0].toUpperCase()}${definition.placement.slice(1)}Layer`;
    // The alias keeps the URNs of stacks deployed before layers had classes of their own.
    super(
      `analytics-platform:layers:${className}`,
      name,
      {},
      { ...opts, aliases: [...(opts.aliases ?? []), { type: 'analytics-platform:platform:Layer' }] },
    );
    this.provider = opts.provider;
    props.platform.register(definition, props.config, (layer) => this.registerObjects(layer, props.platform));
  }

  private registerObjects(layer: BuiltLayer, platform: Platform): void {
    const delivery = deliveryFor(layer.build);
    const base = { parent: this, provider: this.provider };
    const protectStateful = platform.config.protect;
    const namespaceObjects = layer.namespace?.objects ?? [];
    const nsObject = namespaceObjects.find((o) => o.kind === 'Namespace');
    const nsResource = nsObject ? registerObject(nsObject, { ...base, protectStateful: false }) : undefined;
    // Everything in the namespace waits for it; cluster-scoped and kube-system objects do not.
    const inNamespace = (namespace?: string) => (nsResource && namespace === layer.namespace?.name ? [nsResource] : []);
    const register = (o: KubeObject) => registerObject(o, { ...base, dependsOn: inNamespace(o.metadata.namespace), protectStateful });

    namespaceObjects.filter((o) => o !== nsObject).forEach(register);
    const plans = layer.services.flatMap((s) => s.secrets);
    for (const plan of plans)
      new k8s.core.v1.Secret(`secret:${plan.namespace}/${plan.name}`, secretObject(plan, delivery.credentials), {
        ...base,
        dependsOn: inNamespace(plan.namespace),
      });
    const extra = certificateSecrets(layer, delivery);
    for (const secret of extra)
      new k8s.core.v1.Secret(
        `secret:${secret.namespace}/${secret.name}`,
        { metadata: { name: secret.name, namespace: secret.namespace }, type: secret.type, stringData: secret.stringData },
        { ...base, dependsOn: inNamespace(secret.namespace) },
      );
    for (const service of layer.services) service.objects.forEach(register);

    this.namespace = layer.namespace?.name;
    this.secretNames = [...plans, ...extra].map((s) => `${s.namespace}/${s.name}`);
    if (extra.length) this.caCertificate = delivery.caCertificate;
    this.registerOutputs({
      namespace: this.namespace,
      secrets: this.secretNames,
      objects: namespaceObjects.length + layer.services.reduce((n, s) => n + s.objects.length, 0),
    });
  }
}

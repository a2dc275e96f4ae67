// Image rules: what runs (a pinned tag, a digest, an allowed registry, no legacy add-ons) and how
// the kubelet fetches it (the environment's pull policy).
import type { KubeObject } from '../../components/platform/kube-object';
import { mandatory, advisory, type ObjectRule } from './types';
import { containersOf, perContainer, podOf, templateLabels } from './workload';

export interface ImageReference {
  /** Everything before the tag or digest, registry included. */
  name: string;
  tag?: string;
  digest?: string;
}

/** Splits `registry:5000/repo/name:tag@sha256:...`; the tag's colon is the one after the last slash. */
export function parseImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = named.lastIndexOf(':');
  const tagged = colon > named.lastIndexOf('/');
  return { name: tagged ? named.slice(0, colon) : named, tag: tagged ? named.slice(colon + 1) : undefined, digest: digest || undefined };
}

const imageTagPinned: ObjectRule = {
  id: 'image-tag-pinned',
  scope: 'object',
  title: 'Images name a fixed tag (or a digest), never "latest" or none',
  rationale:
    'An image without a tag, or tagged "latest", resolves to whatever was pushed last: two nodes can run different code, a restart can upgrade a service unannounced and no rollback target exists.',
  severity: 'high',
  category: 'images',
  controls: {
    kubeLinter: ['latest-tag'],
    polaris: ['tagNotSpecified'],
    kyverno: ['disallow-latest-tag'],
    checkov: ['CKV_K8S_14'],
    crosswalk: [26],
  },
  enforcement: mandatory,
  check: (object) =>
    perContainer(object, (c) => {
      if (typeof c.image !== 'string' || c.image.trim() === '') return 'has no image';
      const { tag, digest } = parseImage(c.image);
      if (tag === 'latest') return `image "${c.image}" uses the tag "latest"; pin a version`;
      if (!tag && !digest) return `image "${c.image}" has no tag or digest; pin a version`;
      return undefined;
    }),
};

const imageDigest: ObjectRule = {
  id: 'image-digest',
  scope: 'object',
  title: 'Images are pinned by digest',
  rationale:
    'A tag can be moved to other content; a digest cannot. The air-gapped profile mirrors exactly the locked digests, so an image without one is not the image that was vetted and mirrored. ' +
    'Mandatory on airgapped when the environment pins digests (images.digestPinning); elsewhere, and on airgapped without pinning, silent or advice only.',
  severity: 'medium',
  category: 'images',
  controls: { checkov: ['CKV_K8S_43'], crosswalk: [27] },
  enforcement: { k3d: 'advisory', eks: 'advisory', airgapped: 'mandatory' },
  check(object, ctx) {
    if (ctx.environment === 'airgapped' && !ctx.digestPinning) return [];
    return perContainer(object, (c) =>
      typeof c.image === 'string' && !parseImage(c.image).digest ? `image "${c.image}" is not pinned by digest (@sha256:...)` : undefined,
    );
  },
};

const imageRegistryAllowed: ObjectRule = {
  id: 'image-registry-allowed',
  scope: 'object',
  title: "Images come from the environment's allowed registries",
  rationale:
    'In an air-gapped cluster only the mirror is reachable: an image from any other registry never pulls, and a registry outside the mirror is outside the supply-chain review. ' +
    'The allowed list is the configured registry mirror; without one the rule has nothing to check.',
  severity: 'high',
  category: 'images',
  controls: { kyverno: ['restrict-image-registries'], crosswalk: [28] },
  enforcement: { k3d: 'advisory', eks: 'advisory', airgapped: 'mandatory' },
  check(object, ctx) {
    if (ctx.allowedRegistries.length === 0) return [];
    return perContainer(object, (c) =>
      typeof c.image === 'string' && !ctx.allowedRegistries.some((r) => c.image.startsWith(`${r.replace(/\/+$/, '')}/`))
        ? `image "${c.image}" is not from an allowed registry (${ctx.allowedRegistries.join(', ')})`
        : undefined,
    );
  },
};

const imagePullPolicy: ObjectRule = {
  id: 'image-pull-policy',
  scope: 'object',
  title: "Containers set the environment's image pull policy",
  rationale:
    'The pull policy belongs to the environment, not the service: on k3d images are side-loaded into the nodes and on air-gapped clusters pre-loaded from the mirror, so "Always" fails or stalls there; ' +
    'Polaris and checkov ask for "Always", which only makes sense with a reachable registry and mutable tags. An unset policy leaves it to the tag, which differs between "latest" and pinned images. ' +
    'Advisory on eks, where the registry is reachable and either policy works.',
  severity: 'medium',
  category: 'images',
  controls: { polaris: ['pullPolicyNotAlways'], checkov: ['CKV_K8S_15'], crosswalk: [29] },
  enforcement: { k3d: 'mandatory', eks: 'advisory', airgapped: 'mandatory' },
  check: (object, ctx) =>
    perContainer(object, (c) => {
      if (c.imagePullPolicy === ctx.pullPolicy) return undefined;
      return c.imagePullPolicy === undefined
        ? `imagePullPolicy is not set; set it to ${ctx.pullPolicy} (the ${ctx.environment} environment's policy)`
        : `imagePullPolicy is ${c.imagePullPolicy}; the ${ctx.environment} environment uses ${ctx.pullPolicy}`;
    }),
};

const LEGACY_IMAGE = /tiller|kubernetes-dashboard|kubernetesui\//i;
const legacyLabel = (labels: Record<string, string> = {}): string | undefined => {
  if (labels.app === 'helm' || labels.name === 'tiller') return 'is labelled as Helm v2 Tiller';
  if (labels.app === 'kubernetes-dashboard' || labels['k8s-app'] === 'kubernetes-dashboard')
    return 'is labelled as the Kubernetes dashboard';
  return undefined;
};

const noLegacyAddons: ObjectRule = {
  id: 'no-legacy-cluster-addons',
  scope: 'object',
  title: 'No Helm v2 Tiller or Kubernetes dashboard',
  rationale:
    'Tiller (Helm v2) serves an unauthenticated gRPC API with cluster-admin rights, and the dashboard has been a classic path to cluster takeover; neither belongs in this platform. Advisory: both are long obsolete, so this is a tripwire, not a likely finding.',
  severity: 'high',
  category: 'workload',
  controls: { kyverno: ['disallow-helm-tiller'], checkov: ['CKV_K8S_33', 'CKV_K8S_34', 'CKV_K8S_44', 'CKV_K8S_45'], crosswalk: [74] },
  enforcement: advisory,
  check(object: KubeObject) {
    const out: string[] = [];
    if (object.kind === 'Service') {
      const selector = Object.values(((object.spec as Record<string, any>)?.selector ?? {}) as Record<string, string>);
      const labels = Object.values(object.metadata.labels ?? {});
      if ([object.metadata.name, ...labels, ...selector].some((v) => /tiller/i.test(String(v)))) out.push('Service exposes Helm v2 Tiller');
      return out;
    }
    const pod = podOf(object);
    if (!pod) return out;
    const label = legacyLabel(object.metadata.labels) ?? legacyLabel(templateLabels(object));
    if (label) out.push(`workload ${label}`);
    for (const { container, where } of containersOf(pod))
      if (typeof container.image === 'string' && LEGACY_IMAGE.test(container.image))
        out.push(`${where}: image "${container.image}" is Tiller or the dashboard`);
    return out;
  },
};

export const imageRules: ObjectRule[] = [imageTagPinned, imageDigest, imageRegistryAllowed, imagePullPolicy, noLegacyAddons];

// The k3d cluster a laptop stack runs on, as a k3d `Simple` config (k3d.io/v1alpha5, k3d >= 5.0;
// schema: k3d-io/k3d pkg/config/v1alpha5/schema.json). `k3d cluster create --config <file>`.
import { stringify } from 'yaml';
import type { PlatformConfig } from '../../../environments/schema';
import type { ImageResolver } from '../../images';

/** Registries whose images k3s pulls by their own names (its system images, and any not in the catalogue). */
const MIRRORED_REGISTRIES = ['docker.io', 'quay.io', 'ghcr.io'];

/**
 * The k3s registries.yaml (docs.k3s.io/installation/private-registry) sending upstream pulls to the
 * mirror. The mirror keeps upstream repository paths under its own optional path, as the image
 * catalogue assumes (images.ts `ref`), hence the rewrite when it has one. Plain HTTP: on a laptop the
 * mirror is a local registry container (`k3d registry create` serves HTTP); the mirror's own host
 * is listed too so pods' rewritten references are pulled over HTTP as well.
 */
export function k3sRegistriesConfig(mirror: string): string {
  const slash = mirror.indexOf('/');
  const host = slash < 0 ? mirror : mirror.slice(0, slash);
  const path = slash < 0 ? '' : mirror.slice(slash + 1);
  const endpoint = () => [`http://${host}`];
  const upstream = () => ({ endpoint: endpoint(), ...(path ? { rewrite: { '^(.*)$': `${path}/$1` } } : {}) });
  return stringify({
    mirrors: {
      ...Object.fromEntries(MIRRORED_REGISTRIES.map((registry) => [registry, upstream()])),
      [host]: { endpoint: endpoint() },
    },
  });
}

export function k3dClusterConfig(config: PlatformConfig, images: ImageResolver): object {
  if (config.environment !== 'k3d' || !config.k3d)
    throw new Error(`k3d cluster config: environment is "${config.environment}"; only the "k3d" environment runs on a k3d cluster`);
  const { clusterName, servers, agents, httpPort, httpsPort } = config.k3d;
  const mirror = config.images.registryMirror;
  return {
    apiVersion: 'k3d.io/v1alpha5',
    kind: 'Simple',
    metadata: { name: clusterName },
    servers,
    agents,
    // The resolver gives the k3s image the tag of k3d.k3sVersion (platform/build.ts imageResolverFor).
    image: images.ref('k3s'),
    // The k3d load balancer forwards the host ports to 80/443 on the nodes, where k3s servicelb
    // publishes the platform's own Traefik Service (type LoadBalancer).
    ports: [
      { port: `${httpPort}:80`, nodeFilters: ['loadbalancer'] },
      { port: `${httpsPort}:443`, nodeFilters: ['loadbalancer'] },
    ],
    options: {
      k3d: { wait: true, timeout: '300s' },
      // The platform deploys its own Traefik; k3s's bundled one would claim the same ports.
      k3s: { extraArgs: [{ arg: '--disable=traefik', nodeFilters: ['server:*'] }] },
      kubeconfig: { updateDefaultKubeconfig: true, switchCurrentContext: true },
    },
    ...(mirror ? { registries: { config: k3sRegistriesConfig(mirror) } } : {}),
  };
}

// The laptop: every layer, and the k3d cluster config render writes beside the manifests.
import { stringify } from 'yaml';
import { k3dClusterConfig } from '../components/edge/k3d-cluster/k3d-cluster';
import type { Composition } from './composition';
import { PLACEMENTS } from '../components/platform/layers';

export const k3dComposition: Composition = {
  environment: 'k3d',
  layers: [...PLACEMENTS],
  extras: (build) => ({
    'k3d-cluster.yaml':
      '# k3d cluster for this platform: k3d cluster create --config k3d-cluster.yaml\n' +
      stringify(k3dClusterConfig(build.config, build.images), { lineWidth: 0 }),
  }),
};

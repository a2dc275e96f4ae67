// Files an environment needs beside its manifests.
import { stringify } from 'yaml';
import type { PlatformBuild } from '../components/platform/build';
import { k3dClusterConfig } from '../components/edge/k3d-cluster/k3d-cluster';

export function environmentExtras(build: PlatformBuild): Record<string, string> {
  if (build.config.environment !== 'k3d') return {};
  return {
    'k3d-cluster.yaml':
      '# k3d cluster for this platform: k3d cluster create --config k3d-cluster.yaml\n' +
      stringify(k3dClusterConfig(build.config, build.images), { lineWidth: 0 }),
  };
}

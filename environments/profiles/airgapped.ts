import { computeDefaults } from '../../components/compute/profile';
import { governanceDefaults } from '../../components/governance/profile';
import type { Profile } from './types';

/**
 * On-prem k3s/RKE2 behind a private registry: no egress, every image from the mirror and pinned by
 * digest, images pre-loaded on the nodes. The registry mirror and certificate are site-specific.
 */
export const airgappedProfile: Omit<Profile, 'domain' | 'tls'> & Partial<Pick<Profile, 'domain' | 'tls'>> = {
  prefix: 'platform',
  storageClasses: { standard: 'local-path', fast: 'local-path' },
  images: { digestPinning: true, lockFile: 'images.lock.json', pullPolicy: 'IfNotPresent' },
  sizing: 'medium',
  egress: { allowInternet: false, apiServerCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] },
  // No LoadBalancer or NodePort: the site's own edge forwards to the ClusterIP (see README).
  edge: { exposure: 'clusterIP', loadBalancerAnnotations: {} },
  postgres: {
    platform: { mode: 'internal', storageSize: '20Gi' },
    warehouse: { mode: 'internal', storageSize: '100Gi' },
  },
  objectStorage: { mode: 'internal', topology: 'split', storageSize: '200Gi', volumeServers: 3, replication: '001' },
  polaris: { realm: 'POLARIS', catalog: 'warehouse', namespaces: ['raw', 'staging', 'curated'] },
  compute: computeDefaults('cluster'),
  governance: governanceDefaults(false),
  protect: true,
};

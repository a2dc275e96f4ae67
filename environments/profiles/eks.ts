import { computeDefaults } from '../../components/compute/profile';
import { governanceDefaults } from '../../components/governance/profile';
import type { Profile } from './types';

/** AWS EKS: highly available, gp3 volumes, NLB in front, certificates from the user's cert-manager. */
export const eksProfile: Omit<Profile, 'domain' | 'tls'> & Partial<Pick<Profile, 'domain' | 'tls'>> = {
  prefix: 'platform',
  storageClasses: { standard: 'gp3', fast: 'gp3' },
  images: { digestPinning: false, pullPolicy: 'IfNotPresent' },
  sizing: 'large',
  egress: { allowInternet: true, apiServerCidrs: ['0.0.0.0/0'] },
  edge: {
    exposure: 'loadBalancer',
    loadBalancerAnnotations: {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    },
  },
  postgres: {
    platform: { mode: 'internal', storageSize: '50Gi' },
    warehouse: { mode: 'internal', storageSize: '200Gi' },
  },
  objectStorage: { mode: 'internal', topology: 'split', storageSize: '500Gi', volumeServers: 3, replication: '001' },
  polaris: { realm: 'POLARIS', catalog: 'warehouse', namespaces: ['raw', 'staging', 'curated'] },
  compute: computeDefaults('cluster'),
  governance: governanceDefaults(false),
  protect: true,
};

import { computeDefaults } from '../../components/compute/profile';
import { governanceDefaults } from '../../components/governance/profile';
import { openmetadataDefaults } from '../../components/governance/openmetadata/profile';
import type { Profile } from './types';

/** A laptop: one k3d node, self-signed TLS, everything small, images pulled once and kept. */
export const k3dProfile: Profile = {
  prefix: 'platform',
  // *.localhost resolves to the loopback address in browsers without editing /etc/hosts.
  domain: 'platform.localhost',
  tls: { mode: 'self-signed' },
  storageClasses: { standard: 'local-path', fast: 'local-path' },
  images: { digestPinning: false, pullPolicy: 'IfNotPresent' },
  sizing: 'small',
  egress: { allowInternet: true, apiServerCidrs: ['0.0.0.0/0'] },
  edge: { exposure: 'loadBalancer', loadBalancerAnnotations: {} },
  postgres: {
    platform: { mode: 'internal', storageSize: '5Gi' },
    warehouse: { mode: 'internal', storageSize: '10Gi' },
  },
  objectStorage: { mode: 'internal', topology: 'single', storageSize: '20Gi', volumeServers: 1, replication: '000' },
  polaris: { realm: 'POLARIS', catalog: 'warehouse', namespaces: ['raw', 'staging', 'curated'] },
  compute: computeDefaults('laptop'),
  governance: {
    ...governanceDefaults(true),
    openmetadata: openmetadataDefaults('laptop'),
    teams: ['marketing', 'finance'],
    projects: ['scoring', 'risk'],
  },
  protect: false,
  k3d: { clusterName: 'platform', servers: 1, agents: 0, k3sVersion: 'v1.31.5-k3s1', httpPort: 80, httpsPort: 443, allowOverBudget: false },
};

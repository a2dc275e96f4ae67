// AWS EKS: every layer on the cluster the kubeconfig names (cert-manager and a gp3 StorageClass assumed).
import type { Composition } from './composition';
import { PLACEMENTS } from '../components/platform/layers';

export const eksComposition: Composition = {
  environment: 'eks',
  layers: [...PLACEMENTS],
  extras: () => ({}),
};

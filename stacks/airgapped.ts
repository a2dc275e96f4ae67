// An on-prem cluster without egress: every layer, images from the mirror and pinned by digest.
import type { Composition } from './composition';
import { PLACEMENTS } from '../components/platform/layers';

export const airgappedComposition: Composition = {
  environment: 'airgapped',
  layers: [...PLACEMENTS],
  extras: () => ({}),
};

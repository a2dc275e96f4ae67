// The composition of each environment.
import type { EnvironmentName } from '../environments/schema';
import { airgappedComposition } from './airgapped';
import type { Composition } from './composition';
import { eksComposition } from './eks';
import { k3dComposition } from './k3d';

export const COMPOSITIONS: Record<EnvironmentName, Composition> = {
  k3d: k3dComposition,
  eks: eksComposition,
  airgapped: airgappedComposition,
};

import type { PlatformConfig } from '../schema';

/** A profile gives every key a default; a stack file may override any of them. */
export type Profile = Omit<PlatformConfig, 'environment'>;

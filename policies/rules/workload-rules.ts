import type { ObjectRule } from './types';

export const workloadRules: ObjectRule[] = [];

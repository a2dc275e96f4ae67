import type { StackRule } from './types';

export const stackRules: StackRule[] = [];

// Rules over the whole set of objects deployed together: network isolation and exposure, references
// between objects, and availability of replicated workloads. RBAC rules relating bindings to roles
// live with the other RBAC rules (rbac.ts).
import { availabilityRules } from './availability-rules';
import { networkRules } from './network-rules';
import { referenceRules } from './reference-rules';
import type { StackRule } from './types';

export const stackRules: StackRule[] = [...networkRules, ...referenceRules, ...availabilityRules];

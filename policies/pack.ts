// Constructing the pack starts CrossGuard's gRPC server, so only the entry file imports this.
import { PolicyPack } from '@pulumi/policy';
import { PACK_NAME, packPolicies } from './crossguard';

new PolicyPack(PACK_NAME, { policies: packPolicies() });

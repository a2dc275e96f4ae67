// The edge layer's slice of the stack config: where the platform certificate comes from and how the
// edge is reached from outside the cluster.
import { z } from 'zod';
import { objectName } from '../../environments/fields';

const tls = z.strictObject({
  mode: z.enum(['self-signed', 'provided', 'cert-manager']),
  secretName: objectName
    .optional()
    .describe('`provided`: the kubernetes.io/tls Secret (in the edge namespace) holding a wildcard certificate.'),
  clusterIssuer: objectName.optional().describe('`cert-manager`: the ClusterIssuer that signs the wildcard certificate.'),
});

const edge = z.strictObject({
  exposure: z.enum(['loadBalancer', 'nodePort', 'clusterIP']).describe('How the edge Service is exposed outside the cluster.'),
  loadBalancerAnnotations: z.record(z.string(), z.string()),
});

export const edgeSliceSchema = z.strictObject({
  tls: tls.describe('Where the wildcard certificate for `*.<domain>` comes from.'),
  edge: edge.describe('How the edge (Traefik) is reached from outside the cluster.'),
});
export type EdgeConfig = z.infer<typeof edgeSliceSchema>;

// The whole stack config as one strict zod schema. Unknown keys are errors; contradictions between
// settings are reported with the key path they concern (see refineContradictions).
import { z } from 'zod';
import { computeSliceSchema } from '../components/compute/schema';
import { edgeSliceSchema } from '../components/edge/schema';
import { storageSliceSchema } from '../components/storage/schema';
import { cidr, dnsLabel, domain, objectName } from './fields';
import { refineDbt } from '../components/compute/dbt/schema';
import { refineSpark } from '../components/compute/spark/schema';
import { governanceSliceSchema, refineGovernance } from '../components/governance/schema';

export const ENVIRONMENTS = ['k3d', 'eks', 'airgapped'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

export const SIZING_PROFILES = ['small', 'medium', 'large'] as const;
export type SizingProfile = (typeof SIZING_PROFILES)[number];

const registry = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]([-a-z0-9._/]*[a-z0-9])?)?$/,
    'a registry host with optional port and path, such as "registry.internal:5000/mirror"',
  );

const images = z.strictObject({
  registryMirror: registry.optional().describe('Rewrites every image reference to this registry, keeping the repository path.'),
  digestPinning: z.boolean().describe('Pin every image by digest, read from lockFile (written by `npm run images -- lock`).'),
  lockFile: z.string().min(1).optional(),
  pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']),
});

const storageClasses = z.strictObject({
  standard: objectName.describe('General persistent volumes (object store, metadata).'),
  fast: objectName.describe('Latency-sensitive volumes (databases).'),
});

const egress = z.strictObject({
  allowInternet: z.boolean().describe('Whether any pod may reach addresses outside the cluster.'),
  apiServerCidrs: z.array(cidr).min(1).describe('Where the Kubernetes API server lives, for pods that watch it (the edge).'),
});

/** Memory in GiB the whole k3d platform may request and be limited to: it must fit a laptop (render/budget.ts). */
export const LAPTOP_BUDGET_GIB = { requests: 10, limits: 16 } as const;

const k3d = z.strictObject({
  clusterName: dnsLabel,
  servers: z.number().int().min(1).max(5),
  agents: z.number().int().min(0).max(10),
  k3sVersion: z
    .string()
    .regex(/^v1\.[0-9]+\.[0-9]+-k3s[0-9]+$/, 'a k3s release such as "v1.31.5-k3s1"')
    .describe('The rancher/k3s node image tag (pulled through the registry mirror when one is set).'),
  httpPort: z.number().int().min(1).max(65535),
  httpsPort: z.number().int().min(1).max(65535),
  allowOverBudget: z
    .boolean()
    .optional()
    .describe(
      `Render and \`pulumi preview\`/\`up\` stop when the platform needs more than the laptop budget (${LAPTOP_BUDGET_GIB.requests} GiB of memory requests, ${LAPTOP_BUDGET_GIB.limits} GiB of limits); true lets a bigger machine run more (a larger sizing, heavy optional services).`,
    ),
});

export const platformConfigSchema = z
  .strictObject({
    environment: z.enum(ENVIRONMENTS).describe('Which profile gives the defaults: a k3d laptop, AWS EKS, or an air-gapped cluster.'),
    prefix: dnsLabel.describe('Names namespaces (`<prefix>-<layer>`), the IngressClass, realm roles and buckets.'),
    domain: domain.describe('Public hosts are `<function>.<domain>` (bi, lab, identity, storage, ...).'),
    tls: edgeSliceSchema.shape.tls,
    storageClasses: storageClasses.describe('StorageClass names per volume kind.'),
    images: images.describe('Image references: mirror, digest pinning, pull policy.'),
    sizing: z.enum(SIZING_PROFILES).describe('Replicas, requests and limits of every service: small fits a 16 GB laptop.'),
    egress: egress.describe('What pods may reach outside the cluster.'),
    edge: edgeSliceSchema.shape.edge,
    ...storageSliceSchema.shape,
    ...computeSliceSchema.shape,
    ...governanceSliceSchema.shape,
    protect: z.boolean().describe('Protect stateful resources from `pulumi destroy` (Pulumi `protect`).'),
    k3d: k3d.optional().describe('k3d only: the cluster `k3d cluster create --config` makes (written by render as k3d-cluster.yaml).'),
  })
  .superRefine(refineContradictions);

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
export type PostgresInstanceConfig = PlatformConfig['postgres']['platform'];
export type ObjectStorageConfig = PlatformConfig['objectStorage'];

type Ctx = z.RefinementCtx<z.infer<z.ZodObject>>;

function refineContradictions(c: Record<string, any>, ctx: Ctx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: 'custom', path, input, message });

  if (c.environment === 'airgapped') {
    if (!c.images?.registryMirror)
      issue(
        ['images', 'registryMirror'],
        c.images?.registryMirror,
        'required when environment is "airgapped": no public registry is reachable',
      );
    if (c.egress?.allowInternet) issue(['egress', 'allowInternet'], true, 'must be false when environment is "airgapped"');
  }
  if (c.tls?.mode === 'provided' && !c.tls.secretName)
    issue(['tls', 'secretName'], undefined, 'required when tls.mode is "provided": the Secret holding the wildcard certificate');
  if (c.tls?.mode !== 'provided' && c.tls?.secretName)
    issue(['tls', 'secretName'], c.tls.secretName, `only allowed when tls.mode is "provided" (tls.mode is "${c.tls.mode}")`);
  if (c.tls?.mode === 'cert-manager' && !c.tls.clusterIssuer)
    issue(['tls', 'clusterIssuer'], undefined, 'required when tls.mode is "cert-manager": the ClusterIssuer that signs the certificate');
  if (c.tls?.mode !== 'cert-manager' && c.tls?.clusterIssuer)
    issue(['tls', 'clusterIssuer'], c.tls.clusterIssuer, `only allowed when tls.mode is "cert-manager" (tls.mode is "${c.tls.mode}")`);
  if (c.images?.digestPinning && !c.images.lockFile)
    issue(
      ['images', 'lockFile'],
      undefined,
      'required when images.digestPinning is true: the lock file written by `npm run images -- lock`',
    );
  if (c.k3d && c.environment !== 'k3d') issue(['k3d'], c.k3d, `only allowed when environment is "k3d" (environment is "${c.environment}")`);
  if (c.environment === 'k3d' && !c.k3d) issue(['k3d'], undefined, 'required when environment is "k3d"');

  refineGovernance(c.governance, (path, input, message) => issue(['governance', ...path], input, message));
  const stack = { allowInternet: c.egress?.allowInternet };
  refineSpark(c.compute?.spark, stack, (path, input, message) => issue(['compute', 'spark', ...path], input, message));
  refineDbt(c.compute?.dbt, stack, (path, input, message) => issue(['compute', 'dbt', ...path], input, message));

  const os = c.objectStorage;
  if (os?.mode === 'internal') {
    const [dc, rack, server] = String(os.replication).split('').map(Number);
    if (dc !== 0 || rack !== 0)
      issue(
        ['objectStorage', 'replication'],
        os.replication,
        'only server-level replication ("00x") is supported: volume servers run in one data centre and rack',
      );
    if (os.topology === 'single' && server > 0)
      issue(['objectStorage', 'replication'], os.replication, 'must be "000" when objectStorage.topology is "single" (one volume server)');
    if (os.topology === 'single' && os.volumeServers !== 1)
      issue(['objectStorage', 'volumeServers'], os.volumeServers, 'must be 1 when objectStorage.topology is "single"');
    if (os.topology === 'split' && server + 1 > os.volumeServers)
      issue(['objectStorage', 'volumeServers'], os.volumeServers, `must be at least ${server + 1} for replication "${os.replication}"`);
  }
  const externals: [string[], { cidrs?: string[] } | undefined][] = [
    [['postgres', 'platform'], c.postgres?.platform],
    [['postgres', 'warehouse'], c.postgres?.warehouse],
    [['objectStorage'], os],
  ];
  for (const [path, ext] of externals) {
    if ((ext as any)?.mode !== 'external' || c.egress?.allowInternet) continue;
    if (ext?.cidrs?.includes('0.0.0.0/0'))
      issue(
        [...path, 'cidrs'],
        ext.cidrs,
        'may not contain "0.0.0.0/0" when egress.allowInternet is false: name the ranges the endpoint lives in',
      );
  }
}

// The whole stack config as one strict zod schema. Unknown keys are errors; contradictions between
// settings are reported with the key path they concern (see refineContradictions).
import { z } from 'zod';
import { computeSchema } from '../components/compute/schema';
import { refineDbt } from '../components/compute/dbt/schema';
import { refineSpark } from '../components/compute/spark/schema';
import { governanceSchema, refineGovernance } from '../components/governance/schema';

export const ENVIRONMENTS = ['k3d', 'eks', 'airgapped'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

export const SIZING_PROFILES = ['small', 'medium', 'large'] as const;
export type SizingProfile = (typeof SIZING_PROFILES)[number];

const dnsLabel = z
  .string()
  .regex(/^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/, 'a DNS label: lowercase letters, digits and "-", 1 to 20 characters, starting with a letter');
const domain = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a lowercase domain with at least two labels, such as "platform.localhost"',
  )
  .max(253);
const objectName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes object name: lowercase letters, digits and "-"')
  .max(63);
const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti)$/, 'a storage size such as "10Gi"');
const cidr = z.string().regex(/^([0-9]{1,3}\.){3}[0-9]{1,3}\/([0-9]|[12][0-9]|3[0-2])$/, 'an IPv4 CIDR such as "10.0.0.0/8"');
const hostOrIp = z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/, 'a host name or IP address');
const registry = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]([-a-z0-9._/]*[a-z0-9])?)?$/,
    'a registry host with optional port and path, such as "registry.internal:5000/mirror"',
  );

const tls = z.strictObject({
  mode: z.enum(['self-signed', 'provided', 'cert-manager']),
  secretName: objectName
    .optional()
    .describe('`provided`: the kubernetes.io/tls Secret (in the edge namespace) holding a wildcard certificate.'),
  clusterIssuer: objectName.optional().describe('`cert-manager`: the ClusterIssuer that signs the wildcard certificate.'),
});

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

const edge = z.strictObject({
  exposure: z.enum(['loadBalancer', 'nodePort', 'clusterIP']).describe('How the edge Service is exposed outside the cluster.'),
  loadBalancerAnnotations: z.record(z.string(), z.string()),
});

const externalEndpoint = {
  cidrs: z.array(cidr).min(1).describe('Egress is opened only to these ranges for the external endpoint.'),
};

const postgresInstance = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('internal'), storageSize: quantity }),
  z.strictObject({
    mode: z.literal('external'),
    host: hostOrIp,
    port: z.number().int().min(1).max(65535),
    adminSecret: objectName.describe(
      'Secret (storage namespace) with keys `username` and `password` of a role that may create roles and databases.',
    ),
    sslMode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']),
    ...externalEndpoint,
  }),
]);

const objectStorage = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('internal'),
    topology: z.enum(['single', 'split']).describe('`single`: one SeaweedFS process; `split`: master, volume, filer and S3 gateway apart.'),
    storageSize: quantity,
    volumeServers: z.number().int().min(1).max(32),
    replication: z
      .string()
      .regex(/^[0-9]{3}$/, 'three digits such as "000" or "001"')
      .describe('SeaweedFS replication "xyz": copies on other data centres, racks, servers.'),
  }),
  z.strictObject({
    mode: z.literal('external'),
    endpoint: z.url({ protocol: /^https?$/ }),
    region: z.string().min(1),
    pathStyle: z.boolean(),
    credentialsSecret: objectName.describe(
      'Secret (storage namespace) with keys `access-key` and `secret-key`, allowed to create buckets.',
    ),
    ...externalEndpoint,
  }),
]);

const polaris = z.strictObject({
  realm: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" and "-"'),
  catalog: objectName,
  namespaces: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lowercase letters, digits and "_"')).min(1),
});

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
});

export const platformConfigSchema = z
  .strictObject({
    environment: z.enum(ENVIRONMENTS).describe('Which profile gives the defaults: a k3d laptop, AWS EKS, or an air-gapped cluster.'),
    prefix: dnsLabel.describe('Names namespaces (`<prefix>-<layer>`), the IngressClass, realm roles and buckets.'),
    domain: domain.describe('Public hosts are `<function>.<domain>` (bi, lab, identity, storage, ...).'),
    tls: tls.describe('Where the wildcard certificate for `*.<domain>` comes from.'),
    storageClasses: storageClasses.describe('StorageClass names per volume kind.'),
    images: images.describe('Image references: mirror, digest pinning, pull policy.'),
    sizing: z.enum(SIZING_PROFILES).describe('Replicas, requests and limits of every service: small fits a 16 GB laptop.'),
    egress: egress.describe('What pods may reach outside the cluster.'),
    edge: edge.describe('How the edge (Traefik) is reached from outside the cluster.'),
    postgres: z
      .strictObject({ platform: postgresInstance, warehouse: postgresInstance })
      .describe(
        'PostgreSQL instances: `platform` for service metadata, `warehouse` for user data. `internal` runs it; `external` uses yours.',
      ),
    objectStorage: objectStorage.describe('The S3 store: SeaweedFS (`internal`) or an S3 endpoint you bring (`external`).'),
    polaris: polaris.describe('The Iceberg REST catalog: realm, catalog name and the namespaces created in it.'),
    compute: computeSchema.describe('The query and processing engines: Trino, Spark, dbt.'),
    governance: governanceSchema.describe(
      'Identity (Keycloak realm, roles, groups, sessions), directory, data catalog and the data access model.',
    ),
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

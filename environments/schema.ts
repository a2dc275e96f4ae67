// The whole stack config as one strict zod schema. Unknown keys are errors; contradictions between
// settings are reported with the key path they concern (see refineContradictions).
import { z } from 'zod';

export const ENVIRONMENTS = ['k3d', 'eks', 'airgapped'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

export const SIZING_PROFILES = ['small', 'medium', 'large'] as const;
export type SizingProfile = (typeof SIZING_PROFILES)[number];

const dnsLabel = z
  .string()
  .regex(/^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/, 'a DNS label: lowercase letters, digits and "-", 1 to 20 characters, starting with a letter');
const domain = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a lowercase domain with at least two labels, such as "platform.localhost"')
  .max(253);
const objectName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes object name: lowercase letters, digits and "-"')
  .max(63);
const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti)$/, 'a storage size such as "10Gi"');
const cidr = z
  .string()
  .regex(/^([0-9]{1,3}\.){3}[0-9]{1,3}\/([0-9]|[12][0-9]|3[0-2])$/, 'an IPv4 CIDR such as "10.0.0.0/8"');
const hostOrIp = z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/, 'a host name or IP address');
const registry = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]([-a-z0-9._/]*[a-z0-9])?)?$/, 'a registry host with optional port and path, such as "registry.internal:5000/mirror"');

const tls = z.strictObject({
  mode: z.enum(['self-signed', 'provided', 'cert-manager']),
  /** `provided`: the kubernetes.io/tls Secret (in the edge namespace) holding a wildcard certificate. */
  secretName: objectName.optional(),
  /** `cert-manager`: the ClusterIssuer that signs the wildcard certificate. */
  clusterIssuer: objectName.optional(),
});

const images = z.strictObject({
  /** Rewrites every image reference to this registry, keeping the repository path. */
  registryMirror: registry.optional(),
  /** Pin every image by digest, read from lockFile (written by `npm run images -- lock`). */
  digestPinning: z.boolean(),
  lockFile: z.string().min(1).optional(),
  pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']),
});

const storageClasses = z.strictObject({
  /** General persistent volumes (object store, metadata). */
  standard: objectName,
  /** Latency-sensitive volumes (databases). */
  fast: objectName,
});

const egress = z.strictObject({
  /** Whether any pod may reach addresses outside the cluster. */
  allowInternet: z.boolean(),
  /** Where the Kubernetes API server lives, for pods that watch it (the edge). */
  apiServerCidrs: z.array(cidr).min(1),
});

const edge = z.strictObject({
  /** How the edge Service is exposed outside the cluster. */
  exposure: z.enum(['loadBalancer', 'nodePort', 'clusterIP']),
  loadBalancerAnnotations: z.record(z.string(), z.string()),
});

const externalEndpoint = {
  /** Egress is opened only to these ranges for the external endpoint. */
  cidrs: z.array(cidr).min(1),
};

const postgresInstance = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('internal'), storageSize: quantity }),
  z.strictObject({
    mode: z.literal('external'),
    host: hostOrIp,
    port: z.number().int().min(1).max(65535),
    /** Secret (storage namespace) with keys `username` and `password` of a role that may create roles and databases. */
    adminSecret: objectName,
    sslMode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']),
    ...externalEndpoint,
  }),
]);

const objectStorage = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('internal'),
    /** `single`: one SeaweedFS process; `split`: master, volume, filer and S3 gateway apart. */
    topology: z.enum(['single', 'split']),
    storageSize: quantity,
    volumeServers: z.number().int().min(1).max(32),
    /** SeaweedFS replication "xyz": copies on other data centres, racks, servers. */
    replication: z.string().regex(/^[0-9]{3}$/, 'three digits such as "000" or "001"'),
  }),
  z.strictObject({
    mode: z.literal('external'),
    endpoint: z.url({ protocol: /^https?$/ }),
    region: z.string().min(1),
    pathStyle: z.boolean(),
    /** Secret (storage namespace) with keys `access-key` and `secret-key`, allowed to create buckets. */
    credentialsSecret: objectName,
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
  /** The rancher/k3s image the cluster runs (resolved through the image catalogue's mirror). */
  k3sVersion: z.string().regex(/^v1\.[0-9]+\.[0-9]+-k3s[0-9]+$/, 'a k3s release such as "v1.31.5-k3s1"'),
  httpPort: z.number().int().min(1).max(65535),
  httpsPort: z.number().int().min(1).max(65535),
});

export const platformConfigSchema = z
  .strictObject({
    environment: z.enum(ENVIRONMENTS),
    /** Names namespaces (`<prefix>-<layer>`), the IngressClass, realm roles and buckets. */
    prefix: dnsLabel,
    domain,
    tls,
    storageClasses,
    images,
    sizing: z.enum(SIZING_PROFILES),
    egress,
    edge,
    postgres: z.strictObject({ platform: postgresInstance, warehouse: postgresInstance }),
    objectStorage,
    polaris,
    /** Protect stateful resources from `pulumi destroy` (Pulumi `protect`). */
    protect: z.boolean(),
    k3d: k3d.optional(),
  })
  .superRefine(refineContradictions);

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
export type PostgresInstanceConfig = PlatformConfig['postgres']['platform'];
export type ObjectStorageConfig = PlatformConfig['objectStorage'];

type Ctx = z.RefinementCtx<z.infer<z.ZodObject>>;

function refineContradictions(c: Record<string, any>, ctx: Ctx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) =>
    ctx.addIssue({ code: 'custom', path, input, message });

  if (c.environment === 'airgapped') {
    if (!c.images?.registryMirror)
      issue(['images', 'registryMirror'], c.images?.registryMirror, 'required when environment is "airgapped": no public registry is reachable');
    if (c.egress?.allowInternet)
      issue(['egress', 'allowInternet'], true, 'must be false when environment is "airgapped"');
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
    issue(['images', 'lockFile'], undefined, 'required when images.digestPinning is true: the lock file written by `npm run images -- lock`');
  if (c.k3d && c.environment !== 'k3d')
    issue(['k3d'], c.k3d, `only allowed when environment is "k3d" (environment is "${c.environment}")`);
  if (c.environment === 'k3d' && !c.k3d) issue(['k3d'], undefined, 'required when environment is "k3d"');

  const os = c.objectStorage;
  if (os?.mode === 'internal') {
    const [dc, rack, server] = String(os.replication).split('').map(Number);
    if (dc !== 0 || rack !== 0)
      issue(['objectStorage', 'replication'], os.replication, 'only server-level replication ("00x") is supported: volume servers run in one data centre and rack');
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
      issue([...path, 'cidrs'], ext.cidrs, 'may not contain "0.0.0.0/0" when egress.allowInternet is false: name the ranges the endpoint lives in');
  }
}

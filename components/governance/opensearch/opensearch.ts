// OpenSearch, the search backend of the data catalog (OpenMetadata only; internal, no public host).
// A StatefulSet: one single-node cluster on the small profile, three cluster-manager-eligible data
// nodes otherwise, discovering each other through a headless Service. The security plugin is off on
// k3d (a laptop) and on everywhere else: TLS on both layers with a private CA and node certificate
// derived from a generated seed, HTTP basic against internal users whose bcrypt hashes the init
// container computes from generated passwords.
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-28';
import type { PlatformConfig } from '../../../environments/schema';
import { objectName } from '../../base/labels';
import { contentChecksum, platformConfigMap, platformService, platformStatefulSet, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { memoryToBytes } from '../../platform/quantity';
import { randomValue, SecretValueSource } from '../../platform/secrets';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import { nodeDistinguishedName, searchCertificates } from './certificates';
import {
  CERTIFICATES_DIR,
  CONFIG_DIR,
  CONFIGURE_SCRIPT,
  OPENSEARCH_HOME,
  opensearchYml,
  PASSWORD_ENV,
  renderConfigureScript,
  SearchClusterPlan,
  securityFiles,
  STAGING_DIR,
  TEMPLATES_DIR,
} from './config';

export const OPENSEARCH_SERVICE = 'opensearch';
export const OPENSEARCH_PORTS = { http: { name: 'http', port: 9200 }, transport: { name: 'transport', port: 9300 } } as const;
export const OPENSEARCH_HEADLESS = `${OPENSEARCH_SERVICE}-headless`;
/** Random ids of the internal users' passwords; OpenMetadata plans its own Secret with the same id. */
export const SEARCH_PASSWORD_IDS = { openmetadata: 'opensearch/user/openmetadata', admin: 'opensearch/user/admin' } as const;
/** The seed the CA and node certificate derive from; OpenMetadata derives the CA certificate from it too. */
export const SEARCH_CA_SEED_ID = 'opensearch/ca-seed';
export const SEARCH_CA_SEED_LENGTH = 64;
const USERS_SECRET = 'opensearch-users';
const CERTIFICATES_SECRET = 'opensearch-certificates';

/** The image's user and group (opensearch-build docker/release/dockerfiles: UID/GID 1000). */
const OPENSEARCH_USER = { uid: 1000, gid: 1000 };
const DATA_DIR = `${OPENSEARCH_HOME}/data`;

/**
 * Small: the 512 MiB heap of OpenSearch's own single-node example ("-Xms512m -Xmx512m", at most half
 * the memory: docs.opensearch.org/latest/install-and-configure/install-opensearch/docker/), half the
 * limit (heapMegabytes). Off by default on k3d with OpenMetadata (openmetadata/profile.ts).
 */
const SERVER_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '250m', memory: '1Gi', cpuLimit: '1', memoryLimit: '1Gi' },
  medium: { replicas: 3, cpu: '500m', memory: '2Gi', cpuLimit: '2' },
  large: { replicas: 3, cpu: '1', memory: '4Gi', cpuLimit: '4' },
};
/** hash.sh starts a JVM for each password. */
const CONFIGURE_SIZING: ComponentSizing = { replicas: 1, cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '256Mi' };

/** The security plugin is on everywhere but on a laptop. */
export const searchSecurityEnabled = (config: PlatformConfig): boolean => config.environment !== 'k3d';

/** The names the node certificate is valid for: the Service in every form clients use, and every pod. */
export function searchDnsNames(ctx: BuildContext): string[] {
  return [
    ...ctx.serviceDnsNames(OPENSEARCH_SERVICE),
    ctx.ownHost(OPENSEARCH_SERVICE, '*', OPENSEARCH_HEADLESS),
    ctx.ownHost(OPENSEARCH_SERVICE, OPENSEARCH_HEADLESS),
    'localhost',
  ];
}

/** A Secret key holding one PEM of the search CA or node certificate. */
export const searchCertificateValue = (ctx: BuildContext, part: 'caCertificate' | 'certificate' | 'privateKey'): SecretValueSource => {
  const dnsNames = searchDnsNames(ctx);
  return {
    kind: 'template',
    ids: [SEARCH_CA_SEED_ID],
    seeds: { [SEARCH_CA_SEED_ID]: SEARCH_CA_SEED_LENGTH },
    render: (values) => searchCertificates(values[SEARCH_CA_SEED_ID], dnsNames)[part],
  };
};

/** Half the memory limit for the heap (the rest is Lucene's file cache and off-heap buffers). */
export function heapMegabytes(sizing: ComponentSizing): number {
  return Math.floor(memoryToBytes(sizing.memoryLimit ?? sizing.memory) / 2 ** 20 / 2);
}

function declare(ctx: Pick<BuildContext, 'config'>): ServiceDeclaration {
  return withDefaults({
    name: OPENSEARCH_SERVICE,
    layer: 'governance',
    description: 'OpenSearch: the search index of the data catalog (OpenMetadata only, internal)',
    images: ['opensearch'],
    ports: [
      { ...OPENSEARCH_PORTS.http, http: !searchSecurityEnabled(ctx.config) },
      { ...OPENSEARCH_PORTS.transport, http: false },
    ],
    resources: { server: SERVER_SIZING },
    storage: { data: { size: ctx.config.governance.openmetadata.searchStorageSize, storageClass: 'fast' } },
  });
}

export function clusterPlan(ctx: BuildContext): SearchClusterPlan {
  const replicas = ctx.sizing(OPENSEARCH_SERVICE, 'server').replicas;
  const statefulSet = objectName(OPENSEARCH_SERVICE, 'server');
  return {
    clusterName: `${ctx.config.prefix}-search`,
    replicas,
    nodeNames: Array.from({ length: replicas }, (_, i) => `${statefulSet}-${i}`),
    headlessService: OPENSEARCH_HEADLESS,
    security: searchSecurityEnabled(ctx.config) ? { nodeDn: nodeDistinguishedName(searchDnsNames(ctx)) } : false,
  };
}

function buildSecrets(ctx: BuildContext): void {
  const namespace = ctx.namespaceOf(OPENSEARCH_SERVICE);
  ctx.addSecret({
    name: USERS_SECRET,
    namespace,
    service: OPENSEARCH_SERVICE,
    data: { openmetadata: randomValue(SEARCH_PASSWORD_IDS.openmetadata), admin: randomValue(SEARCH_PASSWORD_IDS.admin) },
  });
  ctx.addSecret({
    name: CERTIFICATES_SECRET,
    namespace,
    service: OPENSEARCH_SERVICE,
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': searchCertificateValue(ctx, 'certificate'),
      'tls.key': searchCertificateValue(ctx, 'privateKey'),
      'ca.crt': searchCertificateValue(ctx, 'caCertificate'),
    },
  });
}

/** Readiness: the local node answers; with security on, the security index is initialised (unauthenticated health endpoint). */
function readiness(security: boolean) {
  return security
    ? { exec: ['/bin/bash', '-c', 'curl -sk --max-time 4 https://127.0.0.1:9200/_plugins/_security/health | grep -q UP'] }
    : { http: { path: '/_cluster/health?local=true', port: OPENSEARCH_PORTS.http.name } };
}

function build(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const plan = clusterPlan(ctx);
  const security = plan.security !== false;
  if (security) buildSecrets(ctx);
  const files = platformConfigMap(scope, ctx, self, 'server', 'config', {
    'opensearch.yml': opensearchYml(plan),
    [CONFIGURE_SCRIPT]: renderConfigureScript(security),
    ...(security ? Object.fromEntries(Object.entries(securityFiles()).map(([file, text]) => [`security-${file}`, text])) : {}),
  });
  const heap = heapMegabytes(ctx.sizing(OPENSEARCH_SERVICE, 'server'));
  platformService(scope, ctx, self, { component: 'server', ports: [OPENSEARCH_PORTS.http.name] });
  platformService(scope, ctx, self, {
    component: 'server',
    name: OPENSEARCH_HEADLESS,
    headless: true,
    ports: [OPENSEARCH_PORTS.http.name, OPENSEARCH_PORTS.transport.name],
  });
  const configVolume: k8s.VolumeMount = { name: 'config', mountPath: CONFIG_DIR };
  platformStatefulSet(scope, ctx, self, {
    component: 'server',
    headlessService: OPENSEARCH_HEADLESS,
    // All nodes must start together for the first cluster-manager election.
    podManagementPolicy: 'Parallel',
    user: OPENSEARCH_USER,
    claims: [{ volume: 'data', mountPath: DATA_DIR }],
    terminationGracePeriodSeconds: 120,
    annotations: { 'checksum/config': contentChecksum(opensearchYml(plan)) },
    initContainers: [
      {
        name: 'configure',
        image: 'opensearch',
        command: ['/bin/bash', `${TEMPLATES_DIR}/${CONFIGURE_SCRIPT}`],
        env: security
          ? [
              { name: 'JAVA_OPTS', value: '-Xms32m -Xmx128m' },
              secretEnv(PASSWORD_ENV.openmetadata, USERS_SECRET, 'openmetadata'),
              secretEnv(PASSWORD_ENV.admin, USERS_SECRET, 'admin'),
            ]
          : [],
        volumeMounts: [
          { name: 'config', mountPath: STAGING_DIR },
          { name: 'templates', mountPath: TEMPLATES_DIR, readOnly: true },
          ...(security ? [{ name: 'certificates', mountPath: CERTIFICATES_DIR, readOnly: true }] : []),
        ],
        writablePaths: ['/tmp'],
        sizing: CONFIGURE_SIZING,
      },
    ],
    containers: [
      {
        name: 'opensearch',
        image: 'opensearch',
        env: [
          { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'OPENSEARCH_JAVA_OPTS', value: `-Xms${heap}m -Xmx${heap}m` },
          // The image's entrypoint would otherwise install the demo certificates and users.
          { name: 'DISABLE_INSTALL_DEMO_CONFIG', value: 'true' },
          { name: 'DISABLE_PERFORMANCE_ANALYZER_AGENT_CLI', value: 'true' },
          ...(security ? [] : [{ name: 'DISABLE_SECURITY_PLUGIN', value: 'true' }]),
        ],
        ports: [OPENSEARCH_PORTS.http.name, OPENSEARCH_PORTS.transport.name],
        volumeMounts: [configVolume, { name: 'data', mountPath: DATA_DIR }],
        writablePaths: [`${OPENSEARCH_HOME}/logs`, '/tmp'],
        startup: { tcp: OPENSEARCH_PORTS.http.name, periodSeconds: 10, failureThreshold: 30 },
        readiness: { ...readiness(security), periodSeconds: 10, timeoutSeconds: 5 },
        liveness: { tcp: OPENSEARCH_PORTS.transport.name, periodSeconds: 20, failureThreshold: 5 },
      },
    ],
    volumes: [
      { name: 'config', emptyDir: {} },
      { name: 'templates', configMap: { name: files.name, defaultMode: 0o555 } },
      ...(security ? [{ name: 'certificates', secret: { secretName: CERTIFICATES_SECRET, defaultMode: 0o440 } }] : []),
    ],
  });
}

export const opensearchDefinition: ServiceDefinition = {
  name: OPENSEARCH_SERVICE,
  enabled: (ctx) => ctx.config.governance.openmetadata.enabled,
  declare,
  build,
};

// The edge: Traefik v3 terminates TLS for every public host with the platform's wildcard certificate
// and routes to services by the Ingress objects the platform derives (platform/routes.ts), plus its
// file provider for the TLS defaults and middlewares. It is the only service reachable from outside
// the cluster. On k3d, a CoreDNS rewrite lets pods reach the public hosts through it too.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { stringify } from 'yaml';
import { exemption } from '../../base/exemption';
import { selectorLabels, standardLabels } from '../../base/labels';
import { platformConfigMap, platformDeployment } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { ingressClassName, publicHttpsPort } from '../../platform/routes';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import { forwardAuthConfig } from '../../governance/contract';
import { TRAEFIK_PUBLIC_PORTS, TRAEFIK_SERVICE } from '../contract';
import { certificateObjects, certificateProjection, dynamicTlsConfig, tlsPlanFor } from './tls';

/** The image's user in the upstream chart (values.yaml podSecurityContext); the image sets none. */
const TRAEFIK_USER = { uid: 65532, gid: 65532 };
/**
 * The file provider's directory: the root of the projected volume holding the dynamic file and the
 * certificate. In directory mode Traefik watches it and rebuilds on every event in it (v3.6
 * pkg/provider/file/file.go addWatcher), and the kubelet updates the volume by events in this very
 * directory, whose inode never changes (a new `..<timestamp>` dir, `..data_tmp` renamed onto
 * `..data`, the old dir removed): every renewal reloads, and the reload reads the new files. The
 * `filename` mode passes only events named like its file; after a swap that is one event, when
 * the old copy is deleted, and with it goes the watch (the re-watch fix, #5037, was reverted).
 */
const DYNAMIC_DIR = '/etc/traefik/dynamic';
/**
 * The directory mode loads every .yml/.yaml/.toml it meets, descends into real directories and never
 * into symlinks (os.ReadDir types entries without following them). So the dynamic file sits one
 * level down: the kubelet's top-level `config` symlink is passed over and the file is read once,
 * from the current `..<timestamp>/config/`; at the top level it would be read twice (symlink and
 * hidden copy). During a swap both copies exist for a moment: Traefik keeps the first of each name,
 * and the removal of the old copy is one more event, so the last reload sees the new one alone.
 */
const CONFIG_SUBDIR = 'config';
const CERT_SUBDIR = 'certs';
/**
 * The one file-provider document (the ConfigMap key): the TLS store and, when a host signs in with
 * forward-auth, the sign-in middlewares and `/oauth2/` routers (governance/oauth2-proxy/forward-auth.ts).
 */
export const DYNAMIC_FILE = 'dynamic.yml';
const CONTROLLER = 'traefik.io/ingress-controller';

const PORTS = { web: 8000, websecure: 8443, traefik: 8080, metrics: 9100 } as const;
/** What the Service exposes: the entrypoint each public port maps to. */
const EXPOSED = [TRAEFIK_PUBLIC_PORTS.web, TRAEFIK_PUBLIC_PORTS.websecure] as const;

/**
 * No documented minimum: the upstream chart ships `resources: {}` (traefik/traefik-helm-chart,
 * traefik/values.yaml); memory follows routes and open connections, a handful on a laptop.
 */
const SERVER_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '100m', memory: '128Mi', cpuLimit: '1', memoryLimit: '256Mi' },
  medium: { replicas: 2, cpu: '250m', memory: '256Mi', cpuLimit: '2', memoryLimit: '512Mi' },
  large: { replicas: 3, cpu: '500m', memory: '512Mi', cpuLimit: '4', memoryLimit: '1Gi' },
};

function declare(): ServiceDeclaration {
  return withDefaults({
    name: TRAEFIK_SERVICE,
    layer: 'edge',
    description: 'Traefik: TLS termination and routing for every public host, from Ingress objects and its file provider',
    images: ['traefik'],
    ports: [
      { name: 'web', port: PORTS.web, http: true },
      // TLS: not plain HTTP, so probes and scrapes never target it.
      { name: 'websecure', port: PORTS.websecure },
      { name: 'traefik', port: PORTS.traefik, http: true },
      { name: 'metrics', port: PORTS.metrics, http: true },
    ],
    metrics: { port: 'metrics', path: '/metrics' },
    resources: { server: SERVER_SIZING },
    // The Ingress provider watches the API server; the platform opens egress to it.
    watchesApiServer: true,
    // Edges to every public service are implied by their publicHost (platform/graph.ts).
  });
}

/** Static configuration, all on the command line (docs: reference/install-configuration, v3.6). */
function traefikArgs(ctx: BuildContext): string[] {
  const published = `${ctx.namespaceOf(TRAEFIK_SERVICE)}/${TRAEFIK_SERVICE}`;
  return [
    `--entryPoints.web.address=:${PORTS.web}/tcp`,
    // `to=:<port>`, not `to=websecure`: a named entrypoint redirects to its listen port (8443), which
    // the Service does not expose (pkg/provider/traefik/internal.go getEntryPointPort; the chart does the same).
    // The port is the one browsers use: 443, or a k3d cluster's host port.
    `--entryPoints.web.http.redirections.entryPoint.to=:${publicHttpsPort(ctx.config)}`,
    '--entryPoints.web.http.redirections.entryPoint.scheme=https',
    '--entryPoints.web.http.redirections.entryPoint.permanent=true',
    `--entryPoints.websecure.address=:${PORTS.websecure}/tcp`,
    '--entryPoints.websecure.http.tls=true',
    `--entryPoints.traefik.address=:${PORTS.traefik}/tcp`,
    `--entryPoints.metrics.address=:${PORTS.metrics}/tcp`,
    '--ping=true',
    '--ping.entryPoint=traefik',
    '--metrics.prometheus=true',
    '--metrics.prometheus.entryPoint=metrics',
    '--providers.kubernetesingress=true',
    `--providers.kubernetesingress.ingressClass=${ingressClassName(ctx)}`,
    `--providers.kubernetesingress.ingressendpoint.publishedservice=${published}`,
    // A route whose pods are not ready answers 503 instead of vanishing into a 404.
    '--providers.kubernetesingress.allowEmptyServices=true',
    `--providers.file.directory=${DYNAMIC_DIR}`,
    '--providers.file.watch=true',
    '--log.level=INFO',
    '--log.format=json',
    '--accesslog=true',
    '--accesslog.format=json',
    // Air-gap safe: no calls home (checkNewVersion defaults to true, cmd/configuration.go).
    '--global.checkNewVersion=false',
    '--global.sendAnonymousUsage=false',
    // No --api.insecure: the API and dashboard are never served on an entrypoint.
  ];
}

/** Exactly what the kubernetesingress provider reads and writes (docs routing-configuration/kubernetes/ingress.md). */
export const INGRESS_PROVIDER_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['services', 'secrets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
  // The provider starts a Node informer unless disableClusterScopeResources (ingress/client.go).
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
];

function buildAccess(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  // Cluster-scoped names carry the prefix: two platforms may share a cluster.
  const name = `${ctx.config.prefix}-${self.name}`;
  const labels = standardLabels(ctx, self, 'rbac');
  const annotations = exemption(
    'rbac-secrets-access',
    'the kubernetesingress provider lists and watches Secrets to load the TLS certificates that Ingresses name',
  );
  new k8s.KubeClusterRole(scope, 'cluster-role', { metadata: { name, labels, annotations }, rules: INGRESS_PROVIDER_RULES });
  new k8s.KubeClusterRoleBinding(scope, 'cluster-role-binding', {
    metadata: { name, labels, annotations },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name: self.name, namespace: ctx.namespaceOf(self.name) }],
  });
  new k8s.KubeIngressClass(scope, 'ingress-class', {
    metadata: { name: ingressClassName(ctx), labels: standardLabels(ctx, self, 'server') },
    spec: { controller: CONTROLLER },
  });
}

/** The public Service: 80 and 443 to the entrypoints, exposed as the environment says. */
function buildService(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const { exposure, loadBalancerAnnotations } = ctx.config.edge;
  const type = ({ loadBalancer: 'LoadBalancer', nodePort: 'NodePort', clusterIP: 'ClusterIP' } as const)[exposure];
  const annotations = exposure === 'loadBalancer' && Object.keys(loadBalancerAnnotations).length ? loadBalancerAnnotations : undefined;
  new k8s.KubeService(scope, 'public-service', {
    metadata: { name: self.name, labels: standardLabels(ctx, self, 'server'), annotations },
    spec: {
      type,
      selector: selectorLabels(self, 'server'),
      ports: EXPOSED.map(({ name, port }) => ({ name, port, targetPort: k8s.IntOrString.fromString(name), protocol: 'TCP' })),
    },
  });
}

/**
 * The platform derives only service-to-service allows (platform/network.ts); clients of the edge
 * are browsers, load balancers and node proxies (k3s servicelb, NLB targets) whose addresses are not
 * known in advance. So web and websecure accept traffic from anywhere; the other ports stay closed.
 */
function buildPublicPolicy(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  new k8s.KubeNetworkPolicy(scope, 'public-policy', {
    metadata: { name: `${self.name}-public`, labels: standardLabels(ctx, self, 'network') },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': self.name } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: EXPOSED.map(({ name }) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(ctx.port(self.name, name).port) })),
        },
      ],
    },
  });
}

/**
 * k3d only: pods resolve `<domain>` and `*.<domain>` to the Traefik Service, so they reach
 * `identity.<domain>` and friends by the same URL as browsers. k3s's CoreDNS imports
 * `/etc/coredns/custom/*.override` from the optional ConfigMap `coredns-custom` (k3s manifests/coredns.yaml,
 * since v1.24.15/1.25/1.26 patches and every 1.28+), and its reload plugin picks up changes.
 * The regex is anchored: CoreDNS matches it unanchored against the FQDN with its trailing dot
 * (plugin/rewrite/name.go), so `x.<domain>.evil.com` must not match. `answer auto` renames the answer
 * back to the question so clients accept it (CoreDNS >= 1.8.4).
 * Caveat: curl answers `*.localhost` itself with 127.0.0.1 (RFC 6761; curl issue #15628), so
 * `curl https://x.platform.localhost` inside a pod never asks CoreDNS: use `--resolve` there.
 * Go, glibc and musl resolvers do ask, so services are unaffected.
 */
function buildInClusterResolution(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  if (ctx.config.environment !== 'k3d') return;
  const domain = ctx.config.domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const target = ctx.connect(self.name, self.name, 'websecure').host;
  new k8s.KubeConfigMap(scope, 'coredns-custom', {
    metadata: { name: 'coredns-custom', namespace: 'kube-system', labels: standardLabels(ctx, self, 'dns') },
    data: { 'platform.override': `rewrite stop name regex ^(.+\\.)?${domain}\\.$ ${target} answer auto\n` },
  });
}

function build(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const tls = tlsPlanFor(ctx, self.name);
  ctx.tls = tls;
  certificateObjects(scope, ctx, self, tls);
  const forwardAuth = forwardAuthConfig(ctx, self.name);
  const dynamic = platformConfigMap(scope, ctx, self, 'server', 'dynamic', {
    [DYNAMIC_FILE]: stringify({
      ...dynamicTlsConfig(`${DYNAMIC_DIR}/${CERT_SUBDIR}/tls.crt`, `${DYNAMIC_DIR}/${CERT_SUBDIR}/tls.key`),
      // The sign-in middlewares the Ingresses of `forward-auth` services name, when there are any.
      ...forwardAuth,
    }),
  });
  buildAccess(scope, ctx, self);
  buildService(scope, ctx, self);
  buildPublicPolicy(scope, ctx, self);
  buildInClusterResolution(scope, ctx, self);

  const ping = { http: { path: '/ping', port: 'traefik' } };
  platformDeployment(scope, ctx, self, {
    component: 'server',
    user: TRAEFIK_USER,
    // The Ingress provider needs the ServiceAccount token.
    apiAccess: true,
    containers: [
      {
        name: 'traefik',
        image: 'traefik',
        // The image's entrypoint prepends `traefik` when the first argument is a flag.
        args: traefikArgs(ctx),
        ports: ['web', 'websecure', 'traefik', 'metrics'],
        startup: { ...ping, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
        readiness: { ...ping, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 1 },
        liveness: { ...ping, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
        volumeMounts: [{ name: 'dynamic', mountPath: DYNAMIC_DIR, readOnly: true }],
        writablePaths: ['/tmp'],
      },
    ],
    volumes: [
      {
        name: 'dynamic',
        projected: {
          // Readable by the Traefik group only (fsGroup), the key included.
          defaultMode: 0o440,
          sources: [
            { configMap: { name: dynamic.name, items: [{ key: DYNAMIC_FILE, path: `${CONFIG_SUBDIR}/${DYNAMIC_FILE}` }] } },
            certificateProjection(tls, CERT_SUBDIR),
          ],
        },
      },
    ],
  });
}

export const traefikDefinition: ServiceDefinition = {
  name: TRAEFIK_SERVICE,
  enabled: () => true,
  declare,
  build,
};

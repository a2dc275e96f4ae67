import { traefikDefinition, INGRESS_PROVIDER_RULES } from '../../../../components/edge/traefik/traefik';
import type { PlatformBuild } from '../../../../components/platform/build';
import type { KubeObject } from '../../../../components/platform/kube-object';
import { postgresDefinition } from '../../../../components/storage/postgres/postgres';
import { parse } from 'yaml';
import { buildFor, find } from '../../../helpers/build';

function build(env: string, extra: Record<string, unknown> = {}): PlatformBuild {
  return buildFor(env, extra, [postgresDefinition('platform'), postgresDefinition('warehouse'), traefikDefinition]);
}

const objectsOf = (b: PlatformBuild): KubeObject[] => b.services.find((s) => s.declaration.name === 'traefik')!.objects;
const pod = (objects: KubeObject[]) => find(objects, 'Deployment', 'traefik').spec.template.spec;
const args = (objects: KubeObject[]): string[] => pod(objects).containers[0].args;
const projectedSources = (objects: KubeObject[]): any[] => pod(objects).volumes.find((v: any) => v.name === 'dynamic').projected.sources;

const k3d = build('k3d');
const eks = build('eks');
const airgapped = build('airgapped');

describe('traefik static configuration', () => {
  it('runs the pinned Traefik v3 image as the chart user, with the API token mounted', () => {
    const spec = pod(objectsOf(k3d));
    expect(spec.containers[0].image).toMatch(/^docker\.io\/library\/traefik:v3\.\d+\.\d+$/);
    expect(spec.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(spec.serviceAccountName).toBe('traefik');
    expect(spec.automountServiceAccountToken).toBe(true);
  });

  it('turns off every call home for air-gapped sites', () => {
    expect(args(objectsOf(airgapped))).toEqual(
      expect.arrayContaining(['--global.checkNewVersion=false', '--global.sendAnonymousUsage=false']),
    );
  });

  it('reads only Ingresses of the platform class and publishes its own Service address', () => {
    const a = args(objectsOf(k3d));
    expect(a).toContain('--providers.kubernetesingress.ingressClass=platform');
    expect(a).toContain('--providers.kubernetesingress.ingressendpoint.publishedservice=platform-edge/traefik');
    const cls = find(objectsOf(k3d), 'IngressClass', 'platform');
    expect(cls.spec.controller).toBe('traefik.io/ingress-controller');
  });

  it('follows the prefix in the ingress class and cluster-scoped names', () => {
    const objects = objectsOf(build('k3d', { prefix: 'acme' }));
    expect(args(objects)).toContain('--providers.kubernetesingress.ingressClass=acme');
    find(objects, 'IngressClass', 'acme');
    find(objects, 'ClusterRole', 'acme-traefik');
  });

  it('redirects http to https on the exposed port 443, not the 8443 listener', () => {
    const a = args(objectsOf(k3d));
    expect(a).toEqual(
      expect.arrayContaining([
        '--entryPoints.web.address=:8000/tcp',
        '--entryPoints.web.http.redirections.entryPoint.to=:443',
        '--entryPoints.web.http.redirections.entryPoint.scheme=https',
        '--entryPoints.web.http.redirections.entryPoint.permanent=true',
        '--entryPoints.websecure.address=:8443/tcp',
        '--entryPoints.websecure.http.tls=true',
      ]),
    );
  });

  it('serves ping on the traefik entrypoint and metrics on their own, with no insecure API', () => {
    const a = args(objectsOf(k3d));
    expect(a).toEqual(
      expect.arrayContaining([
        '--entryPoints.traefik.address=:8080/tcp',
        '--ping=true',
        '--entryPoints.metrics.address=:9100/tcp',
        '--metrics.prometheus=true',
        '--metrics.prometheus.entryPoint=metrics',
        '--providers.file.directory=/etc/traefik/dynamic',
        '--providers.file.watch=true',
        '--accesslog=true',
        '--accesslog.format=json',
        '--log.format=json',
      ]),
    );
    expect(a.filter((x) => /^--api/.test(x))).toEqual([]);
    // Directory mode only: a named file's watch does not survive the kubelet's volume updates (renewal.test.ts).
    expect(a.filter((x) => /^--providers\.file\.filename/.test(x))).toEqual([]);
    const probe = pod(objectsOf(k3d)).containers[0].readinessProbe;
    expect(probe.httpGet).toEqual({ path: '/ping', port: 8080 });
  });

  it('declares its ports, metrics and that it watches the API server, which opens egress to it', () => {
    const decl = k3d.services.find((s) => s.declaration.name === 'traefik')!.declaration;
    expect(decl.layer).toBe('edge');
    expect(decl.watchesApiServer).toBe(true);
    expect(Object.fromEntries(decl.ports.map((p) => [p.name, p.port]))).toEqual({
      web: 8000,
      websecure: 8443,
      traefik: 8080,
      metrics: 9100,
    });
    expect(decl.metrics).toEqual({ port: 'metrics', path: '/metrics' });
    const egress = find(objectsOf(k3d), 'NetworkPolicy', 'traefik-egress');
    expect(egress.spec.egress.some((r: any) => r.to?.some((p: any) => p.ipBlock))).toBe(true);
  });

  it('sizes replicas by profile, with a disruption budget when there are several', () => {
    const replicas = (sizing: string) => find(objectsOf(build('k3d', { sizing })), 'Deployment', 'traefik').spec.replicas;
    expect([replicas('small'), replicas('medium'), replicas('large')]).toEqual([1, 2, 3]);
    expect(objectsOf(k3d).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    find(objectsOf(eks), 'PodDisruptionBudget', 'traefik');
  });
});

describe('traefik RBAC', () => {
  it('grants exactly the reads and status writes the ingress provider makes', () => {
    const role = find(objectsOf(k3d), 'ClusterRole', 'platform-traefik');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['services', 'secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(role.rules).toEqual(INGRESS_PROVIDER_RULES);
    const verbs = role.rules.flatMap((r: any) => r.verbs);
    expect(verbs).not.toContain('*');
    expect(verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v))).toEqual(['update']);
  });

  it('binds the role to the traefik ServiceAccount in the edge namespace, cluster-wide', () => {
    const binding = find(objectsOf(k3d), 'ClusterRoleBinding', 'platform-traefik');
    expect(binding.metadata.namespace).toBeUndefined();
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'platform-traefik' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'traefik', namespace: 'platform-edge' }]);
  });
});

describe('traefik exposure', () => {
  const service = (b: PlatformBuild) => find(objectsOf(b), 'Service', 'traefik');

  it('maps 80 and 443 to the web and websecure entrypoints', () => {
    expect(service(k3d).spec.ports).toEqual([
      { name: 'web', port: 80, targetPort: 'web', protocol: 'TCP' },
      { name: 'websecure', port: 443, targetPort: 'websecure', protocol: 'TCP' },
    ]);
    expect(service(k3d).spec.selector).toEqual({ 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/component': 'server' });
  });

  it('is a LoadBalancer on k3d, for k3s servicelb behind the k3d port mapping, without annotations', () => {
    expect(service(k3d).spec.type).toBe('LoadBalancer');
    expect(service(k3d).metadata.annotations).toBeUndefined();
  });

  it('is a LoadBalancer on eks carrying the NLB annotations', () => {
    expect(service(eks).spec.type).toBe('LoadBalancer');
    expect(service(eks).metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    });
  });

  it('is a ClusterIP when air-gapped, and annotations are dropped for non-LoadBalancer types', () => {
    const b = build('airgapped', { edge: { exposure: 'clusterIP', loadBalancerAnnotations: { a: 'b' } } });
    expect(service(b).spec.type).toBe('ClusterIP');
    expect(service(b).metadata.annotations).toBeUndefined();
    expect(service(airgapped).spec.type).toBe('ClusterIP');
    expect(service(build('k3d', { edge: { exposure: 'nodePort', loadBalancerAnnotations: {} } })).spec.type).toBe('NodePort');
  });

  it('accepts web and websecure from anywhere, and nothing else from outside', () => {
    const policy = find(objectsOf(k3d), 'NetworkPolicy', 'traefik-public');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'traefik' } });
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([
      {
        ports: [
          { protocol: 'TCP', port: 8000 },
          { protocol: 'TCP', port: 8443 },
        ],
      },
    ]);
  });
});

describe('traefik TLS modes', () => {
  const tlsYaml = (b: PlatformBuild) => parse(find(objectsOf(b), 'ConfigMap', 'traefik-dynamic').data['dynamic.yml']);

  it('serves the mounted certificate by default with TLS 1.2 as the floor', () => {
    const doc = tlsYaml(k3d);
    expect(doc.tls.stores.default.defaultCertificate).toEqual({
      certFile: '/etc/traefik/dynamic/certs/tls.crt',
      keyFile: '/etc/traefik/dynamic/certs/tls.key',
    });
    expect(doc.tls.options.default).toEqual({ minVersion: 'VersionTLS12', sniStrict: false });
  });

  it('projects the certificate into the watched directory so a renewal reloads it', () => {
    const mount = pod(objectsOf(k3d)).containers[0].volumeMounts.find((m: any) => m.name === 'dynamic');
    expect(mount).toEqual({ name: 'dynamic', mountPath: '/etc/traefik/dynamic', readOnly: true });
    const sources = projectedSources(objectsOf(k3d));
    // One level down, so the directory mode reads it once, from the kubelet's current copy.
    expect(sources[0]).toEqual({ configMap: { name: 'traefik-dynamic', items: [{ key: 'dynamic.yml', path: 'config/dynamic.yml' }] } });
    expect(sources[1].secret.items).toEqual([
      { key: 'tls.crt', path: 'certs/tls.crt' },
      { key: 'tls.key', path: 'certs/tls.key' },
    ]);
  });

  it('self-signed: plans the CA and wildcard for the delivery path, emits no Certificate and no Secret values', () => {
    expect(k3d.tls).toEqual({
      mode: 'self-signed',
      secretName: 'platform-wildcard-tls',
      namespace: 'platform-edge',
      service: 'traefik',
      dnsNames: ['platform.localhost', '*.platform.localhost'],
      caSecretName: 'platform-ca',
    });
    expect(projectedSources(objectsOf(k3d))[1].secret.name).toBe('platform-wildcard-tls');
    expect(projectedSources(objectsOf(k3d))[1].secret.optional).toBeUndefined();
    expect(objectsOf(k3d).filter((o) => o.kind === 'Certificate' || o.kind === 'Secret')).toEqual([]);
  });

  it('provided: mounts the user Secret and creates no Certificate', () => {
    expect(projectedSources(objectsOf(airgapped))[1].secret.name).toBe('wildcard-tls');
    expect(objectsOf(airgapped).some((o) => o.kind === 'Certificate')).toBe(false);
    expect(airgapped.tls).toMatchObject({ mode: 'provided', secretName: 'wildcard-tls', namespace: 'platform-edge' });
    expect(airgapped.tls!.caSecretName).toBeUndefined();
  });

  it('cert-manager: asks the ClusterIssuer for a rotating ECDSA wildcard and mounts its Secret when it appears', () => {
    const cert = find(objectsOf(eks), 'Certificate', 'platform-wildcard-tls');
    expect(cert.apiVersion).toBe('cert-manager.io/v1');
    expect(cert.metadata.namespace).toBe('platform-edge');
    expect(cert.spec).toEqual({
      secretName: 'platform-wildcard-tls',
      dnsNames: ['data.example.com', '*.data.example.com'],
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      duration: '2160h',
      renewBefore: '360h',
    });
    const secret = projectedSources(objectsOf(eks))[1].secret;
    expect(secret).toMatchObject({ name: 'platform-wildcard-tls', optional: true });
    expect(eks.tls).toMatchObject({ mode: 'cert-manager', secretName: 'platform-wildcard-tls' });
  });

  it('plans no Secret values of its own in any mode', () => {
    for (const b of [k3d, eks, airgapped]) expect(b.services.find((s) => s.declaration.name === 'traefik')!.secrets).toEqual([]);
  });
});

describe('in-cluster resolution of public hosts', () => {
  const corednsOf = (b: PlatformBuild) => objectsOf(b).filter((o) => o.metadata.name === 'coredns-custom');

  it('on k3d, rewrites the domain and its subdomains to the Traefik Service in kube-system', () => {
    const [cm] = corednsOf(k3d) as any[];
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata.namespace).toBe('kube-system');
    expect(cm.data['platform.override']).toBe(
      'rewrite stop name regex ^(.+\\.)?platform\\.localhost\\.$ traefik.platform-edge.svc.cluster.local answer auto\n',
    );
  });

  it('anchors the pattern so look-alike names are not captured', () => {
    const line: string = (corednsOf(k3d)[0] as any).data['platform.override'];
    const regex = new RegExp(line.split(' ')[4]);
    for (const name of ['platform.localhost.', 'identity.platform.localhost.', 'a.b.platform.localhost.'])
      expect(regex.test(name)).toBe(true);
    for (const name of [
      'identity.platform.localhost.evil.com.',
      'xplatform.localhost.',
      'platformxlocalhost.',
      'traefik.platform-edge.svc.cluster.local.',
    ])
      expect(regex.test(name)).toBe(false);
  });

  it('is emitted only on k3d', () => {
    expect(corednsOf(eks)).toEqual([]);
    expect(corednsOf(airgapped)).toEqual([]);
  });
});

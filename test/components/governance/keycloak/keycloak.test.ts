// The Keycloak service: its declaration, the server (public issuer, in-cluster back channel,
// database, health and metrics, read-only build, HA caches), the reconcile Job and the Secrets
// that carry client credentials and demo passwords.
import { KEYCLOAK_PORTS, OAUTH2_PROXY_PORTS, OAUTH2_PROXY_SERVICE, oidcClientSecretId } from '../../../../components/governance/contract';
import { heapOptions, keycloakDefinition } from '../../../../components/governance/keycloak/keycloak';
import { REALM_CHECKSUM_ANNOTATION } from '../../../../components/governance/keycloak/reconcile';
import { allObjects, PlatformBuild } from '../../../../components/platform/build';
import { resolveSecretData, SecretPlan } from '../../../../components/platform/secrets';
import { ServiceDefinition, withDefaults } from '../../../../components/platform/service';
import { SERVICE_DEFINITIONS } from '../../../helpers/build';
import { governanceLayer } from '../../../../components/governance/layer';
import { podSecurityLevel } from '../../../../components/base/pod-security';
import { checkReferences } from '../../../../policies/validation/references';
import { validateSchema } from '../../../../policies/validation/schema';
import { buildFor, containerOf, ENVIRONMENTS, envValue, find, objectsOf, plannedSecrets } from '../../../helpers/build';

const fromSecret = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });

/** Two services that sign in, and oauth2-proxy unless the registry has it, so clients and their Secrets exist. */
const standIn = (name: string, layer: 'governance' | 'analytics', port: number, publicHost?: object): ServiceDefinition => ({
  name,
  enabled: () => true,
  declare: () =>
    withDefaults({
      name,
      layer,
      description: `${name} stand-in`,
      images: [],
      ports: [{ name: 'http', port, http: true }],
      resources: {},
      ...(publicHost ? { publicHost: { name, port: 'http', ...publicHost } as any } : {}),
    }),
  build: () => undefined,
});
const withSignIn = [
  ...SERVICE_DEFINITIONS,
  ...(SERVICE_DEFINITIONS.some((d) => d.name === OAUTH2_PROXY_SERVICE)
    ? []
    : [standIn(OAUTH2_PROXY_SERVICE, 'governance', OAUTH2_PROXY_PORTS.http.port)]),
  standIn('notebooks', 'analytics', 8000, { signIn: 'native-oidc', redirectPaths: ['/hub/oauth_callback'] }),
  standIn('pipelines', 'analytics', 8080, { signIn: 'forward-auth' }),
];

const keycloakOf = (b: PlatformBuild) => b.services.find((s) => s.declaration.name === 'keycloak')!;
const server = (b: PlatformBuild) => find(objectsOf(b, 'keycloak'), 'Deployment', 'keycloak');
const job = (b: PlatformBuild) => find(objectsOf(b, 'keycloak'), 'Job', 'keycloak-realm');
const k3d = buildFor('k3d', {}, withSignIn);

describe('Keycloak declaration', () => {
  const decl = keycloakOf(k3d).declaration;

  it('is the identity provider of the governance layer, public at identity.<domain> with no sign-in of its own', () => {
    expect(decl.layer).toBe('governance');
    expect(decl.publicHost).toEqual({ name: 'identity', port: 'http', signIn: 'none' });
    expect(governanceLayer.services).toContain(keycloakDefinition);
  });

  it('serves HTTP (the edge), HTTPS (the back channel), management, JGroups and its failure detection; metrics on /metrics', () => {
    expect(decl.ports).toEqual([
      { name: 'http', port: 8080, http: true },
      { name: 'https', port: 8443 },
      { name: 'management', port: 9000, http: true },
      { name: 'jgroups', port: 7800 },
      { name: 'jgroups-fd', port: 57800 },
    ]);
    expect(decl.metrics).toEqual({ port: 'management', path: '/metrics' });
  });

  it('owns the keycloak database on the platform PostgreSQL', () => {
    expect(decl.databases).toEqual([{ instance: 'platform', database: 'keycloak', access: 'owner' }]);
  });
});

describe('Keycloak server', () => {
  const deployment = server(k3d);
  const pod = deployment.spec.template.spec;
  const kc = containerOf(deployment, 'keycloak');
  const value = (name: string) => envValue(kc, name)?.value;

  it('runs the pinned 26.x image as the image user 1000, restricted, with a read-only root filesystem', () => {
    expect(kc.image).toMatch(/^quay\.io\/keycloak\/keycloak:26\.\d+\.\d+$/);
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true });
    for (const c of [...pod.initContainers, ...pod.containers]) expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(podSecurityLevel(pod)).toBe('restricted');
  });

  it('builds the server with the build options into an emptyDir once, then starts optimized from it', () => {
    const [copy, build] = pod.initContainers;
    expect(copy.command.join(' ')).toMatch(/cp -R --preserve=mode,timestamps \/opt\/keycloak\/lib\/quarkus\/\. \/augmented\//);
    expect(copy.volumeMounts).toContainEqual({ name: 'augmented', mountPath: '/augmented' });
    expect(build.args).toEqual(['build']);
    expect(build.volumeMounts).toContainEqual({ name: 'augmented', mountPath: '/opt/keycloak/lib/quarkus' });
    expect(kc.args).toEqual(['start', '--optimized']);
    expect(kc.volumeMounts).toContainEqual({ name: 'augmented', mountPath: '/opt/keycloak/lib/quarkus', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'augmented', emptyDir: {} });
    // The server repeats the build options, so --optimized finds nothing that differs.
    for (const option of ['KC_DB', 'KC_HEALTH_ENABLED', 'KC_METRICS_ENABLED', 'KC_CACHE'])
      expect([option, envValue(build, option)?.value]).toEqual([option, value(option)]);
    expect(value('KC_DB')).toBe('postgres');
    const writable = kc.volumeMounts.map((m: any) => m.mountPath);
    expect(writable).toEqual(expect.arrayContaining(['/opt/keycloak/data', '/tmp']));
  });

  it('issues tokens for the public issuer and answers the in-cluster back channel, behind TLS-terminating Traefik', () => {
    expect(value('KC_HOSTNAME')).toBe('https://identity.platform.localhost');
    expect(value('KC_HOSTNAME_BACKCHANNEL_DYNAMIC')).toBe('true');
    expect(value('KC_HTTP_ENABLED')).toBe('true');
    expect(value('KC_HTTP_PORT')).toBe('8080');
    expect(value('KC_PROXY_HEADERS')).toBe('xforwarded');
    expect(envValue(containerOf(server(buildFor('eks')), 'keycloak'), 'KC_HOSTNAME').value).toBe('https://identity.data.example.com');
  });

  it('reads the database and the bootstrap admin from Secrets', () => {
    expect(envValue(kc, 'KC_DB_URL')).toMatchObject(fromSecret('keycloak-postgres-platform', 'jdbc-url'));
    expect(envValue(kc, 'KC_DB_USERNAME')).toMatchObject(fromSecret('keycloak-postgres-platform', 'username'));
    expect(envValue(kc, 'KC_DB_PASSWORD')).toMatchObject(fromSecret('keycloak-postgres-platform', 'password'));
    expect(envValue(kc, 'KC_BOOTSTRAP_ADMIN_PASSWORD')).toMatchObject(fromSecret('keycloak-admin', 'password'));
    expect(envValue(kc, 'KC_BOOTSTRAP_ADMIN_CLIENT_SECRET')).toMatchObject(fromSecret('keycloak-admin', 'client-secret'));
    const admin = keycloakOf(k3d).secrets.find((s) => s.name === 'keycloak-admin')!;
    expect(admin.data.password).toMatchObject({ kind: 'random' });
    expect(admin.data['client-secret']).toMatchObject({ kind: 'random' });
  });

  it('probes start-up, readiness and liveness on the management port health endpoints', () => {
    expect(kc.startupProbe.httpGet).toEqual({ path: '/health/started', port: 9000 });
    expect(kc.startupProbe.periodSeconds * kc.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(kc.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 9000 });
    expect(kc.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 9000 });
    expect(kc.ports.map((p: any) => [p.name, p.containerPort])).toEqual([
      ['http', 8080],
      ['https', 8443],
      ['management', 9000],
      ['jgroups', 7800],
      ['jgroups-fd', 57800],
    ]);
    const service = find(objectsOf(k3d, 'keycloak'), 'Service', 'keycloak');
    expect(service.spec.ports.map((p: any) => [p.name, p.port])).toEqual([
      ['http', 8080],
      ['https', 8443],
      ['management', 9000],
    ]);
  });

  it.each([
    ['k3d', 1],
    ['airgapped', 2],
    ['eks', 3],
  ])('runs the profile replicas on %s (%i) as one cluster: jdbc-ping over the database, bound to the pod IP on 7800', (env, replicas) => {
    const b = buildFor(env);
    const d = server(b);
    const c = containerOf(d, 'keycloak');
    expect(d.spec.replicas).toBe(replicas);
    expect(envValue(c, 'KC_CACHE').value).toBe('ispn');
    expect(envValue(c, 'KC_CACHE_STACK').value).toBe('jdbc-ping');
    expect(envValue(c, 'KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS')).toEqual({
      name: 'KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS',
      valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
    });
    expect(envValue(c, 'KC_CACHE_EMBEDDED_NETWORK_BIND_PORT').value).toBe(String(KEYCLOAK_PORTS.cluster.port));
    expect(Boolean(d.spec.template.spec.topologySpreadConstraints)).toBe(replicas > 1);
    expect(objectsOf(b, 'keycloak').some((o) => o.kind === 'PodDisruptionBudget')).toBe(replicas > 1);
    // Replicas reach each other on 7800 and the failure-detection socket on 57800: the service's pods may talk among themselves on its ports.
    const ingress = find(objectsOf(b, 'keycloak'), 'NetworkPolicy', 'keycloak-ingress');
    expect(ingress.spec.ingress[0].ports.map((p: any) => p.port)).toEqual(expect.arrayContaining([7800, 57800]));
  });

  it('keeps the heap within the memory limit, leaving room for metaspace and threads', () => {
    expect(heapOptions('1Gi')).toBe('-XX:MaxRAMPercentage=50 -XX:MinRAMPercentage=50 -XX:InitialRAMPercentage=50');
    expect(heapOptions('1536Mi')).toBe('-XX:MaxRAMPercentage=66 -XX:MinRAMPercentage=66 -XX:InitialRAMPercentage=50');
    expect(heapOptions('2Gi')).toBe('-XX:MaxRAMPercentage=70 -XX:MinRAMPercentage=70 -XX:InitialRAMPercentage=50');
    const eks = containerOf(server(buildFor('eks')), 'keycloak');
    expect(eks.resources.limits.memory).toBe('2Gi');
    expect(envValue(eks, 'JAVA_OPTS_KC_HEAP').value).toBe(heapOptions('2Gi'));
    expect(envValue(containerOf(server(k3d), 'build'), 'JAVA_OPTS_KC_HEAP').value).toBe(heapOptions('1Gi'));
  });

  it('fits a laptop on the small profile: 640Mi requested, a 512 MiB heap on a 1Gi limit', () => {
    const c = containerOf(server(k3d), 'keycloak');
    expect(c.resources.requests.memory).toBe('640Mi');
    expect(c.resources.limits.memory).toBe('1Gi');
    expect(envValue(c, 'JAVA_OPTS_KC_HEAP').value).toBe('-XX:MaxRAMPercentage=50 -XX:MinRAMPercentage=50 -XX:InitialRAMPercentage=50');
  });
});

describe('realm reconcile Job', () => {
  const j = job(k3d);
  const cli = containerOf(j, 'keycloak-config-cli');
  const value = (name: string) => envValue(cli, name)?.value;

  it('runs keycloak-config-cli in-cluster against Keycloak, waiting for it, with the service account from the admin Secret', () => {
    expect(cli.image).toMatch(/^docker\.io\/adorsys\/keycloak-config-cli:6\.\d+\.\d+-26\.\d+\.\d+$/);
    expect(j.spec.template.spec.securityContext).toMatchObject({ runAsUser: 65534, runAsGroup: 65534 });
    expect(value('KEYCLOAK_URL')).toBe('https://keycloak.platform-governance.svc.cluster.local:8443');
    expect(value('KEYCLOAK_AVAILABILITYCHECK_ENABLED')).toBe('true');
    expect(value('KEYCLOAK_GRANTTYPE')).toBe('client_credentials');
    expect(envValue(cli, 'KEYCLOAK_CLIENTID')).toMatchObject(fromSecret('keycloak-admin', 'client-id'));
    expect(envValue(cli, 'KEYCLOAK_CLIENTSECRET')).toMatchObject(fromSecret('keycloak-admin', 'client-secret'));
  });

  it('applies the realm file from its ConfigMap every run, substituting $(env:...) placeholders from Secrets', () => {
    expect(cli.volumeMounts).toContainEqual({ name: 'realm', mountPath: '/config', readOnly: true });
    expect(j.spec.template.spec.volumes).toContainEqual({ name: 'realm', configMap: { name: 'keycloak-realm-config' } });
    expect(value('IMPORT_FILES_LOCATIONS')).toBe('/config/platform.json');
    expect(value('IMPORT_VARSUBSTITUTION_ENABLED')).toBe('true');
    expect(value('IMPORT_CACHE_ENABLED')).toBe('false');
    expect(value('IMPORT_REMOTESTATE_ENABLED')).toBe('true');
    expect(envValue(cli, 'CLIENT_SECRET_NOTEBOOKS')).toMatchObject(fromSecret('keycloak-realm-secrets', 'CLIENT_SECRET_NOTEBOOKS'));
    expect(envValue(cli, 'CLIENT_SECRET_OAUTH2_PROXY')).toMatchObject(fromSecret('keycloak-realm-secrets', 'CLIENT_SECRET_OAUTH2_PROXY'));
    // Every placeholder in the file has a variable.
    const file = Object.values(find(objectsOf(k3d, 'keycloak'), 'ConfigMap', 'keycloak-realm-config').data)[0] as string;
    const variables = [...file.matchAll(/\$\(env:([A-Z0-9_]+)\)/g)].map((m) => m[1]);
    for (const v of variables) expect(envValue(cli, v)).toBeDefined();
  });

  it('re-runs when the realm changes (a new pod-template checksum) and only then', () => {
    const checksum = (b: PlatformBuild) => job(b).spec.template.metadata.annotations[REALM_CHECKSUM_ANNOTATION];
    expect(checksum(buildFor('k3d', {}, withSignIn))).toBe(checksum(k3d));
    expect(checksum(buildFor('k3d', { governance: { teams: ['sales'] } }, withSignIn))).not.toBe(checksum(k3d));
    expect(checksum(buildFor('k3d', { governance: { sessions: { accessTokenSeconds: 120 } } }, withSignIn))).not.toBe(checksum(k3d));
    expect(
      checksum(
        buildFor(
          'k3d',
          {},
          withSignIn.filter((d) => d.name !== 'notebooks'),
        ),
      ),
    ).not.toBe(checksum(k3d));
    expect(j.metadata.name).toBe('keycloak-realm');
  });

  it('also runs hourly, with the same pod, so changes made in the console since are put back', () => {
    const cron = find(objectsOf(k3d, 'keycloak'), 'CronJob', 'keycloak-realm-drift');
    expect(cron.spec.schedule).toBe('17 * * * *');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.containers.map((c: any) => [c.image, c.env])).toEqual(j.spec.template.spec.containers.map((c: any) => [c.image, c.env]));
    expect(pod.volumes).toEqual(j.spec.template.spec.volumes);
  });
});

describe('Keycloak secrets', () => {
  const plans: SecretPlan[] = k3d.services.flatMap((s) => s.secrets);
  const ids = [
    ...new Set(
      plans.flatMap((p) => Object.values(p.data).flatMap((v) => (v.kind === 'random' ? [v.id] : v.kind === 'template' ? v.ids : []))),
    ),
  ];
  const values = Object.fromEntries(ids.map((id, i) => [id, `GENERATED${i}x${id.replace(/\W/g, '')}x`]));

  it('puts no generated value into the realm ConfigMap or any Keycloak object', () => {
    const text = JSON.stringify(objectsOf(k3d, 'keycloak'));
    for (const plan of plans)
      for (const [key, value] of Object.entries(resolveSecretData(plan, values)))
        if (plan.data[key].kind !== 'literal') expect(text).not.toContain(value);
    expect(text).not.toContain('GENERATED');
    const file = Object.values(find(objectsOf(k3d, 'keycloak'), 'ConfigMap', 'keycloak-realm-config').data)[0] as string;
    expect(file).toContain('$(env:');
  });

  it("keeps each client secret in two Secrets only: the consumer's <service>-oidc and Keycloak's reconcile Secret, one value", () => {
    for (const [clientId, consumer, namespace] of [
      ['notebooks', 'notebooks', 'platform-analytics'],
      [OAUTH2_PROXY_SERVICE, OAUTH2_PROXY_SERVICE, 'platform-governance'],
    ]) {
      const holders = plans.filter((p) => Object.values(p.data).some((v) => v.kind === 'random' && v.id === oidcClientSecretId(clientId)));
      expect(holders.map((p) => [p.namespace, p.name, p.service]).sort()).toEqual(
        [
          [namespace, `${consumer}-oidc`, consumer],
          ['platform-governance', 'keycloak-realm-secrets', 'keycloak'],
        ].sort(),
      );
      const consumerSecret = holders.find((p) => p.name === `${consumer}-oidc`)!;
      expect(consumerSecret.data['client-id']).toEqual({ kind: 'literal', value: clientId });
      const resolved = holders.map((p) =>
        Object.entries(resolveSecretData(p, values)).find(([, v]) => v === values[oidcClientSecretId(clientId)]),
      );
      expect(resolved.every(Boolean)).toBe(true);
    }
    // The consumer's Secret belongs with the consumer.
    expect(k3d.services.find((s) => s.declaration.name === 'notebooks')!.secrets.map((s) => s.name)).toEqual(['notebooks-oidc']);
  });

  it('publishes demo passwords for the operator in keycloak-demo-users on k3d, and plans no such Secret on eks or airgapped', () => {
    const demo = keycloakOf(k3d).secrets.find((s) => s.name === 'keycloak-demo-users')!;
    expect(demo.namespace).toBe('platform-governance');
    expect(Object.keys(demo.data)).toEqual(['demo-admin', 'demo-engineer', 'demo-analyst', 'demo-user', 'demo-viewer']);
    for (const source of Object.values(demo.data)) expect(source).toMatchObject({ kind: 'random' });
    expect(envValue(containerOf(job(k3d), 'keycloak-config-cli'), 'DEMO_PASSWORD_VIEWER')).toMatchObject(
      fromSecret('keycloak-demo-users', 'demo-viewer'),
    );
    for (const env of ['eks', 'airgapped']) {
      const b = buildFor(env);
      expect(keycloakOf(b).secrets.map((s) => s.name)).not.toContain('keycloak-demo-users');
      expect(containerOf(job(b), 'keycloak-config-cli').env.filter((e: any) => e.name.startsWith('DEMO_'))).toEqual([]);
    }
  });
});

describe('Keycloak objects', () => {
  it.each(ENVIRONMENTS)('are schema-valid and every reference resolves on %s', (env) => {
    const b = buildFor(env, {}, withSignIn);
    expect(validateSchema(objectsOf(b, 'keycloak'))).toEqual([]);
    const everything = [...allObjects(b), ...plannedSecrets(b)];
    const storageClasses = Object.values(b.config.storageClasses);
    const userSecrets =
      b.tls?.mode === 'provided' ? [{ namespace: b.tls.namespace, name: b.tls.secretName, keys: ['tls.crt', 'tls.key'] }] : [];
    const keycloakProblems = checkReferences(everything, { storageClasses, externalSecrets: userSecrets }).filter((p) =>
      /keycloak/.test(JSON.stringify(p)),
    );
    expect(keycloakProblems).toEqual([]);
  });

  it('routes identity.<domain> to the http port through Traefik', () => {
    const ingress = find(objectsOf(k3d, 'keycloak'), 'Ingress', 'keycloak');
    expect(ingress.spec.rules[0].host).toBe('identity.platform.localhost');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'keycloak', port: { name: 'http' } });
  });
});

// dbt: the CronJob (schedule, one run at a time, dbt installed at pinned versions, the project
// from the sample or git), the generated profiles.yml (Trino as the service identity), the
// secrets and the egress it may use.
import { parse } from 'yaml';
import type { PlatformBuild } from '../../../../components/platform/build';
import { allObjects } from '../../../../components/platform/build';
import { DBT_PACKAGES, DBT_PRINCIPAL, JWT_ENV, sampleProjectFiles } from '../../../../components/compute/dbt/config';
import { DBT_TOKEN_LIFESPAN_SECONDS, operatorProvidedDbtSecrets, RUN_DEADLINE_SECONDS } from '../../../../components/compute/dbt/dbt';
import { oidcClients } from '../../../../components/governance/keycloak/clients';
import { oidcClientSecretId, serviceAccountUsername } from '../../../../components/governance/contract';
import { ConfigError, loadPlatformConfig } from '../../../../environments/load';
import { refineDbt } from '../../../../components/compute/dbt/schema';
import { policyContextFor } from '../../../../policies/context';
import { evaluate, mandatoryViolations } from '../../../../policies/engine';
import { RULES } from '../../../../policies/registry';
import { checkReferences } from '../../../../policies/validation/references';
import { validateSchema } from '../../../../policies/validation/schema';
import { buildFor, envValue, find, objectsOf, plannedSecrets, userSecrets } from '../../../helpers/build';
import { AIRGAPPED_MIRRORS } from '../spark/mirrors';

const build = (environment: string, extra: Record<string, unknown> = {}): PlatformBuild =>
  buildFor(environment, environment === 'airgapped' ? { ...AIRGAPPED_MIRRORS, ...extra } : extra);

const GIT = {
  mode: 'git',
  url: 'https://git.corp.internal/data/transform.git',
  ref: 'v1.4.0',
  path: 'dbt',
  credentialsSecret: 'transform-git',
  cidrs: ['10.30.0.0/16'],
};

const k3d = build('k3d');
const objects = objectsOf(k3d, 'dbt');
const cronJob = find(objects, 'CronJob', 'dbt-build');
const pod = cronJob.spec.jobTemplate.spec.template.spec;
const container = (spec: any, name: string) => [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === name);
const config = find(objects, 'ConfigMap', 'dbt-build-config');
const profiles = parse(config.data['profiles.yml']);

describe('the dbt CronJob', () => {
  it('runs on the configured schedule (UTC), one run at a time, each with a deadline and no retry storm', () => {
    expect(cronJob.spec).toMatchObject({ schedule: '0 2 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: RUN_DEADLINE_SECONDS });
    expect(pod.restartPolicy).toBe('Never');
    const hourly = find(objectsOf(build('eks', { compute: { dbt: { schedule: '15 * * * *' } } }), 'dbt'), 'CronJob', 'dbt-build');
    expect(hourly.spec.schedule).toBe('15 * * * *');
  });

  it('installs dbt Core and the Trino adapter at pinned versions from the configured index, without update checks', () => {
    const install = container(pod, 'install-dbt');
    expect(install.command[2]).toContain(`/opt/dbt/bin/pip install --prefer-binary ${DBT_PACKAGES.join(' ')}`);
    for (const pkg of DBT_PACKAGES) expect(pkg).toMatch(/^dbt-(core|trino)==\d+\.\d+\.\d+$/);
    expect(envValue(install, 'PIP_INDEX_URL').value).toBe('https://pypi.org/simple');
    expect(envValue(install, 'PIP_DISABLE_PIP_VERSION_CHECK').value).toBe('1');
    const airgapped = find(objectsOf(build('airgapped'), 'dbt'), 'CronJob', 'dbt-build').spec.jobTemplate.spec.template.spec;
    expect(envValue(container(airgapped, 'install-dbt'), 'PIP_INDEX_URL').value).toBe('https://pypi.corp.internal/simple');
  });

  it('runs dbt with the generated profile, output in the writable /tmp, no usage statistics sent', () => {
    const dbt = container(pod, 'dbt');
    expect(dbt.command).toEqual(['/bin/sh', '/etc/dbt/scripts/run.sh']);
    expect(Object.fromEntries(dbt.env.filter((e: any) => e.value).map((e: any) => [e.name, e.value]))).toMatchObject({
      DBT_PROFILES_DIR: '/etc/dbt/profiles',
      DBT_PROJECT_DIR: '/dbt/project',
      DBT_TARGET_PATH: '/tmp/dbt/target',
      DBT_LOG_PATH: '/tmp/dbt/logs',
      DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
      DBT_SIGN_IN_URL: 'https://keycloak.platform-governance.svc.cluster.local:8443/realms/platform/protocol/openid-connect/token',
      DBT_SIGN_IN_CA_FILE: '/etc/dbt/keycloak-ca/ca.crt',
    });
    expect(dbt.securityContext.readOnlyRootFilesystem).toBe(true);
    const run = config.data['run.sh'];
    expect(run).toContain('/opt/dbt/bin/dbt seed --project-dir "$DBT_PROJECT_DIR" --profile platform --target prod');
    // The build does not reload the seeds its staging models are reading.
    expect(run).toContain(
      `exec /opt/dbt/bin/dbt build --project-dir "$DBT_PROJECT_DIR" --profile platform --target prod --exclude 'resource_type:seed'`,
    );
  });

  it('signs in with its client credentials, from the Secret the identity provider plans in its namespace, read as files', () => {
    const plan = k3d.services.find((s) => s.declaration.name === 'dbt')!.secrets.find((s) => s.name === 'dbt-oidc')!;
    expect(plan.namespace).toBe('platform-compute');
    expect(plan.data).toEqual({
      'client-id': { kind: 'literal', value: 'dbt' },
      'client-secret': { kind: 'random', id: oidcClientSecretId('dbt'), length: 32 },
    });
    expect(pod.volumes.find((v: any) => v.name === 'oidc').secret.secretName).toBe('dbt-oidc');
    const dbt = container(pod, 'dbt');
    expect(envValue(dbt, 'DBT_CLIENT_SECRET_FILE').value).toBe('/etc/dbt/oidc/client-secret');
    expect(dbt.env.some((e: any) => e.valueFrom?.secretKeyRef)).toBe(false);
  });

  it("signs in over HTTPS trusting Keycloak's CA, a CA-only Secret planned in its own namespace", () => {
    const dbt = container(pod, 'dbt');
    expect(dbt.volumeMounts).toContainEqual({ name: 'keycloak-ca', mountPath: '/etc/dbt/keycloak-ca', readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === 'keycloak-ca')).toEqual({
      name: 'keycloak-ca',
      secret: { secretName: 'dbt-keycloak-ca', defaultMode: 0o444, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
    const plan = k3d.services.find((s) => s.declaration.name === 'dbt')!.secrets.find((s) => s.name === 'dbt-keycloak-ca')!;
    expect(plan.namespace).toBe('platform-compute');
    expect(Object.keys(plan.data)).toEqual(['ca.crt']);
    expect(config.data['sign-in.py']).toContain('ssl.create_default_context(cafile=os.environ.get("DBT_SIGN_IN_CA_FILE") or None)');
  });
});

describe("dbt's identity in the realm", () => {
  const client = oidcClients(
    k3d.config,
    k3d.services.map((s) => s.declaration),
  ).find((c) => c.service === 'dbt')!;

  it('is a client with a service account and no browser flow, in a role that may build in the Iceberg catalog', () => {
    expect(client).toMatchObject({ clientId: 'dbt', browserSignIn: false, serviceAccount: { roles: ['engineer'], realmManagement: [] } });
    const grants = k3d.config.governance.access.grants.filter((g) => g.roles.some((r) => client.serviceAccount!.roles.includes(r)));
    const target = profiles.platform.outputs.prod;
    expect(grants.some((g) => g.catalog === target.database && g.schemas.includes('*') && g.privileges.includes('create'))).toBe(true);
  });

  it("names Trino's client in its tokens' audience, and its service-account user is the profile's user", () => {
    const trino = oidcClients(
      k3d.config,
      k3d.services.map((s) => s.declaration),
    ).find((c) => c.service === 'trino')!;
    expect(client.audiences).toContain(trino.clientId);
    expect(profiles.platform.outputs.prod.user).toBe(serviceAccountUsername(client.clientId));
  });

  it('gets tokens from the realm that outlive a run: one token serves it all', () => {
    const realmConfig = find(objectsOf(k3d, 'keycloak'), 'ConfigMap', 'keycloak-realm-config').data;
    const realm = JSON.parse(realmConfig[`${k3d.config.governance.realm}.json`]);
    const lifespan = Number(realm.clients.find((c: any) => c.clientId === 'dbt').attributes['access.token.lifespan']);
    expect(lifespan).toBe(DBT_TOKEN_LIFESPAN_SECONDS);
    expect(lifespan).toBeGreaterThanOrEqual(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds);
    expect(lifespan).toBeGreaterThan(k3d.config.governance.sessions.accessTokenSeconds);
    const trino = realm.clients.find((c: any) => c.clientId === 'trino');
    expect(trino.attributes['access.token.lifespan']).toBeUndefined();
  });
});

describe('profiles.yml', () => {
  it("targets Trino's HTTPS port and its Iceberg catalog as the service identity, with the token from the environment and Trino's CA", () => {
    expect(profiles).toEqual({
      platform: {
        target: 'prod',
        outputs: {
          prod: {
            type: 'trino',
            method: 'jwt',
            jwt_token: `{{ env_var('${JWT_ENV}') }}`,
            user: DBT_PRINCIPAL,
            host: 'trino.platform-compute.svc.cluster.local',
            port: 8443,
            cert: '/etc/dbt/trino-ca/ca.crt',
            database: 'iceberg',
            schema: 'staging',
            threads: 4,
            retries: 3,
          },
        },
      },
    });
    expect(DBT_PRINCIPAL).toBe('service-account-dbt');
    expect(JWT_ENV).toMatch(/^DBT_ENV_SECRET_/);
  });

  it("mounts only the CA certificate of Trino's TLS Secret (same namespace), where the profile's cert points", () => {
    const dbt = container(pod, 'dbt');
    expect(dbt.volumeMounts).toContainEqual({ name: 'trino-ca', mountPath: '/etc/dbt/trino-ca', readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === 'trino-ca')).toEqual({
      name: 'trino-ca',
      secret: { secretName: 'trino-tls', defaultMode: 0o444, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
    expect(profiles.platform.outputs.prod.cert).toBe('/etc/dbt/trino-ca/ca.crt');
    expect(cronJob.metadata.namespace).toBe(find(objectsOf(k3d, 'trino'), 'Service', 'trino').metadata.namespace);
  });

  it("reaches Trino on its HTTPS port only (the edge to port https), where the coordinator's certificate is valid", () => {
    const egress = find(objects, 'NetworkPolicy', 'dbt-egress').spec.egress;
    const trino = egress.find((r: any) => r.to[0].podSelector?.matchLabels['app.kubernetes.io/name'] === 'trino');
    expect(trino.ports).toEqual([{ protocol: 'TCP', port: 8443 }]);
    const decl = k3d.services.find((s) => s.declaration.name === 'dbt')!.declaration;
    expect(decl.edges).toContainEqual({ to: 'trino', port: 'https' });
  });

  it('follows the target settings', () => {
    const other = find(
      objectsOf(build('eks', { compute: { dbt: { target: { catalog: 'iceberg', schema: 'curated', threads: 8 } } } }), 'dbt'),
      'ConfigMap',
      'dbt-build-config',
    );
    expect(parse(other.data['profiles.yml']).platform.outputs.prod).toMatchObject({ schema: 'curated', threads: 8 });
  });

  it('holds no secret, and no ConfigMap of dbt trips the secrets rule', () => {
    expect(config.data['profiles.yml']).not.toMatch(/eyJ|client_secret|password/i);
    const findings = evaluate(
      objects.filter((o) => o.kind === 'ConfigMap'),
      RULES,
      policyContextFor(k3d.config),
    ).violations;
    expect(findings).toEqual([]);
  });
});

describe('the project', () => {
  it('mounts the sample from a ConfigMap, each file back at its path (keys cannot hold "/")', () => {
    const project = find(objects, 'ConfigMap', 'dbt-build-project');
    const volume = pod.volumes.find((v: any) => v.name === 'project');
    const files = sampleProjectFiles();
    expect(volume.configMap.items.map((i: any) => i.path).sort()).toEqual(Object.keys(files).sort());
    for (const item of volume.configMap.items) expect(project.data[item.key]).toBe(files[item.path]);
    expect(Object.keys(project.data).every((k) => /^[-._a-zA-Z0-9]+$/.test(k))).toBe(true);
    expect(container(pod, 'clone-project')).toBeUndefined();
  });

  it('clones a git project once per run with git-sync, the token read from a file, and runs it from its directory', () => {
    const git = build('k3d', { compute: { dbt: { project: GIT } } });
    const spec = find(objectsOf(git, 'dbt'), 'CronJob', 'dbt-build').spec.jobTemplate.spec.template.spec;
    const clone = container(spec, 'clone-project');
    expect(spec.initContainers[0].name).toBe('clone-project');
    expect(clone.image).toBe('registry.k8s.io/git-sync/git-sync:v4.7.1');
    expect(clone.args).toEqual([
      '--repo=https://git.corp.internal/data/transform.git',
      '--ref=v1.4.0',
      '--root=/dbt/git',
      '--link=project',
      '--depth=1',
      '--one-time',
    ]);
    expect(envValue(clone, 'GITSYNC_USERNAME').valueFrom.secretKeyRef).toEqual({ name: 'transform-git', key: 'username' });
    expect(envValue(clone, 'GITSYNC_PASSWORD_FILE').value).toBe('/etc/git-secret/password');
    expect(spec.volumes.find((v: any) => v.name === 'git-credentials').secret.secretName).toBe('transform-git');
    expect(envValue(container(spec, 'dbt'), 'DBT_PROJECT_DIR').value).toBe('/dbt/git/project/dbt');
    expect(find(objectsOf(git, 'dbt'), 'ConfigMap', 'dbt-build-config').data['run.sh']).not.toContain('dbt seed');
    expect(objectsOf(git, 'dbt').some((o) => o.metadata.name === 'dbt-build-project')).toBe(false);
  });

  it('opens egress only to Trino, the identity provider and the declared ranges of the index and the git host', () => {
    const git = build('airgapped', { compute: { ...AIRGAPPED_MIRRORS.compute, dbt: { ...AIRGAPPED_MIRRORS.compute.dbt, project: GIT } } });
    const egress = find(objectsOf(git, 'dbt'), 'NetworkPolicy', 'dbt-egress').spec.egress;
    const services = egress.flatMap((r: any) =>
      r.to.filter((p: any) => p.podSelector).map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']),
    );
    expect(services.sort()).toEqual(['keycloak', 'trino']);
    const external = egress
      .filter((r: any) => r.to.some((p: any) => p.ipBlock))
      .map((r: any) => ({ cidrs: r.to.map((p: any) => p.ipBlock.cidr), ports: r.ports.map((p: any) => p.port) }));
    expect(external).toEqual([
      { cidrs: ['10.20.0.0/16'], ports: [443] },
      { cidrs: ['10.30.0.0/16'], ports: [443] },
    ]);
    expect(objectsOf(git, 'dbt').some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'dbt-ingress')).toBe(false);
  });

  it('with a git project is a valid platform: references resolve once the credentials Secret exists, no mandatory finding', () => {
    const git = build('eks', { compute: { dbt: { project: GIT } } });
    const everything = [...allObjects(git), ...plannedSecrets(git)];
    expect(validateSchema(everything)).toEqual([]);
    const gitSecret = { namespace: 'platform-compute', name: 'transform-git', keys: ['username', 'password'] };
    expect(operatorProvidedDbtSecrets(git.config)).toEqual([gitSecret]);
    const external = [...userSecrets(git), gitSecret];
    expect(checkReferences(everything, { storageClasses: Object.values(git.config.storageClasses), externalSecrets: external })).toEqual(
      [],
    );
    const ctx = policyContextFor(git.config);
    expect(mandatoryViolations(evaluate(everything, RULES, { ...ctx, externalSecrets: [...ctx.externalSecrets, gitSecret] }))).toEqual([]);
  });
});

describe('dbt config', () => {
  const problems = (overrides: Record<string, unknown>): string[] => {
    try {
      loadPlatformConfig(overrides);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('rejects a schedule that is not five cron fields, an ssh git URL and a path leaving the repository', () => {
    const found = problems({
      environment: 'k3d',
      compute: { dbt: { schedule: 'nightly', project: { ...GIT, url: 'git@git.corp:data/x.git', path: '../x' } } },
    });
    expect(found.some((p) => p.startsWith('compute.dbt.schedule: received "nightly"'))).toBe(true);
    expect(found.some((p) => p.startsWith('compute.dbt.project.url:'))).toBe(true);
    expect(found.some((p) => p.startsWith('compute.dbt.project.path:'))).toBe(true);
  });

  it('rejects unknown project modes and keys of the other mode', () => {
    expect(problems({ environment: 'k3d', compute: { dbt: { project: { mode: 'image' } } } })).toEqual([
      'compute.dbt.project.mode: received "image"; expected mode to be one of "sample", "git"',
    ]);
    expect(problems({ environment: 'k3d', compute: { dbt: { project: { mode: 'sample', url: 'https://x.org/a.git' } } } })[0]).toMatch(
      /^compute\.dbt\.project\.url: unknown key/,
    );
  });

  it('without internet egress, requires the package index and git host to be mirrors inside named ranges', () => {
    const found: string[] = [];
    const issue = (p: (string | number)[], _input: unknown, message: string) => found.push(`${p.join('.')}: ${message}`);
    const dbt = loadPlatformConfig({ environment: 'k3d' }).compute.dbt;
    refineDbt(
      { ...dbt, project: { ...GIT, url: 'https://github.com/acme/transform.git', cidrs: ['0.0.0.0/0'] } } as any,
      { allowInternet: false },
      issue,
    );
    expect(found).toEqual([
      'packageIndex.url: must be an internal package index when egress.allowInternet is false: pypi.org is on the internet',
      'packageIndex.cidrs: may not contain "0.0.0.0/0" when egress.allowInternet is false: name the ranges the mirror lives in',
      'project.url: must be an internal git host when egress.allowInternet is false: github.com is on the internet',
      'project.cidrs: may not contain "0.0.0.0/0" when egress.allowInternet is false: name the ranges the mirror lives in',
    ]);
    found.length = 0;
    refineDbt({ ...dbt, ...AIRGAPPED_MIRRORS.compute.dbt, project: GIT } as any, { allowInternet: false }, issue);
    refineDbt(dbt, { allowInternet: true }, issue);
    expect(found).toEqual([]);
  });
});

// dbt Core with the Trino adapter: a CronJob runs the project on the configured schedule, as the
// service identity `dbt` (an OIDC client with a service account; see dbt/config.ts), against
// Trino's Iceberg catalog. The project is the bundled sample (a ConfigMap) or a git repository
// cloned at each run (git-sync, once). dbt itself is installed at pinned versions from the
// configured package index when a run starts: no official image carries the Trino adapter.
//
// On demand: `kubectl create job --from=cronjob/dbt-build dbt-manual-$(date +%s) -n <prefix>-compute`
// runs the same job now (a Job made from the CronJob's template; no second object to keep in step).
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { contentChecksum, platformConfigMap, platformCronJob, secretEnv } from '../../base/workload';
import type { PlatformConfig } from '../../../environments/schema';
import type { BuildContext } from '../../platform/context';
import { namespaceName } from '../../platform/layers';
import { ServiceDeclaration, ServiceDefinition, Sized, ComponentSizing, withDefaults } from '../../platform/service';
import { IDENTITY_CA_KEY, identityCa, identityCaVolume, oidcEndpoints, oidcSecretName } from '../../governance/contract';
import {
  configMapKey,
  DBT_PACKAGES,
  PATHS,
  profilesYaml,
  RUN_SCRIPT,
  runScript,
  sampleProjectFiles,
  SIGN_IN_SCRIPT,
  signInScript,
} from './config';
import { TRINO_CA_KEY, TRINO_PORTS, TRINO_SERVICE, trinoCaSecret } from '../contract';

export const DBT_SERVICE = 'dbt';
/** A run past this is stopped; the access token must live as long (the client's token lifespan). */
export const RUN_DEADLINE_SECONDS = 3600;
/**
 * The access-token lifespan client `dbt` needs: one token serves a whole run, and Trino checks it
 * on every request of it. The realm's default (governance.sessions.accessTokenSeconds) is shorter.
 */
export const DBT_TOKEN_LIFESPAN_SECONDS = RUN_DEADLINE_SECONDS;

/** The git-sync image's user; git-sync and Python both run as it (HOME=/tmp). */
const DBT_USER = { uid: 65533, gid: 65533 };

/**
 * dbt Core documents no minimum: one Python process with the Trino adapter, which waits on Trino;
 * it runs as a Job, so it holds nothing between runs (not in the laptop budget's long-running sum).
 */
const BUILD_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '100m', memory: '512Mi', cpuLimit: '1', memoryLimit: '1Gi' },
  medium: { replicas: 1, cpu: '200m', memory: '768Mi', cpuLimit: '2', memoryLimit: '1536Mi' },
  large: { replicas: 1, cpu: '250m', memory: '1Gi', cpuLimit: '2', memoryLimit: '2Gi' },
};
const HELPER_SIZING: ComponentSizing = { replicas: 1, cpu: '50m', memory: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' };

const urlPort = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

function declare(ctx: Pick<BuildContext, 'config'>): ServiceDeclaration {
  const { project, packageIndex } = ctx.config.compute.dbt;
  const index = new URL(packageIndex.url);
  return withDefaults({
    name: DBT_SERVICE,
    layer: 'compute',
    description: 'dbt Core with the Trino adapter: scheduled runs of the sample or a git project, as a service identity',
    images: project.mode === 'git' ? ['python', 'gitSync'] : ['python'],
    ports: [],
    // The back channel to the identity provider comes with the machine identity (platform/graph.ts).
    edges: [{ to: TRINO_SERVICE, port: TRINO_PORTS.https.name }],
    // The identity it runs as: the realm gives client `dbt` a service account in this role, which
    // the access model lets build in the Iceberg schemas, and Trino's client in its tokens' audience
    // (from the edge); the identity provider plans the `dbt-oidc` Secret here.
    serviceAccount: { roles: ['engineer'], realmManagement: [], accessTokenSeconds: DBT_TOKEN_LIFESPAN_SECONDS },
    resources: { build: BUILD_SIZING },
    externalEndpoints: [
      { cidrs: packageIndex.cidrs, ports: [urlPort(index)] },
      ...(project.mode === 'git' ? [{ cidrs: project.cidrs, ports: [urlPort(new URL(project.url))] }] : []),
    ],
  });
}

function projectDir(ctx: BuildContext): string {
  const project = ctx.config.compute.dbt.project;
  if (project.mode === 'sample') return PATHS.sample;
  return project.path === '.' ? `${PATHS.git}/project` : `${PATHS.git}/project/${project.path}`;
}

/** git mode: git-sync clones the ref once into the shared volume (its `project` link). */
function cloneContainer(ctx: BuildContext) {
  const project = ctx.config.compute.dbt.project;
  if (project.mode !== 'git') return [];
  const credentials = project.credentialsSecret;
  return [
    {
      name: 'clone-project',
      image: 'gitSync' as const,
      args: [`--repo=${project.url}`, `--ref=${project.ref}`, `--root=${PATHS.git}`, '--link=project', '--depth=1', '--one-time'],
      env: credentials
        ? [secretEnv('GITSYNC_USERNAME', credentials, 'username'), { name: 'GITSYNC_PASSWORD_FILE', value: '/etc/git-secret/password' }]
        : [],
      volumeMounts: [
        { name: 'project', mountPath: PATHS.git },
        ...(credentials ? [{ name: 'git-credentials', mountPath: '/etc/git-secret', readOnly: true }] : []),
      ],
      writablePaths: ['/tmp'],
      sizing: HELPER_SIZING,
    },
  ];
}

function projectVolumes(ctx: BuildContext, projectConfigMap: string | undefined): k8s.Volume[] {
  const project = ctx.config.compute.dbt.project;
  if (project.mode === 'sample') {
    const items = Object.keys(sampleProjectFiles()).map((file) => ({ key: configMapKey(file), path: file }));
    return [{ name: 'project', configMap: { name: projectConfigMap!, items, defaultMode: 0o444 } }];
  }
  return [
    { name: 'project', emptyDir: {} },
    ...(project.credentialsSecret
      ? [
          {
            name: 'git-credentials',
            secret: { secretName: project.credentialsSecret, defaultMode: 0o440, items: [{ key: 'password', path: 'password' }] },
          },
        ]
      : []),
  ];
}

export function dbtConfigFiles(ctx: BuildContext): Record<string, string> {
  const dbt = ctx.config.compute.dbt;
  const trino = ctx.connect(DBT_SERVICE, TRINO_SERVICE, TRINO_PORTS.https.name);
  return {
    'profiles.yml': profilesYaml({ host: trino.host, port: trino.port, caFile: `${PATHS.trinoCa}/${TRINO_CA_KEY}` }, dbt.target),
    [RUN_SCRIPT]: runScript(dbt.project.mode === 'sample'),
    [SIGN_IN_SCRIPT]: signInScript(),
  };
}

function buildCronJob(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const dbt = ctx.config.compute.dbt;
  const files = dbtConfigFiles(ctx);
  const config = platformConfigMap(scope, ctx, self, 'build', 'config', files).name;
  const sample = dbt.project.mode === 'sample' ? sampleProjectFiles() : undefined;
  // Keycloak's CA for the sign-in; none for an identity provider outside the platform (system trust).
  const keycloakCa = identityCa(ctx, DBT_SERVICE);
  const project = sample
    ? platformConfigMap(
        scope,
        ctx,
        self,
        'build',
        'project',
        Object.fromEntries(Object.entries(sample).map(([file, text]) => [configMapKey(file), text])),
      ).name
    : undefined;
  platformCronJob(scope, ctx, self, {
    component: 'build',
    schedule: dbt.schedule,
    backoffLimit: 1,
    activeDeadlineSeconds: RUN_DEADLINE_SECONDS,
    user: DBT_USER,
    // A run reads its files once: the checksum tells a reader which configuration a Job ran with.
    annotations: { 'checksum/config': contentChecksum({ files, sample }) },
    initContainers: [
      ...cloneContainer(ctx),
      {
        name: 'install-dbt',
        image: 'python',
        command: [
          '/bin/sh',
          '-c',
          `python -m venv ${PATHS.venv} && ${PATHS.venv}/bin/pip install --prefer-binary ${DBT_PACKAGES.join(' ')}`,
        ],
        env: [
          { name: 'PIP_INDEX_URL', value: dbt.packageIndex.url },
          { name: 'PIP_NO_CACHE_DIR', value: '1' },
          { name: 'PIP_DISABLE_PIP_VERSION_CHECK', value: '1' },
          { name: 'HOME', value: '/tmp' },
        ],
        writablePaths: [PATHS.venv, '/tmp'],
      },
    ],
    containers: [
      {
        name: 'dbt',
        image: 'python',
        command: ['/bin/sh', `${PATHS.scripts}/${RUN_SCRIPT}`],
        env: [
          { name: 'HOME', value: '/tmp' },
          { name: 'DBT_PROJECT_DIR', value: projectDir(ctx) },
          { name: 'DBT_PROFILES_DIR', value: PATHS.profiles },
          // The project and profiles are read-only: dbt's output goes to the writable /tmp.
          { name: 'DBT_TARGET_PATH', value: '/tmp/dbt/target' },
          { name: 'DBT_LOG_PATH', value: '/tmp/dbt/logs' },
          { name: 'DBT_SEND_ANONYMOUS_USAGE_STATS', value: 'false' },
          { name: 'DBT_SIGN_IN_URL', value: oidcEndpoints(ctx, DBT_SERVICE).token },
          ...(keycloakCa ? [{ name: 'DBT_SIGN_IN_CA_FILE', value: `${PATHS.keycloakCa}/${IDENTITY_CA_KEY}` }] : []),
          { name: 'DBT_CLIENT_ID_FILE', value: `${PATHS.oidc}/client-id` },
          { name: 'DBT_CLIENT_SECRET_FILE', value: `${PATHS.oidc}/client-secret` },
        ],
        volumeMounts: [
          { name: 'config', mountPath: PATHS.scripts, readOnly: true },
          { name: 'profiles', mountPath: PATHS.profiles, readOnly: true },
          { name: 'oidc', mountPath: PATHS.oidc, readOnly: true },
          { name: 'trino-ca', mountPath: PATHS.trinoCa, readOnly: true },
          ...(keycloakCa ? [{ name: 'keycloak-ca', mountPath: PATHS.keycloakCa, readOnly: true }] : []),
          { name: 'project', mountPath: sample ? PATHS.sample : PATHS.git, readOnly: true },
        ],
        writablePaths: [PATHS.venv, '/tmp'],
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: config, items: [RUN_SCRIPT, SIGN_IN_SCRIPT].map((key) => ({ key, path: key })) } },
      { name: 'profiles', configMap: { name: config, items: [{ key: 'profiles.yml', path: 'profiles.yml' }] } },
      { name: 'oidc', secret: { secretName: oidcSecretName(DBT_SERVICE), defaultMode: 0o440 } },
      // Only the CA certificate, never the key beside it in Trino's own Secret.
      {
        name: 'trino-ca',
        secret: { secretName: trinoCaSecret(ctx, DBT_SERVICE), defaultMode: 0o444, items: [{ key: TRINO_CA_KEY, path: TRINO_CA_KEY }] },
      },
      ...(keycloakCa ? [identityCaVolume('keycloak-ca', keycloakCa)] : []),
      ...projectVolumes(ctx, project),
    ],
  });
}

/** Secrets the operator brings (for the reference checks and policies): a private git project's credentials. */
export function operatorProvidedDbtSecrets(config: PlatformConfig): { namespace: string; name: string; keys: string[] }[] {
  const project = config.compute.dbt.project;
  if (project.mode !== 'git' || !project.credentialsSecret) return [];
  return [{ namespace: namespaceName(config.prefix, 'compute'), name: project.credentialsSecret, keys: ['username', 'password'] }];
}

export const dbtDefinition: ServiceDefinition = {
  name: DBT_SERVICE,
  enabled: () => true,
  declare,
  build: buildCronJob,
};

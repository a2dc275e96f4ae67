// The realm as code: keycloak-config-cli applies the generated realm file to Keycloak, creating or
// updating what differs, on every deploy that changes the realm or the tools (a checksum on the pod
// template makes the delivery path replace the Job, which keeps its readable name). The file holds
// `$(env:NAME)` placeholders only; the Job's environment fills them from Secrets at import time.
//
// Ownership: every managed mode is set here (managed.ts); people's groups, memberships, client
// scopes and flows survive every run. Users are never deleted by keycloak-config-cli: demo users
// disabled later stay until removed. The tool talks to Keycloak's `https` port, trusting its CA.
import * as crypto from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { platformConfigMap, platformCronJob, platformJob, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { randomValue } from '../../platform/secrets';
import type { ComponentSizing, ServiceDeclaration, Sized } from '../../platform/service';
import { oidcClients } from './clients';
import { KEYCLOAK_PORTS, KEYCLOAK_SERVICE, LLDAP_BIND_SECRET, oidcClientSecretId } from '../contract';
import { KEYCLOAK_ADMIN_SECRET } from './admin';
import { managedModeEnv } from './managed';
import {
  clientSecretVariable,
  demoPasswordVariable,
  demoUsers,
  keycloakRealm,
  LDAP_BIND_DN_VARIABLE,
  LDAP_BIND_PASSWORD_VARIABLE,
} from './realm';
import { realmReferenceProblems, realmSchema, RealmRepresentation } from './realm-schema';
import { IDENTITY_CA_KEY, identityCa, identityCaVolume, jvmTrustOptions, TRUSTSTORE_TYPE, truststoreScript } from './tls';

/** keycloak-config-cli's image user (its Dockerfile: `USER 65534`). */
const CONFIG_CLI_USER = { uid: 65534, gid: 65534 };
const CONFIG_DIR = '/config';
const CA_DIR = '/etc/keycloak-ca';
const TRUSTSTORE_DIR = '/truststore';
export const REALM_TRUSTSTORE = `${TRUSTSTORE_DIR}/keycloak-ca.p12`;
export const REALM_SECRETS = 'keycloak-realm-secrets';
/** The demo users' passwords, one key per username, for the operator to read. */
export const DEMO_USERS_SECRET = 'keycloak-demo-users';
/** The pod-template annotation whose change re-runs the reconcile. */
export const REALM_CHECKSUM_ANNOTATION = 'checksum/realm';

export const REALM_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '100m', memory: '512Mi', cpuLimit: '1' },
  medium: { replicas: 1, cpu: '100m', memory: '512Mi', cpuLimit: '1' },
  large: { replicas: 1, cpu: '100m', memory: '512Mi', cpuLimit: '1' },
};

export const realmFileName = (realm: string): string => `${realm}.json`;

/** The realm, checked against the representation schema and its own references before anything ships it. */
export function validatedRealm(ctx: BuildContext): RealmRepresentation {
  const realm = keycloakRealm(ctx);
  const parsed = realmSchema.safeParse(realm);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...realmReferenceProblems(realm),
  ];
  if (problems.length) throw new Error(`keycloak realm "${realm.realm}" is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return realm;
}

/** Plans the Secrets the Job reads and returns its environment: one variable per placeholder in the realm file. */
function placeholderEnv(ctx: BuildContext): k8s.EnvVar[] {
  const namespace = ctx.namespaceOf(KEYCLOAK_SERVICE);
  const clients = oidcClients(ctx.config, ctx.services);
  if (clients.length)
    ctx.addSecret({
      name: REALM_SECRETS,
      namespace,
      service: KEYCLOAK_SERVICE,
      data: Object.fromEntries(clients.map((c) => [clientSecretVariable(c.clientId), randomValue(oidcClientSecretId(c.clientId))])),
    });
  const demo = demoUsers(ctx.config);
  if (demo.length)
    ctx.addSecret({
      name: DEMO_USERS_SECRET,
      namespace,
      service: KEYCLOAK_SERVICE,
      data: Object.fromEntries(demo.map((u) => [u.username, randomValue(`${KEYCLOAK_SERVICE}/demo/${u.username}`)])),
    });
  return [
    ...clients.map((c) => secretEnv(clientSecretVariable(c.clientId), REALM_SECRETS, clientSecretVariable(c.clientId))),
    ...demo.map((u) => secretEnv(demoPasswordVariable(u.role), DEMO_USERS_SECRET, u.username)),
    // The directory's bind Secret, planned by LLDAP (contract: keys bind-dn and password).
    ...(ctx.config.governance.directory.mode === 'lldap'
      ? [
          secretEnv(LDAP_BIND_DN_VARIABLE, LLDAP_BIND_SECRET, 'bind-dn'),
          secretEnv(LDAP_BIND_PASSWORD_VARIABLE, LLDAP_BIND_SECRET, 'password'),
        ]
      : []),
  ];
}

/** keycloak-config-cli settings (its README, "Configuration"). */
function configCliEnv(ctx: BuildContext, realm: string): k8s.EnvVar[] {
  return [
    // In-cluster, on the back channel over TLS; the tool waits until Keycloak answers.
    { name: 'KEYCLOAK_URL', value: ctx.connect(KEYCLOAK_SERVICE, KEYCLOAK_SERVICE, KEYCLOAK_PORTS.https.name).url('https') },
    { name: 'KEYCLOAK_SSLVERIFY', value: 'true' },
    // Keycloak's CA, as the tool's own trust store (keycloak.tls.*) and as the JVM's default trust
    // (JAVA_OPTS below), so the certificate is checked whichever client the tool's version builds.
    { name: 'KEYCLOAK_TLS_TRUSTSTOREPATH', value: REALM_TRUSTSTORE },
    { name: 'KEYCLOAK_TLS_TRUSTSTORETYPE', value: TRUSTSTORE_TYPE },
    { name: 'KEYCLOAK_AVAILABILITYCHECK_ENABLED', value: 'true' },
    { name: 'KEYCLOAK_AVAILABILITYCHECK_TIMEOUT', value: '300s' },
    // The bootstrap admin service account, in the master realm.
    { name: 'KEYCLOAK_LOGINREALM', value: 'master' },
    { name: 'KEYCLOAK_GRANTTYPE', value: 'client_credentials' },
    secretEnv('KEYCLOAK_CLIENTID', KEYCLOAK_ADMIN_SECRET, 'client-id'),
    secretEnv('KEYCLOAK_CLIENTSECRET', KEYCLOAK_ADMIN_SECRET, 'client-secret'),
    { name: 'IMPORT_FILES_LOCATIONS', value: `${CONFIG_DIR}/${realmFileName(realm)}` },
    { name: 'IMPORT_VARSUBSTITUTION_ENABLED', value: 'true' },
    { name: 'IMPORT_VARSUBSTITUTION_UNDEFINEDISERROR', value: 'true' },
    // Apply the whole file every run, also when its checksum is unchanged, so drift made in the
    // console is put back (RealmImportService.updateRealmIfNecessary skips on a cached checksum).
    { name: 'IMPORT_CACHE_ENABLED', value: 'false' },
    { name: 'IMPORT_REMOTESTATE_ENABLED', value: 'true' },
    // Demo users hold exactly their role: without this the default composite (analyst) stays on them.
    { name: 'IMPORT_BEHAVIORS_REMOVEDEFAULTROLEFROMUSER', value: 'true' },
    ...managedModeEnv(),
    { name: 'JAVA_OPTS', value: `-XX:MaxRAMPercentage=70 ${jvmTrustOptions(REALM_TRUSTSTORE)}` },
  ];
}

/** Minute 17 of every hour: off the hour, when other schedules cluster. */
export const DRIFT_SCHEDULE = '17 * * * *';

export function buildRealmReconcile(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const realm = validatedRealm(ctx);
  const file = `${JSON.stringify(realm, null, 2)}\n`;
  const files = platformConfigMap(scope, ctx, self, 'realm', 'config', { [realmFileName(realm.realm)]: file });
  const env = [...configCliEnv(ctx, realm.realm), ...placeholderEnv(ctx)];
  // What the run depends on: the file, the tool, the server it talks to, and where values come from.
  const checksum = crypto
    .createHash('sha256')
    .update(JSON.stringify([file, env, ctx.images.ref('keycloakConfigCli'), ctx.images.ref('keycloak')]))
    .digest('hex');
  // Keycloak runs beside the Job, so its CA is always planned; the image's JRE writes the trust store.
  const ca = identityCa(ctx, KEYCLOAK_SERVICE)!;
  const pod = {
    user: CONFIG_CLI_USER,
    annotations: { [REALM_CHECKSUM_ANNOTATION]: checksum },
    initContainers: [
      {
        name: 'truststore',
        image: 'keycloakConfigCli' as const,
        command: ['/bin/sh', '-c', `set -eu\n${truststoreScript(`${CA_DIR}/${IDENTITY_CA_KEY}`, REALM_TRUSTSTORE)}`],
        volumeMounts: [
          { name: 'keycloak-ca', mountPath: CA_DIR, readOnly: true },
          { name: 'truststore', mountPath: TRUSTSTORE_DIR },
        ],
        writablePaths: ['/tmp'],
        sizing: ctx.sizing(self.name, 'realm'),
      },
    ],
    containers: [
      {
        name: 'keycloak-config-cli',
        image: 'keycloakConfigCli' as const,
        env,
        volumeMounts: [
          { name: 'realm', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'truststore', mountPath: TRUSTSTORE_DIR, readOnly: true },
        ],
        writablePaths: ['/tmp'],
        sizing: ctx.sizing(self.name, 'realm'),
      },
    ],
    volumes: [
      { name: 'realm', configMap: { name: files.name } },
      identityCaVolume('keycloak-ca', ca),
      { name: 'truststore', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
    ],
  };
  // On every change of the realm (the checksum replaces the Job), and hourly to put back drift made in
  // the console since: each run applies the whole file (IMPORT_CACHE_ENABLED=false).
  platformJob(scope, ctx, self, { component: 'realm', ...pod });
  platformCronJob(scope, ctx, self, { component: 'realm-drift', schedule: DRIFT_SCHEDULE, activeDeadlineSeconds: 900, ...pod });
}

// Trino's groups, synced from Keycloak. Trino 480+ takes a user's groups only from a group provider
// (trinodb/trino#28646 removed the OAuth2 groups field), and the access policy (OPA) decides from
// them. So the coordinator pod runs group-sync.py beside Trino: it reads users, role members
// and group members from Keycloak's admin API every GROUP_SYNC_SECONDS (the reference platform's
// "OPA polls Keycloak every 60 s for group sync") and rewrites Trino's group file in an emptyDir
// both containers mount; Trino's file group provider re-reads it (group-provider.properties). An
// init container runs the same script until one sync succeeds: Trino refuses to start without the
// file (FileGroupConfig: @FileExists). Workers need no groups: access control runs on the coordinator.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { k8s } from 'cdk8s-plus-28';
import type { ContainerSpec } from '../../base/workload';
import { adminRealmUrl, allRoleGroups, DEFAULT_ROLE, oidcEndpoints, oidcSecretName, roleGroup } from '../../governance/contract';
import type { BuildContext } from '../../platform/context';
import type { ComponentSizing } from '../../platform/service';
import { coordinatorIdentityCa } from './identity-ca';

/** How often the sidecar reads Keycloak. */
export const GROUP_SYNC_SECONDS = 60;
/** How often Trino re-reads the group file (file.refresh-period; reading a small file costs nothing). */
export const GROUP_FILE_REFRESH_SECONDS = 5;
const GROUP_DIR = '/var/lib/trino-groups';
export const GROUP_FILE = `${GROUP_DIR}/groups.txt`;
const SCRIPT_DIR = '/opt/group-sync';
export const GROUP_SYNC_SCRIPT = 'group-sync.py';
const SCRIPT_PATH = `${SCRIPT_DIR}/${GROUP_SYNC_SCRIPT}`;
/** The client's credentials, as files of its OIDC Secret (a sibling of the script: no mount inside a read-only volume). */
const CLIENT_DIR = '/etc/group-sync/client';
const SCRIPT_SOURCE = path.join(__dirname, 'group-sync.py');

/**
 * What Trino's service account may do in the admin API, and no more. view-users lists users
 * (UsersResource: users().requireQuery, each user filtered by canView), groups and their
 * members (GroupPermissions: canList, canView(group), canViewMembers all accept view-users); it
 * includes query-users and query-groups (RealmManager.addQueryCompositeRoles). The users and
 * groups holding a realm role (RoleContainerResource.getUsersInRole, getGroupsInRole) need
 * roles().requireView(realm), which for realm roles is view-realm (RolePermissions.canView ->
 * realm().canViewRealm()). So query-groups alone, or without view-realm, would not do.
 */
export const GROUP_SYNC_REALM_MANAGEMENT = ['view-users', 'view-realm'];

/** A few MiB of JSON per sync even for thousands of users; one Python process. */
const SIDECAR_SIZING: ComponentSizing = { replicas: 1, cpu: '10m', memory: '64Mi', cpuLimit: '250m', memoryLimit: '128Mi' };

export const groupSyncScript = (): string => fs.readFileSync(SCRIPT_SOURCE, 'utf8');

/** Where to read, with which credentials (files of the service's own client Secret), and what to write. */
export function groupSyncEnv(ctx: BuildContext, service: string): k8s.EnvVar[] {
  const { prefix } = ctx.config;
  const ca = coordinatorIdentityCa(ctx);
  return [
    // The token endpoint (client credentials grant) and the admin API, on the HTTPS back channel.
    { name: 'KEYCLOAK_SIGNIN_URL', value: oidcEndpoints(ctx, service).token },
    { name: 'KEYCLOAK_ADMIN_URL', value: adminRealmUrl(ctx, service) },
    // Keycloak's certificate is checked against its CA only (the coordinator pod's volume).
    ...(ca ? [{ name: 'KEYCLOAK_CA_FILE', value: ca.file }] : []),
    { name: 'CLIENT_ID_FILE', value: `${CLIENT_DIR}/client-id` },
    { name: 'CLIENT_SECRET_FILE', value: `${CLIENT_DIR}/client-secret` },
    { name: 'ROLE_GROUPS', value: allRoleGroups(prefix).join(',') },
    { name: 'DEFAULT_ROLE_GROUP', value: roleGroup(prefix, DEFAULT_ROLE) },
    { name: 'GROUP_FILE', value: GROUP_FILE },
    { name: 'SYNC_INTERVAL_SECONDS', value: String(GROUP_SYNC_SECONDS) },
    { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
  ];
}

export interface GroupSyncPod {
  initContainers: ContainerSpec[];
  sidecars: ContainerSpec[];
  volumes: k8s.Volume[];
  /** Trino's read-only view of the group file's directory. */
  trinoMount: k8s.VolumeMount;
}

/** The containers and volumes the coordinator pod of `service` gains; `scriptMap` is the ConfigMap holding the script. */
export function groupSyncPod(ctx: BuildContext, service: string, scriptMap: string): GroupSyncPod {
  const env = groupSyncEnv(ctx, service);
  // The CA volume is the coordinator pod's (workloads.ts), which Trino reads too.
  const ca = coordinatorIdentityCa(ctx);
  const mounts = [
    { name: 'groups', mountPath: GROUP_DIR },
    { name: 'group-sync', mountPath: SCRIPT_DIR, readOnly: true },
    { name: 'group-sync-client', mountPath: CLIENT_DIR, readOnly: true },
    ...(ca ? [ca.mount] : []),
  ];
  const container = (name: string, args: string[]): ContainerSpec => ({
    name,
    image: 'python',
    command: ['python3', SCRIPT_PATH],
    args,
    env,
    volumeMounts: mounts,
    sizing: SIDECAR_SIZING,
  });
  return {
    initContainers: [container('group-sync-init', ['--until-synced'])],
    sidecars: [
      {
        ...container('group-sync', []),
        // Ready once a group file exists (the init container wrote one); a Keycloak outage keeps the
        // last good file and the pod serving. Alive while the loop beats.
        readiness: { exec: ['test', '-f', GROUP_FILE], periodSeconds: 30 },
        liveness: { exec: ['python3', SCRIPT_PATH, '--alive'], periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 3 },
      },
    ],
    volumes: [
      { name: 'groups', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
      { name: 'group-sync', configMap: { name: scriptMap, defaultMode: 0o444 } },
      // Readable by the pod's group only (fsGroup), as the image user reads it.
      { name: 'group-sync-client', secret: { secretName: oidcSecretName(service), defaultMode: 0o440 } },
    ],
    trinoMount: { name: 'groups', mountPath: GROUP_DIR, readOnly: true },
  };
}

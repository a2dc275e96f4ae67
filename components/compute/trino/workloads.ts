// Trino's pods: one Deployment per node role from the same container (its files mounted under
// /etc/trino, a checksum of them rolling the pods, as Trino reads them only at start): the
// coordinator behind the Service named after Trino, with HTTPS and the group-sync sidecar; the
// workers with their drain hook and, when their count may vary, a HorizontalPodAutoscaler.
import { createHash } from 'node:crypto';
import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { exemption } from '../../base/exemption';
import { objectName, standardLabels } from '../../base/labels';
import { platformConfigMap, platformDeployment, platformService, secretEnv } from '../../base/workload';
import { oidcSecretName } from '../../governance/contract';
import type { BuildContext } from '../../platform/context';
import type { ServiceDeclaration } from '../../platform/service';
import { SHUTDOWN_GRACE_SECONDS, TRINO_DATA, TRINO_ENV, TRINO_ETC, TRINO_MANAGEMENT_USER } from './config';
import { nodeEnv } from './credentials';
import { drainScript } from './drain';
import { coordinatorFiles, workerFiles } from './files';
import { GROUP_SYNC_SCRIPT, groupSyncPod, groupSyncScript, GroupSyncPod } from './group-sync';
import { coordinatorIdentityCa, CoordinatorIdentityCa } from './identity-ca';
import { TRINO_PORTS, TRINO_SERVICE } from './names';
import { TLS_DIR, tlsVolume } from './tls';

/** The image's user and group (core/docker/Dockerfile: useradd trino --uid 1000 --gid 1000). */
const TRINO_USER = { uid: 1000, gid: 1000 };
const CONFIG_CHECKSUM = 'checksum/trino-config';
/** Reports "starting" in /v1/info until the server is up (core/docker/bin/health-check). */
const HEALTH_CHECK = ['/usr/lib/trino/bin/health-check'];

/** How long a draining worker may take for the queries it still runs, beyond two grace periods. */
export const QUERY_DRAIN_SECONDS = 600;
/** Shutdown sleeps the grace period, waits for its tasks, sleeps it again (admin/graceful-shutdown.html). */
export const WORKER_TERMINATION_SECONDS = 2 * SHUTDOWN_GRACE_SECONDS + QUERY_DRAIN_SECONDS + 30;
/** Workers are added when their CPU is this busy on average (percent of the request). */
const WORKER_CPU_TARGET = 70;

const checksum = (files: Record<string, string>): string =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex');

/** /etc/trino: the node's files at the top, the catalogs under catalog/. */
function configVolume(serverMap: string, server: Record<string, string>, catalogMap: string, catalogs: Record<string, string>): k8s.Volume {
  return {
    name: 'config',
    projected: {
      defaultMode: 0o440,
      sources: [
        { configMap: { name: serverMap, items: Object.keys(server).map((key) => ({ key, path: key })) } },
        { configMap: { name: catalogMap, items: Object.keys(catalogs).map((key) => ({ key, path: `catalog/${key}` })) } },
      ],
    },
  };
}

interface NodeSpec {
  component: 'coordinator' | 'worker';
  files: Record<string, string>;
  catalogs: Record<string, string>;
  catalogMap: string;
  env: k8s.EnvVar[];
  terminationGracePeriodSeconds?: number;
  /** The coordinator's group sync, and what else rolls the pod when it changes (its script). */
  groupSync?: { pod: GroupSyncPod; files: Record<string, string> };
  /** The coordinator serves clients over HTTPS with the certificate of TRINO_TLS_SECRET. */
  https?: boolean;
  /** The coordinator reaches Keycloak's back channel over HTTPS, trusting its CA. */
  identityCa?: CoordinatorIdentityCa;
}

function nodeDeployment(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, spec: NodeSpec): k8s.KubeDeployment {
  const serverMap = platformConfigMap(scope, ctx, self, spec.component, 'config', spec.files);
  const sync = spec.groupSync;
  return platformDeployment(scope, ctx, self, {
    component: spec.component,
    // One coordinator at a time: two during a rollout would be two clusters behind one Service.
    strategy: spec.component === 'coordinator' ? 'Recreate' : undefined,
    // The image's user, which the group sync shares: the group file it writes is Trino's to read.
    user: TRINO_USER,
    // Trino (and the group sync) read their files only at start: a change rolls the pods.
    annotations: { [CONFIG_CHECKSUM]: checksum({ ...spec.files, ...spec.catalogs, ...sync?.files }) },
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    initContainers: sync?.pod.initContainers,
    containers: [
      {
        name: 'trino',
        image: 'trino',
        env: spec.env,
        ports: spec.https ? [TRINO_PORTS.http.name, TRINO_PORTS.https.name] : [TRINO_PORTS.http.name],
        volumeMounts: [
          { name: 'config', mountPath: TRINO_ETC, readOnly: true },
          ...(spec.https ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : []),
          ...(sync ? [sync.pod.trinoMount] : []),
          ...(spec.identityCa ? [spec.identityCa.mount] : []),
        ],
        // The data directory and the JVM's temporary files (native libraries are unpacked there).
        writablePaths: [TRINO_DATA, '/tmp'],
        startup: { exec: HEALTH_CHECK, periodSeconds: 5, failureThreshold: 60 },
        readiness: { exec: HEALTH_CHECK, periodSeconds: 10 },
        liveness: { http: { path: '/v1/info', port: TRINO_PORTS.http.name }, periodSeconds: 20, failureThreshold: 6 },
      },
      ...(sync?.pod.sidecars ?? []),
    ],
    volumes: [
      configVolume(serverMap.name, spec.files, spec.catalogMap, spec.catalogs),
      ...(spec.https ? [tlsVolume()] : []),
      ...(sync?.pod.volumes ?? []),
      ...(spec.identityCa ? [spec.identityCa.volume] : []),
    ],
  });
}

export function buildCoordinator(
  scope: Construct,
  ctx: BuildContext,
  self: ServiceDeclaration,
  catalogMap: string,
  catalogs: Record<string, string>,
): void {
  const oidc = oidcSecretName(TRINO_SERVICE);
  // The Service is named after Trino itself: clients, the route and the workers' discovery reach the coordinator.
  platformService(scope, ctx, self, {
    component: 'coordinator',
    ports: [TRINO_PORTS.http.name, TRINO_PORTS.https.name],
    name: TRINO_SERVICE,
  });
  const syncFiles = { [GROUP_SYNC_SCRIPT]: groupSyncScript() };
  const syncMap = platformConfigMap(scope, ctx, self, 'coordinator', 'group-sync', syncFiles);
  const deployment = nodeDeployment(scope, ctx, self, {
    component: 'coordinator',
    files: coordinatorFiles(ctx),
    catalogs,
    catalogMap,
    env: [
      ...nodeEnv(ctx),
      secretEnv(TRINO_ENV.oidcClientId, oidc, 'client-id'),
      secretEnv(TRINO_ENV.oidcClientSecret, oidc, 'client-secret'),
    ],
    groupSync: { pod: groupSyncPod(ctx, TRINO_SERVICE, syncMap.name), files: syncFiles },
    https: true,
    identityCa: coordinatorIdentityCa(ctx),
  });
  const [key, reason] = Object.entries(
    exemption(
      'minimum-replicas',
      'a Trino cluster has exactly one coordinator: a second replica would be a second, separate cluster; query capacity and redundancy come from the workers',
    ),
  )[0];
  deployment.metadata.addAnnotation(key, reason);
}

/**
 * Workers drain before they stop: the preStop hook asks the worker to shut down gracefully (as the
 * fixed management user, allowed by the workers' rules file) and waits for the Trino process to
 * exit; the termination grace period covers two grace periods and the longest query allowed to finish.
 */
export function buildWorkers(
  scope: Construct,
  ctx: BuildContext,
  self: ServiceDeclaration,
  catalogMap: string,
  catalogs: Record<string, string>,
): void {
  const { min, max } = ctx.config.compute.trino.workers;
  const name = objectName(TRINO_SERVICE, 'worker');
  const deployment = nodeDeployment(scope, ctx, self, {
    component: 'worker',
    files: workerFiles(ctx),
    catalogs,
    catalogMap,
    env: nodeEnv(ctx),
    terminationGracePeriodSeconds: WORKER_TERMINATION_SECONDS,
  });
  const shutdown = drainScript({ port: TRINO_PORTS.http.port, user: TRINO_MANAGEMENT_USER });
  deployment.addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/lifecycle', { preStop: { exec: { command: ['/bin/bash', '-c', shutdown] } } }),
  );
  if (max === min) return;
  // The autoscaler owns the count: a fixed spec.replicas would reset it on every apply.
  deployment.addJsonPatch(JsonPatch.remove('/spec/replicas'));
  const [key, reason] = Object.entries(
    exemption('minimum-replicas', `replicas are set by the HorizontalPodAutoscaler ${name} (minReplicas ${min}, maxReplicas ${max})`),
  )[0];
  deployment.metadata.addAnnotation(key, reason);
  new k8s.KubeHorizontalPodAutoscalerV2(scope, 'worker-hpa', {
    metadata: { name, labels: standardLabels(ctx, self, 'worker') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: WORKER_CPU_TARGET } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
        // One worker at a time, and not before the previous one could drain: never two draining at once.
        scaleDown: {
          stabilizationWindowSeconds: 600,
          policies: [{ type: 'Pods', value: 1, periodSeconds: WORKER_TERMINATION_SECONDS }],
        },
      },
    },
  });
}

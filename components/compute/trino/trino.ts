// Trino, the federated SQL engine: Iceberg tables through Polaris, the warehouse database through a
// read-only role, and (when the AI layer runs its gateway) the AI functions, all authorized by OPA.
// Users sign in to the Web UI at `federation.<domain>` with Keycloak; in-cluster clients present
// Keycloak JWTs over HTTPS (the `https` port, a certificate of the platform's CA for Trino).
// Users' groups come from Keycloak through a group file the coordinator's sidecar keeps in sync
// (group-sync.ts), acting as Trino's own client's service account.
// On the small profile one coordinator also runs tasks; elsewhere a coordinator plans and workers,
// scaled by an HPA, run tasks and drain their running work before they stop.
//
// This file holds the declaration and the definition, which puts the parts together: names.ts
// (service, ports, shape), tls.ts and credentials.ts (Secrets and the nodes' environment),
// files.ts (server and catalog files), workloads.ts (coordinator and workers).
import { LLM_GATEWAY_PORTS, LLM_GATEWAY_SERVICE } from '../../ai/contract';
import { platformConfigMap } from '../../base/workload';
import { OPA_PORTS, OPA_SERVICE } from '../../governance/contract';
import type { BuildContext } from '../../platform/context';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import { POLARIS_PORTS, POLARIS_SERVICE, WAREHOUSE_BUCKET, WAREHOUSE_DATABASE } from '../../storage/contract';
import { planSecrets } from './credentials';
import { catalogFiles } from './files';
import { GROUP_SYNC_REALM_MANAGEMENT } from './group-sync';
import { runsWorkers, TRINO_PORTS, TRINO_SERVICE } from './names';
import { buildCoordinator, buildWorkers } from './workloads';

// What other services use of Trino, importable from here (dbt reaches it over `https`, trusting its CA).
export { TRINO_PORTS, TRINO_SERVICE } from './names';
export { TRINO_CA_KEY, trinoCaSecret } from './tls';

/** Trino's OAuth2 callback (security/oauth2.html: "https://<trino-coordinator-domain-name>/oauth2/callback"). */
export const TRINO_CALLBACK_PATH = '/oauth2/callback';

/**
 * Memory requests equal limits: the JVM heap is sized from the limit and touched in full. Small is
 * the least that keeps the documented invariants (memory.ts): the heap at least 70% of the node's
 * memory (trino.io/docs/current/installation/deployment.html, "JVM config") beside the image's
 * 256M code cache and as much again off-heap, so 1792Mi gives a 1280M heap, 71%.
 */
const COORDINATOR_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '500m', memory: '1792Mi', cpuLimit: '2' },
  medium: { replicas: 1, cpu: '500m', memory: '4Gi', cpuLimit: '2' },
  large: { replicas: 1, cpu: '1', memory: '8Gi', cpuLimit: '4' },
};
/** `replicas` is the most workers run: it sizes the disruption budget and the spread; the HPA sets the count. */
const workerSizing = (replicas: number): Sized<ComponentSizing> => ({
  small: { replicas, cpu: '1', memory: '4Gi', cpuLimit: '2' },
  medium: { replicas, cpu: '1', memory: '8Gi', cpuLimit: '4' },
  large: { replicas, cpu: '2', memory: '16Gi', cpuLimit: '8' },
});

type ConfigOnly = Pick<BuildContext, 'config'>;

function declare(ctx: ConfigOnly): ServiceDeclaration {
  const workers = ctx.config.compute.trino.workers;
  return withDefaults({
    name: TRINO_SERVICE,
    layer: 'compute',
    description: 'Trino: federated SQL over Iceberg (Polaris) and the warehouse database, authorized by OPA',
    images: ['trino', 'python'],
    // Only the coordinator listens on `https` (workers have no such port to reach).
    // Other services reach the coordinator only: workers take 8080 from Trino pods alone (their
    // plain-HTTP management user could otherwise be used to shut them down).
    ports: [
      { ...TRINO_PORTS.http, http: true, servedBy: 'coordinator' },
      { ...TRINO_PORTS.https, servedBy: 'coordinator' },
    ],
    edges: [
      { to: POLARIS_SERVICE, port: POLARIS_PORTS.api.name },
      { to: OPA_SERVICE, port: OPA_PORTS.http.name },
      // The AI functions call the gateway whenever the AI layer runs it.
      { to: LLM_GATEWAY_SERVICE, port: LLM_GATEWAY_PORTS.http.name, ifEnabled: true },
    ],
    publicHost: { name: 'federation', port: TRINO_PORTS.http.name, signIn: 'native-oidc', redirectPaths: [TRINO_CALLBACK_PATH] },
    // The group sync's identity: no platform role (it never queries), only reading the directory.
    serviceAccount: { roles: [], realmManagement: GROUP_SYNC_REALM_MANAGEMENT },
    // Served to the fixed management user over in-cluster HTTP (trino/config.ts, TRINO_MANAGEMENT_USER).
    metrics: { port: TRINO_PORTS.http.name, path: '/metrics' },
    resources: { coordinator: COORDINATOR_SIZING, ...(runsWorkers(ctx) ? { worker: workerSizing(workers.max) } : {}) },
    databases: [{ instance: 'warehouse', database: WAREHOUSE_DATABASE, access: 'read' }],
    buckets: [{ name: WAREHOUSE_BUCKET, access: 'readwrite' }],
  });
}

export const trinoDefinition: ServiceDefinition = {
  name: TRINO_SERVICE,
  enabled: () => true,
  declare,
  build: (scope, ctx, self) => {
    planSecrets(ctx);
    const catalogs = catalogFiles(ctx);
    const catalogMap = platformConfigMap(scope, ctx, self, 'catalog', 'properties', catalogs);
    buildCoordinator(scope, ctx, self, catalogMap.name, catalogs);
    if (runsWorkers(ctx)) buildWorkers(scope, ctx, self, catalogMap.name, catalogs);
  },
};

// The files Trino reads at start: the catalogs every node loads (identical on all nodes) and the
// server files of each node role, assembled from the generators in catalogs.ts and config.ts with
// what only the build knows: the Iceberg catalog plan, the OIDC endpoints and Trino's client, the
// OPA and AI gateway addresses, and the memory derived from each role's container limit (memory.ts).
import { llmGatewayBaseUrl } from '../../ai/contract';
import { OPA_PORTS, OPA_SERVICE, oidcClients, oidcEndpoints } from '../../governance/contract';
import type { BuildContext } from '../../platform/context';
import { catalogPlan, POLARIS_PORTS, POLARIS_SERVICE } from '../../storage/contract';
import { AI_CATALOG, AI_SCHEMA, aiCatalog, ICEBERG_CATALOG, icebergCatalog, POSTGRESQL_CATALOG, postgresqlCatalog } from './catalogs';
import {
  coordinatorConfig,
  groupProviderProperties,
  jvmConfig,
  logProperties,
  nodeProperties,
  opaAccessControl,
  WORKER_RULES_FILE,
  workerAccessControl,
  workerConfig,
  workerRules,
} from './config';
import { GROUP_FILE, GROUP_FILE_REFRESH_SECONDS } from './group-sync';
import { coordinatorIdentityCa } from './identity-ca';
import { clusterMemory, NodeMemory, nodeMemory } from './memory';
import { aiEnabled, runsWorkers, TRINO_PORTS, TRINO_SERVICE } from './names';
import { TLS_DIR, TLS_PEM_KEY } from './tls';

/** The path Trino's OpenAI client puts before `/chat/completions` (OpenAiClient appends `/v1/chat/completions` to its endpoint). */
const TRINO_OPENAI_PATH = '/v1';

/** The AI functions' endpoint: the gateway's OpenAI base URL without the path Trino adds itself. */
function aiEndpoint(ctx: BuildContext): string {
  const base = llmGatewayBaseUrl(ctx, TRINO_SERVICE);
  if (!base.endsWith(TRINO_OPENAI_PATH))
    throw new Error(
      `trino: the gateway serves the OpenAI API at ${base}, but Trino's AI functions call <endpoint>${TRINO_OPENAI_PATH}/chat/completions`,
    );
  return base.slice(0, -TRINO_OPENAI_PATH.length);
}

/** The catalog files every node loads (catalogs must be identical on all nodes). */
export function catalogFiles(ctx: BuildContext): Record<string, string> {
  const trino = ctx.config.compute.trino;
  const files: Record<string, string> = {
    [`${ICEBERG_CATALOG}.properties`]: icebergCatalog({
      plan: catalogPlan(ctx, TRINO_SERVICE),
      polarisUrl: ctx.connect(TRINO_SERVICE, POLARIS_SERVICE, POLARIS_PORTS.api.name).url(),
    }),
    [`${POSTGRESQL_CATALOG}.properties`]: postgresqlCatalog(),
  };
  if (aiEnabled(ctx))
    files[`${AI_CATALOG}.properties`] = aiCatalog({ endpoint: aiEndpoint(ctx), model: trino.ai.model, functions: trino.ai.functions });
  return files;
}

const memoryOf = (ctx: BuildContext, component: string): NodeMemory => {
  const sizing = ctx.sizing(TRINO_SERVICE, component);
  return nodeMemory(sizing.memoryLimit ?? sizing.memory);
};

/** The node memory and the cluster-wide query limits: tasks run on workers, or on the lone coordinator. */
export function memoryPlan(ctx: BuildContext) {
  const coordinator = memoryOf(ctx, 'coordinator');
  const worker = runsWorkers(ctx) ? memoryOf(ctx, 'worker') : undefined;
  const cluster = worker ? clusterMemory(worker, ctx.config.compute.trino.workers.min) : clusterMemory(coordinator, 1);
  return { coordinator, worker, cluster };
}

/** The server files of the coordinator. */
export function coordinatorFiles(ctx: BuildContext): Record<string, string> {
  const { coordinator, cluster } = memoryPlan(ctx);
  const oidc = oidcEndpoints(ctx, TRINO_SERVICE);
  const client = oidcClients(ctx.config, ctx.services).find((c) => c.service === TRINO_SERVICE);
  if (!client) throw new Error('trino: no OIDC client is planned for it');
  return {
    'node.properties': nodeProperties(ctx.config.prefix),
    'jvm.config': jvmConfig(coordinator),
    'config.properties': coordinatorConfig(TRINO_PORTS.http.port, {
      discoveryUri: ctx.connect(TRINO_SERVICE, TRINO_SERVICE, TRINO_PORTS.http.name).url(),
      includeCoordinator: !runsWorkers(ctx),
      memory: coordinator,
      cluster,
      oidc: {
        issuer: oidc.issuer,
        authorization: oidc.authorization,
        logout: oidc.logout,
        token: oidc.token,
        jwks: oidc.jwks,
        audience: client.clientId,
        caFile: coordinatorIdentityCa(ctx)?.file,
      },
      sqlPath: aiEnabled(ctx) ? [`${AI_CATALOG}.${AI_SCHEMA}`] : [],
      https: { port: TRINO_PORTS.https.port, keystorePath: `${TLS_DIR}/${TLS_PEM_KEY}` },
    }),
    'log.properties': logProperties(),
    'access-control.properties': opaAccessControl(ctx.connect(TRINO_SERVICE, OPA_SERVICE, OPA_PORTS.http.name).url()),
    'group-provider.properties': groupProviderProperties(GROUP_FILE, GROUP_FILE_REFRESH_SECONDS),
  };
}

/** The server files of a worker. */
export function workerFiles(ctx: BuildContext): Record<string, string> {
  const { worker, cluster } = memoryPlan(ctx);
  if (!worker) throw new Error('trino: the small profile runs no workers');
  return {
    'node.properties': nodeProperties(ctx.config.prefix),
    'jvm.config': jvmConfig(worker),
    'config.properties': workerConfig(TRINO_PORTS.http.port, {
      discoveryUri: ctx.connect(TRINO_SERVICE, TRINO_SERVICE, TRINO_PORTS.http.name).url(),
      memory: worker,
      cluster,
    }),
    'log.properties': logProperties(),
    'access-control.properties': workerAccessControl(),
    [WORKER_RULES_FILE]: workerRules(),
  };
}

// Trino's names and shape: the service name and ports other services and Trino's own files reach
// it by, whether workers run, and whether the AI functions are on. Every other file of the service
// derives from these; they sit apart from trino.ts, which imports all those files, so that none of
// them needs to import trino.ts back.
import { LLM_GATEWAY_SERVICE } from '../../ai/contract';
import type { BuildContext } from '../../platform/context';

export const TRINO_SERVICE = 'trino';
/**
 * `http`: workers, probes, the edge and the management user. `https`: in-cluster clients, which
 * present Keycloak JWTs over TLS with the coordinator's certificate (trino/config.ts).
 */
export const TRINO_PORTS = { http: { name: 'http', port: 8080 }, https: { name: 'https', port: 8443 } } as const;

/** Workers run except on the small profile, where the coordinator schedules tasks on itself. */
export const runsWorkers = (ctx: Pick<BuildContext, 'config'>): boolean => ctx.config.sizing !== 'small';
/** The AI functions appear when the AI layer's gateway runs (components/ai/contract.ts). */
export const aiEnabled = (ctx: Pick<BuildContext, 'services'>): boolean => ctx.services.some((s) => s.name === LLM_GATEWAY_SERVICE);

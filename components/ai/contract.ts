// How other services reach the AI layer's OpenAI-compatible gateway (LiteLLM), declared before
// the AI layer exists so that both sides meet: the AI layer implements a service with this name,
// port and base path; consumers (Trino's AI functions, notebooks, the assistant) reach it
// in-cluster only, each with its own key, so no model call leaves the cluster.
import type { BuildContext } from '../platform/context';

export const LLM_GATEWAY_SERVICE = 'litellm';
export const LLM_GATEWAY_PORTS = { http: { name: 'http', port: 4000 } } as const;
/** The OpenAI-compatible API root on the gateway: `/v1/chat/completions`, `/v1/models`, ... */
export const LLM_GATEWAY_OPENAI_PATH = '/v1';

/** Whether the gateway runs in this build. */
export const llmGatewayEnabled = (ctx: Pick<BuildContext, 'services'>): boolean => ctx.services.some((s) => s.name === LLM_GATEWAY_SERVICE);

/** The gateway's in-cluster origin as `from` reaches it (its edge), for clients that append the OpenAI path themselves. */
export const llmGatewayOrigin = (ctx: BuildContext, from: string): string =>
  ctx.connect(from, LLM_GATEWAY_SERVICE, LLM_GATEWAY_PORTS.http.name).url();

/** The OpenAI base URL (`base_url` / `OPENAI_API_BASE`) in-cluster. */
export const llmGatewayBaseUrl = (ctx: BuildContext, from: string): string => `${llmGatewayOrigin(ctx, from)}${LLM_GATEWAY_OPENAI_PATH}`;

/**
 * The Secret a consumer reads its gateway key from, in its own namespace, under LLM_GATEWAY_KEY.
 * The gateway plans it for every service with an edge to it (as the storage layer does for database
 * and bucket credentials) and registers the same value as that consumer's key; LiteLLM only accepts
 * keys that start with `sk-` (BerriAI/litellm#14428).
 */
export const llmGatewaySecretName = (service: string): string => `${service}-llm-gateway`;
export const LLM_GATEWAY_KEY = 'api-key';

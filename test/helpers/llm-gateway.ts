// Test-only stand-in for the AI layer's gateway, as its contract describes it: service `litellm` on
// port 4000, planning each consumer's key Secret in the consumer's namespace. With it in the build,
// Trino writes its AI functions catalog.
import { LLM_GATEWAY_KEY, LLM_GATEWAY_PORTS, LLM_GATEWAY_SERVICE, llmGatewaySecretName } from '../../components/ai/contract';
import { randomValue } from '../../components/platform/secrets';
import { ServiceDefinition, withDefaults } from '../../components/platform/service';

export const testLlmGateway: ServiceDefinition = {
  name: LLM_GATEWAY_SERVICE,
  enabled: () => true,
  declare: () =>
    withDefaults({
      name: LLM_GATEWAY_SERVICE,
      layer: 'ai',
      description: 'LLM gateway stand-in',
      images: [],
      ports: [{ ...LLM_GATEWAY_PORTS.http, http: true }],
      resources: {},
    }),
  build: (_scope, ctx) => {
    for (const consumer of ctx.services.filter((s) => s.edges.some((e) => e.to === LLM_GATEWAY_SERVICE)))
      ctx.addSecret({
        name: llmGatewaySecretName(consumer.name),
        namespace: ctx.namespaceOf(consumer.name),
        service: consumer.name,
        data: { [LLM_GATEWAY_KEY]: randomValue(`${LLM_GATEWAY_SERVICE}/key/${consumer.name}`) },
      });
  },
};

import { LLM_GATEWAY_SERVICE } from '../../../../components/ai/contract';
import { testLlmGateway } from '../../../helpers/llm-gateway';
import { parseProperties } from '../../../../components/compute/trino/properties';
import { effectiveEdges } from '../../../../components/platform/graph';
import { allObjects, PlatformBuild } from '../../../../components/platform/build';
import { SERVICE_DEFINITIONS } from '../../../helpers/build';
import { checkReferences } from '../../../../policies/validation/references';
import { buildFor, containerOf, envValue, find, objectsOf, plannedSecrets, userSecrets } from '../../../helpers/build';

const AI_ON = {
  compute: { trino: { ai: { model: 'chat', functions: { translate: 'mistral-7b', fixGrammar: 'qwen2.5:3b' } } } },
};
const withGateway = [...SERVICE_DEFINITIONS, testLlmGateway];

const catalogs = (b: PlatformBuild): Record<string, string> => find(objectsOf(b, 'trino'), 'ConfigMap', 'trino-catalog-properties').data;
const coordinatorConfig = (b: PlatformBuild) =>
  parseProperties(find(objectsOf(b, 'trino'), 'ConfigMap', 'trino-coordinator-config').data['config.properties']);

describe('Trino AI functions', () => {
  it('are absent while no gateway runs, with no connection to it and no error', () => {
    const b = buildFor('k3d', AI_ON);
    expect(Object.keys(catalogs(b)).sort()).toEqual(['iceberg.properties', 'postgresql.properties']);
    expect(coordinatorConfig(b)['sql.path']).toBeUndefined();
    const trino = b.services.find((s) => s.declaration.name === 'trino')!.declaration;
    const all = b.services.map((s) => s.declaration);
    expect(effectiveEdges(trino, b.config, all).map((e) => e.to)).not.toContain(LLM_GATEWAY_SERVICE);
    const egress = find(objectsOf(b, 'trino'), 'NetworkPolicy', 'trino-egress').spec.egress;
    expect(JSON.stringify(egress)).not.toContain(LLM_GATEWAY_SERVICE);
  });

  it('appear as soon as the gateway is declared, with no setting to turn on', () => {
    expect(Object.keys(catalogs(buildFor('k3d', {}, withGateway)))).toContain('llm.properties');
  });

  describe('with the gateway declared', () => {
    const b = buildFor('eks', AI_ON, withGateway);
    const llm = parseProperties(catalogs(b)['llm.properties']);

    it('register catalog llm with the OpenAI provider at the gateway in-cluster, never a public endpoint', () => {
      expect(llm).toEqual({
        'connector.name': 'ai',
        'ai.provider': 'openai',
        // Trino appends /v1/chat/completions to the endpoint itself.
        'ai.openai.endpoint': 'http://litellm.platform-ai.svc.cluster.local:4000',
        'ai.openai.api-key': '${ENV:LLM_GATEWAY_API_KEY}',
        'ai.model': 'chat',
        'ai.translate.model': 'mistral-7b',
        'ai.fix-grammar.model': 'qwen2.5:3b',
      });
      expect(llm['ai.openai.endpoint']).toMatch(/\.svc\.cluster\.local:/);
    });

    it('put the functions on the default SQL path, so ai_gen(...) works unqualified', () => {
      expect(coordinatorConfig(b)['sql.path']).toBe('llm.ai');
    });

    it('call with the key the gateway planned for Trino, on every node', () => {
      for (const name of ['trino-coordinator', 'trino-worker']) {
        const trino = containerOf(find(objectsOf(b, 'trino'), 'Deployment', name), 'trino');
        expect(envValue(trino, 'LLM_GATEWAY_API_KEY')).toEqual({
          name: 'LLM_GATEWAY_API_KEY',
          valueFrom: { secretKeyRef: { name: 'trino-llm-gateway', key: 'api-key' } },
        });
      }
      // The stand-in gateway has no pods of its own: only Trino's references are judged.
      const everything = [...allObjects(b), ...plannedSecrets(b)];
      const problems = checkReferences(everything, {
        storageClasses: Object.values(b.config.storageClasses),
        externalSecrets: userSecrets(b),
      });
      expect(problems.filter((p) => p.object.includes(' platform-compute/'))).toEqual([]);
    });

    it('open the network path to the gateway port, and only to it', () => {
      const trino = b.services.find((s) => s.declaration.name === 'trino')!.declaration;
      expect(
        effectiveEdges(
          trino,
          b.config,
          b.services.map((s) => s.declaration),
        ),
      ).toContainEqual(expect.objectContaining({ to: 'litellm', port: 'http' }));
      const egress = find(objectsOf(b, 'trino'), 'NetworkPolicy', 'trino-egress').spec.egress;
      expect(egress).toContainEqual({
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'platform-ai' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'litellm' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 4000 }],
      });
    });
  });
});

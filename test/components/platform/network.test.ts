// NetworkPolicies derived from the graph: a port served by one component only is open to other
// services on that component's pods, while the service's own pods still reach each other.
import { ServiceDefinition, withDefaults } from '../../../components/platform/service';
import { buildFor, find, objectsOf } from '../../helpers/build';

const engine: ServiceDefinition = {
  name: 'engine',
  enabled: () => true,
  declare: () =>
    withDefaults({
      name: 'engine',
      layer: 'compute',
      description: 'a coordinator and workers on one port',
      images: [],
      ports: [
        { name: 'http', port: 8080, http: true, servedBy: 'coordinator' },
        { name: 'admin', port: 9000 },
      ],
      resources: {},
    }),
  build: () => undefined,
};
const client: ServiceDefinition = {
  name: 'client',
  enabled: () => true,
  declare: () =>
    withDefaults({
      name: 'client',
      layer: 'analytics',
      description: 'calls the engine',
      images: [],
      ports: [],
      edges: [
        { to: 'engine', port: 'http' },
        { to: 'engine', port: 'admin' },
      ],
      resources: {},
    }),
  build: (_scope, ctx) => ['http', 'admin'].forEach((port) => ctx.connect('client', 'engine', port)),
};

describe('ingress to a port one component serves', () => {
  const objects = objectsOf(buildFor('k3d', {}, [engine, client]), 'engine');
  const service = find(objects, 'NetworkPolicy', 'engine-ingress');
  const coordinator = find(objects, 'NetworkPolicy', 'engine-coordinator-ingress');
  const fromClient = (policy: any) =>
    policy.spec.ingress.filter((r: any) => r.from.some((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name'] === 'client'));

  it('opens it to other services on that component only', () => {
    expect(coordinator.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'engine',
      'app.kubernetes.io/component': 'coordinator',
    });
    expect(fromClient(coordinator).flatMap((r: any) => r.ports.map((p: any) => p.port))).toEqual([8080]);
  });

  it('keeps other ports open on every pod, and the port itself among the service own pods', () => {
    expect(fromClient(service).flatMap((r: any) => r.ports.map((p: any) => p.port))).toEqual([9000]);
    const self = service.spec.ingress.find((r: any) =>
      r.from.some((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name'] === 'engine'),
    );
    expect(self.ports.map((p: any) => p.port)).toEqual([8080, 9000]);
  });
});

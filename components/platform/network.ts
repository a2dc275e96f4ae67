// NetworkPolicies derived from the graph: deny everything per namespace, allow DNS, then one allow
// per declared or implied edge, in both directions (egress at the source, ingress at the target).
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { standardLabels } from '../base/labels';
import type { BuildContext } from './context';
import { effectiveEdges, impliedExternalEndpoints } from './graph';
import type { ServiceDeclaration } from './service';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const API_SERVER_PORTS = [443, 6443];

const peer = (namespace: string, service: string): k8s.NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': service } },
});
const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

const peerKey = (ctx: BuildContext, service: string) => `${ctx.namespaceOf(service)}/${service}`;

/** The namespace-wide baseline: nothing in or out but DNS. */
export function namespaceBaseline(scope: Construct): void {
  new k8s.KubeNetworkPolicy(scope, 'default-deny', {
    metadata: { name: 'default-deny' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  new k8s.KubeNetworkPolicy(scope, 'allow-dns', {
    metadata: { name: 'allow-dns' },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [53, 53].map((port, i) => ({ protocol: i ? 'TCP' : 'UDP', port: k8s.IntOrString.fromNumber(port) })),
        },
      ],
    },
  });
}

/** The allows for one service's pods, derived from every edge that starts or ends at it. */
export function servicePolicies(scope: Construct, ctx: BuildContext, decl: ServiceDeclaration): void {
  const namespace = ctx.namespaceOf(decl.name);
  const ownPorts = decl.ports.map((p) => tcp(p.port));
  const self = peer(namespace, decl.name);
  const podSelector = { matchLabels: { 'app.kubernetes.io/name': decl.name } };
  const labels = standardLabels(ctx, decl, 'network');

  const ingress: k8s.NetworkPolicyIngressRule[] = ownPorts.length ? [{ from: [self], ports: ownPorts }] : [];
  // Other services' connections, by the component serving the port ('' for every pod of the service).
  const byComponent = new Map<string, k8s.NetworkPolicyIngressRule[]>([['', ingress]]);
  // By source namespace and name: the rules do not depend on the order layers joined the platform.
  const sources = [...ctx.services].sort((x, y) => peerKey(ctx, x.name).localeCompare(peerKey(ctx, y.name)));
  for (const source of sources) {
    if (source.name === decl.name) continue;
    const edges = effectiveEdges(source, ctx.config, ctx.services, ctx.external).filter((e) => e.to === decl.name);
    const components = new Set(edges.map((e) => ctx.port(decl.name, e.port).servedBy ?? ''));
    for (const component of components) {
      const ports = edges
        .filter((e) => (ctx.port(decl.name, e.port).servedBy ?? '') === component)
        .map((e) => tcp(ctx.port(decl.name, e.port).port));
      const rules = byComponent.get(component) ?? [];
      rules.push({ from: [peer(ctx.namespaceOf(source.name), source.name)], ports });
      byComponent.set(component, rules);
    }
  }
  for (const [component, rules] of byComponent) {
    if (!rules.length) continue;
    new k8s.KubeNetworkPolicy(scope, component ? `${component}-ingress-policy` : 'ingress-policy', {
      metadata: { name: component ? `${decl.name}-${component}-ingress` : `${decl.name}-ingress`, labels },
      spec: {
        podSelector: component ? { matchLabels: { ...podSelector.matchLabels, 'app.kubernetes.io/component': component } } : podSelector,
        policyTypes: ['Ingress'],
        ingress: rules,
      },
    });
  }

  const egress: k8s.NetworkPolicyEgressRule[] = ownPorts.length ? [{ to: [self], ports: ownPorts }] : [];
  const byTarget = new Map<string, number[]>();
  for (const edge of effectiveEdges(decl, ctx.config, ctx.services, ctx.external)) {
    if (edge.to === decl.name) continue;
    // A service reached outside the platform: egress to its ranges on its endpoint's port.
    if (!ctx.services.some((s) => s.name === edge.to)) {
      const { port } = ctx.connect(decl.name, edge.to, edge.port);
      egress.push({ to: ctx.external[edge.to].cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(port)] });
      continue;
    }
    byTarget.set(edge.to, [...(byTarget.get(edge.to) ?? []), ctx.port(edge.to, edge.port).port]);
  }
  for (const [target, ports] of byTarget) egress.push({ to: [peer(ctx.namespaceOf(target), target)], ports: ports.map(tcp) });
  const apiServer: k8s.NetworkPolicyEgressRule = {
    to: ctx.config.egress.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ports: API_SERVER_PORTS.map(tcp),
  };
  if (decl.watchesApiServer === true) egress.push(apiServer);
  for (const endpoint of impliedExternalEndpoints(decl, ctx.config))
    egress.push({ to: endpoint.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: endpoint.ports.map(tcp) });
  if (egress.length)
    new k8s.KubeNetworkPolicy(scope, 'egress-policy', {
      metadata: { name: `${decl.name}-egress`, labels },
      spec: { podSelector, policyTypes: ['Egress'], egress },
    });
  // Only the named components reach the API server; the service's other pods do not.
  if (Array.isArray(decl.watchesApiServer) && decl.watchesApiServer.length)
    new k8s.KubeNetworkPolicy(scope, 'api-server-policy', {
      metadata: { name: `${decl.name}-api-server`, labels },
      spec: {
        podSelector: {
          ...podSelector,
          matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: decl.watchesApiServer }],
        },
        policyTypes: ['Egress'],
        egress: [apiServer],
      },
    });
}

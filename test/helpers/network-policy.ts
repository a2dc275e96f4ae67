// NetworkPolicies evaluated the way Kubernetes does (networking.k8s.io/v1), for tests that judge
// rendered objects rather than the model they came from: which policies select a pod, and whether
// the policies of a namespace let one pod reach another on a port.
//
// What Kubernetes does, and this follows:
// - A policy selects the pods of its own namespace matched by its podSelector (`{}` selects all).
// - A pod is isolated for a direction when some policy selecting it has that policy type; a pod not
//   isolated for a direction allows everything in it. Policy types default to Ingress, plus Egress
//   when the policy has egress rules.
// - An isolated pod allows a connection when some rule of some policy selecting it (of that
//   direction) allows it: rules and policies are additive, there is no deny rule.
// - A rule allows a peer when its `from`/`to` is absent or empty, or one of its peers matches: a
//   podSelector alone means pods of the policy's namespace; a namespaceSelector alone, every pod of
//   the matching namespaces; both, the matching pods of the matching namespaces.
// - A rule allows a port when its `ports` is absent or empty, or one entry matches: protocol
//   (TCP when absent), then the port by number (up to `endPort` when given) or by name (the named
//   container port of the destination pod); an entry without a port allows every port of its protocol.
// Peers by ipBlock never match a pod here: pod addresses are not known from the objects.

export type Labels = Record<string, string>;

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A pod as the policies see it: where it runs, its labels, and the ports its containers name. */
export interface PodRef {
  namespace: string;
  labels: Labels;
  /** The labels of its namespace; `kubernetes.io/metadata.name` is always set, as the API server does. */
  namespaceLabels?: Labels;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

/** A destination port: its number on the pod, and its container port name when it has one. */
export interface PortRef {
  port: number;
  name?: string;
  protocol?: string;
}

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Whether a label selector matches a set of labels; an absent or empty selector matches everything. */
export function matchesSelector(selector: LabelSelector | undefined | null, labels: Labels): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown label selector operator "${operator}"`);
    }
  }
  return true;
}

const namespaceLabelsOf = (pod: PodRef): Labels => ({ ...pod.namespaceLabels, [NAMESPACE_NAME_LABEL]: pod.namespace });

/** The directions a policy governs, with the API server's defaults. */
export function policyTypesOf(policy: any): ('Ingress' | 'Egress')[] {
  const declared: string[] | undefined = policy.spec?.policyTypes;
  if (declared?.length) return declared.filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress');
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Whether the policy applies to a pod of `podNamespace` with `podLabels`. */
export function selects(policy: any, podNamespace: string, podLabels: Labels): boolean {
  if (policy.kind !== 'NetworkPolicy') return false;
  if (policy.metadata?.namespace !== podNamespace) return false;
  return matchesSelector(policy.spec?.podSelector ?? {}, podLabels);
}

/** Whether one peer of a rule (of a policy in `policyNamespace`) is the given pod. */
export function peerMatches(peer: any, policyNamespace: string, pod: PodRef): boolean {
  if (peer.ipBlock) return false;
  if (!peer.namespaceSelector && !peer.podSelector) return false;
  const inNamespace = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, namespaceLabelsOf(pod))
    : pod.namespace === policyNamespace;
  return inNamespace && (!peer.podSelector || matchesSelector(peer.podSelector, pod.labels));
}

/** Whether a rule's ports let a connection to `port` of `destination` through; no port given: any rule does. */
export function portMatches(rulePorts: any[] | undefined, port: PortRef | undefined, destination: PodRef): boolean {
  if (!rulePorts?.length || !port) return true;
  const protocol = port.protocol ?? 'TCP';
  const name = port.name ?? destination.ports?.find((p) => p.containerPort === port.port && (p.protocol ?? 'TCP') === protocol)?.name;
  return rulePorts.some((entry) => {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined || entry.port === null) return true;
    if (typeof entry.port === 'number')
      return entry.endPort ? port.port >= entry.port && port.port <= entry.endPort : port.port === entry.port;
    return name !== undefined && entry.port === name;
  });
}

/** Whether some policy of the direction selects the pod: then only what its rules allow gets through. */
export function isolated(policies: any[], pod: PodRef, direction: 'Ingress' | 'Egress'): boolean {
  return policies.some((p) => selects(p, pod.namespace, pod.labels) && policyTypesOf(p).includes(direction));
}

function allows(
  policies: any[],
  selected: PodRef,
  peer: PodRef,
  destination: PodRef,
  port: PortRef | undefined,
  direction: 'Ingress' | 'Egress',
) {
  const governing = policies.filter((p) => selects(p, selected.namespace, selected.labels) && policyTypesOf(p).includes(direction));
  if (!governing.length) return true;
  const rulesKey = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  return governing.some((policy) =>
    (policy.spec?.[rulesKey] ?? []).some(
      (rule: any) =>
        (!rule[peersKey]?.length || rule[peersKey].some((p: any) => peerMatches(p, policy.metadata.namespace, peer))) &&
        portMatches(rule.ports, port, destination),
    ),
  );
}

/** Whether the source pod's policies let it open a connection to the target pod (on `port`; any port when absent). */
export function allowsEgress(policies: any[], source: PodRef, target: PodRef, port?: PortRef): boolean {
  return allows(policies, source, target, target, port, 'Egress');
}

/** Whether the target pod's policies let the source pod's connection in (on `port`; any port when absent). */
export function allowsIngress(policies: any[], source: PodRef, target: PodRef, port?: PortRef): boolean {
  return allows(policies, target, source, target, port, 'Ingress');
}

/** Both ends: what a connection needs to be made under the policies. */
export const allowsConnection = (policies: any[], source: PodRef, target: PodRef, port?: PortRef): boolean =>
  allowsEgress(policies, source, target, port) && allowsIngress(policies, source, target, port);

// Network rules over the whole set: every pod isolated by NetworkPolicies, policies that select
// something, no exposure outside the cluster or egress to the internet where the environment forbids it.
import { isIPv6 } from 'node:net';
import type { KubeObject } from '../../components/platform/kube-object';
import { formatSelector, isEmptySelector, namespaceOf, ofKind, podTemplates, selects, specOf, type LabelSelector } from './relations';
import { advisory, mandatory, type StackFinding, type StackRule } from './types';

type Direction = 'Ingress' | 'Egress';
const DIRECTIONS: Direction[] = ['Ingress', 'Egress'];

/** policyTypes, or their default: Ingress always, Egress when the policy has egress rules. */
function policyTypes(policy: KubeObject): Direction[] {
  const spec = specOf(policy);
  return spec.policyTypes ?? ['Ingress', ...((spec.egress ?? []).length ? (['Egress'] as const) : [])];
}

/** A missing podSelector is the empty one: every pod of the namespace. */
const podSelectorOf = (policy: KubeObject): LabelSelector => specOf(policy).podSelector ?? {};

const networkPolicyIsolation: StackRule = {
  id: 'network-policy-isolation',
  scope: 'stack',
  title: 'Every pod is isolated by NetworkPolicies, for ingress and egress',
  rationale:
    'A pod no NetworkPolicy selects accepts connections from, and opens them to, anything: one compromised pod reaches every other. Each namespace has a namespace-wide default (podSelector {}, policyTypes Ingress and Egress), so pods added later start isolated, and every pod is selected for both directions.',
  severity: 'high',
  category: 'network',
  controls: {
    kubeLinter: ['non-isolated-pod'],
    polaris: ['missingNetworkPolicy'],
    kyverno: ['add-network-policy'],
    checkov: ['CKV2_K8S_6'],
    crosswalk: [49],
  },
  enforcement: mandatory,
  check(objects) {
    const policies = ofKind(objects, 'NetworkPolicy');
    const isolated = (ns: string, covers: (p: KubeObject) => boolean): Set<Direction> =>
      new Set(policies.filter((p) => namespaceOf(p) === ns && covers(p)).flatMap(policyTypes));
    const missing = (have: Set<Direction>) => DIRECTIONS.filter((d) => !have.has(d));

    const findings: StackFinding[] = [];
    for (const ns of ofKind(objects, 'Namespace')) {
      const gaps = missing(isolated(ns.metadata.name, (p) => isEmptySelector(podSelectorOf(p))));
      if (gaps.length)
        findings.push({
          object: ns,
          message: `no namespace-wide NetworkPolicy (podSelector {}) isolates its pods for ${gaps.join(' and ')}: add a default deny with policyTypes [Ingress, Egress]`,
        });
    }
    for (const t of podTemplates(objects)) {
      const gaps = missing(isolated(t.namespace, (p) => selects(podSelectorOf(p), t.labels)));
      if (gaps.length)
        findings.push({
          object: t.owner,
          message: `its pods (labels ${formatSelector(t.labels)}) are not isolated for ${gaps.join(' and ')}: no NetworkPolicy of namespace "${t.namespace}" with those policyTypes selects them`,
        });
    }
    return findings;
  },
};

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyRule {
  from?: Peer[];
  to?: Peer[];
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The namespaces a peer's namespaceSelector names by kubernetes.io/metadata.name, or undefined when it selects by other labels. */
function namedNamespaces(selector: LabelSelector): string[] | undefined {
  const labels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  if (labels.length === 1 && !expressions.length && labels[0][0] === NAMESPACE_NAME_LABEL) return [labels[0][1]];
  if (!labels.length && expressions.length === 1 && expressions[0].key === NAMESPACE_NAME_LABEL && expressions[0].operator === 'In')
    return expressions[0].values ?? [];
  return undefined;
}

const networkPolicySelectorsMatch: StackRule = {
  id: 'network-policy-selectors-match',
  scope: 'stack',
  title: 'NetworkPolicy pod selectors, and the pod selectors of their peers, select pods',
  rationale:
    'A policy or peer whose podSelector matches no pod (a typo, a renamed label) opens or protects nothing: the traffic it was written for is silently dropped or left open. Peers in namespaces not among the objects (kube-system) or chosen by other namespace labels cannot be judged and are skipped.',
  severity: 'medium',
  category: 'network',
  controls: { kubeLinter: ['dangling-networkpolicy', 'dangling-networkpolicypeer-podselector'], crosswalk: [53] },
  enforcement: mandatory,
  check(objects) {
    const templates = podTemplates(objects);
    const known = new Set(ofKind(objects, 'Namespace').map((n) => n.metadata.name));
    const anyPod = (namespaces: string[], selector: LabelSelector) =>
      templates.some((t) => namespaces.includes(t.namespace) && selects(selector, t.labels));

    return ofKind(objects, 'NetworkPolicy').flatMap((policy) => {
      const ns = namespaceOf(policy);
      const findings: StackFinding[] = [];
      const own = podSelectorOf(policy);
      if (!isEmptySelector(own) && !anyPod([ns], own))
        findings.push({ object: policy, message: `spec.podSelector ${formatSelector(own)} selects no pod in namespace "${ns}"` });
      const spec = specOf(policy);
      const peers = [
        ...((spec.ingress ?? []) as PolicyRule[]).flatMap((r, i) =>
          (r.from ?? []).map((p, j) => ({ peer: p, at: `spec.ingress[${i}].from[${j}]` })),
        ),
        ...((spec.egress ?? []) as PolicyRule[]).flatMap((r, i) =>
          (r.to ?? []).map((p, j) => ({ peer: p, at: `spec.egress[${i}].to[${j}]` })),
        ),
      ];
      for (const { peer, at } of peers) {
        if (!peer.podSelector || isEmptySelector(peer.podSelector)) continue;
        const namespaces = peer.namespaceSelector ? namedNamespaces(peer.namespaceSelector) : [ns];
        if (!namespaces || !namespaces.every((n) => n === ns || known.has(n))) continue;
        if (!anyPod(namespaces, peer.podSelector))
          findings.push({
            object: policy,
            message: `${at}.podSelector ${formatSelector(peer.podSelector)} selects no pod in namespace ${namespaces.map((n) => `"${n}"`).join(', ')}`,
          });
      }
      return findings;
    });
  },
};

const exposedServices: StackRule = {
  id: 'no-exposed-services',
  scope: 'stack',
  title: 'Services are not exposed outside the cluster as NodePort or LoadBalancer',
  rationale:
    'A NodePort or LoadBalancer Service opens a port on every node or an external address, bypassing the edge and its TLS. The platform exposes only its edge, as the environment configures; on the air-gapped network nothing is exposed that way at all (the edge is a ClusterIP behind the site ingress), elsewhere the edge LoadBalancer is the known exception.',
  severity: 'high',
  category: 'network',
  controls: { kubeLinter: ['exposed-services'], kyverno: ['restrict-node-port'], crosswalk: [50] },
  enforcement: { k3d: 'advisory', eks: 'advisory', airgapped: 'mandatory' },
  check(objects) {
    return ofKind(objects, 'Service').flatMap((service) => {
      const type = specOf(service).type;
      return type === 'NodePort' || type === 'LoadBalancer'
        ? [{ object: service, message: `spec.type is ${type}: it is reachable from outside the cluster` }]
        : [];
    });
  },
};

/** Private, shared (CGNAT) and unique-local ranges: addresses inside a site network, never the internet. */
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

function parseV4(cidr: string): { ip: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  return { ip: octets.reduce((a, o) => a * 256 + o, 0), bits };
}

/** Whether a CIDR lies entirely inside private address space. */
export function isPrivateCidr(cidr: string): boolean {
  if (cidr.includes(':')) {
    const [address, bits] = cidr.split('/');
    const first = parseInt(address.split(':')[0] || '0', 16);
    return Number(bits) >= 7 && (first & 0xfe00) === 0xfc00; // fc00::/7
  }
  const net = parseV4(cidr);
  if (!net) return false;
  return PRIVATE_V4.some((range) => {
    const r = parseV4(range)!;
    const shift = 2 ** (32 - r.bits);
    return net.bits >= r.bits && Math.floor(net.ip / shift) === Math.floor(r.ip / shift);
  });
}

const noInternetEgress: StackRule = {
  id: 'no-internet-egress',
  scope: 'stack',
  title: 'Where the environment forbids internet egress, no NetworkPolicy allows it',
  rationale:
    'Without internet access (the air-gapped environment, or egress.allowInternet false) an egress allow to a public range or to every destination is a path for data out, and a sign of a dependency that will fail there. Private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), where the API server and site services live, stay allowed. Judged only when the context says the internet is not allowed.',
  severity: 'high',
  category: 'network',
  controls: { crosswalk: [] },
  enforcement: mandatory,
  check(objects, ctx) {
    if (ctx.allowInternetEgress) return [];
    return ofKind(objects, 'NetworkPolicy')
      .filter((p) => policyTypes(p).includes('Egress'))
      .flatMap((policy) =>
        ((specOf(policy).egress ?? []) as PolicyRule[]).flatMap((rule, i) => {
          if (!rule.to?.length)
            return [{ object: policy, message: `spec.egress[${i}] has no "to": it allows every destination, the internet included` }];
          return rule.to.flatMap((peer, j) =>
            peer.ipBlock && !isPrivateCidr(peer.ipBlock.cidr)
              ? [
                  {
                    object: policy,
                    message: `spec.egress[${i}].to[${j}].ipBlock.cidr ${peer.ipBlock.cidr} reaches beyond private address space`,
                  },
                ]
              : [],
          );
        }),
      );
  },
};

/** Why an ipBlock CIDR is not one Kubernetes accepts (IPv4 octets 0-255 and prefix 0-32, IPv6 prefix 0-128), or undefined. */
export function cidrProblem(cidr: unknown): string | undefined {
  if (typeof cidr !== 'string') return `is ${JSON.stringify(cidr) ?? 'missing'}, not a CIDR string`;
  const [address, prefix, ...rest] = cidr.split('/');
  if (prefix === undefined || rest.length || !/^[0-9]{1,3}$/.test(prefix))
    return 'is not a CIDR: expected an address, "/" and a prefix length, such as "10.0.0.0/8"';
  if (address.includes(':')) {
    if (!isIPv6(address)) return `has "${address}", not an IPv6 address`;
    return Number(prefix) > 128 ? `has prefix length /${prefix}; an IPv6 prefix is 0 to 128` : undefined;
  }
  const octets = address.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^[0-9]{1,3}$/.test(o)))
    return `has "${address}", not an IPv4 address of four numbers 0-255`;
  const high = octets.find((o) => Number(o) > 255);
  if (high !== undefined) return `has octet ${high}; each of the four numbers of an IPv4 address is 0 to 255`;
  return Number(prefix) > 32 ? `has prefix length /${prefix}; an IPv4 prefix is 0 to 32` : undefined;
}

const networkPolicyValidCidrs: StackRule = {
  id: 'network-policy-valid-cidrs',
  scope: 'stack',
  title: 'NetworkPolicy ipBlock CIDRs are valid addresses and prefix lengths',
  rationale:
    'An ipBlock such as 300.1.2.3/8 is no address at all: the API server refuses the policy (and with it the whole apply), or an older one reads it differently from what was meant, so the egress or ingress it was written for is not what the cluster enforces. Every cidr and except entry must be an IPv4 address with octets 0-255 and a prefix of 0-32, or an IPv6 address with a prefix of 0-128.',
  severity: 'high',
  category: 'network',
  controls: { crosswalk: [] },
  enforcement: mandatory,
  check(objects) {
    return ofKind(objects, 'NetworkPolicy').flatMap((policy) => {
      const spec = specOf(policy);
      const peers = [
        ...((spec.ingress ?? []) as PolicyRule[]).flatMap((r, i) =>
          (r.from ?? []).map((p, j) => ({ peer: p, at: `spec.ingress[${i}].from[${j}]` })),
        ),
        ...((spec.egress ?? []) as PolicyRule[]).flatMap((r, i) =>
          (r.to ?? []).map((p, j) => ({ peer: p, at: `spec.egress[${i}].to[${j}]` })),
        ),
      ];
      return peers.flatMap(({ peer, at }): StackFinding[] => {
        if (!peer.ipBlock) return [];
        const entries: [string, unknown][] = [
          [`${at}.ipBlock.cidr`, peer.ipBlock.cidr],
          ...(peer.ipBlock.except ?? []).map((e, k): [string, unknown] => [`${at}.ipBlock.except[${k}]`, e]),
        ];
        return entries.flatMap(([where, value]) => {
          const problem = cidrProblem(value);
          return problem ? [{ object: policy, message: `${where} ${JSON.stringify(value)} ${problem}` }] : [];
        });
      });
    });
  },
};

const namespaceQuota: StackRule = {
  id: 'namespace-quota',
  scope: 'stack',
  title: 'Each namespace has a ResourceQuota and a LimitRange',
  rationale:
    'A quota caps what one namespace can take from the cluster and a LimitRange gives defaults to containers that set none. The platform sizes every container itself, so this is advice for shared clusters.',
  severity: 'low',
  category: 'resources',
  controls: { kyverno: ['add-ns-quota'], crosswalk: [34] },
  enforcement: advisory,
  check(objects) {
    return ofKind(objects, 'Namespace').flatMap((ns) => {
      const missing = ['ResourceQuota', 'LimitRange'].filter(
        (kind) => !objects.some((o) => o.kind === kind && namespaceOf(o) === ns.metadata.name),
      );
      return missing.length ? [{ object: ns, message: `has no ${missing.join(' and no ')} among the objects` }] : [];
    });
  },
};

export const networkRules: StackRule[] = [
  networkPolicyIsolation,
  networkPolicySelectorsMatch,
  exposedServices,
  noInternetEgress,
  networkPolicyValidCidrs,
  namespaceQuota,
];

// Exposure rules on single objects: Ingress TLS and hosts, ingress-nginx snippets, Service
// externalIPs, and container ports (SSH, privileged ports).
import { mandatory, type ObjectRule } from './types';
import { perContainer } from './workload';

type Spec = Record<string, any>;

/** A TLS host entry covers a rule host exactly, or as a one-label wildcard (`*.example.com`). */
const covers = (tlsHost: string, host: string) =>
  tlsHost === host || (tlsHost.startsWith('*.') && host.endsWith(tlsHost.slice(1)) && !host.slice(0, -tlsHost.length + 1).includes('.'));

const ingressTlsAndHost: ObjectRule = {
  id: 'ingress-tls-and-host',
  scope: 'object',
  title: 'Ingresses name a host for every rule and serve it over TLS',
  rationale:
    'A rule without a host matches every name that reaches the controller, so the service answers on hosts nobody reviewed; an Ingress without TLS serves credentials and session cookies in clear text. ' +
    'Every rule host must be covered by a spec.tls entry (exactly, or by a wildcard; an entry without hosts covers all).',
  severity: 'high',
  category: 'network',
  controls: { polaris: ['tlsSettingsMissing'], kyverno: ['disallow-empty-ingress-host'], crosswalk: [51] },
  enforcement: mandatory,
  check(object) {
    if (object.kind !== 'Ingress') return [];
    const spec = (object.spec ?? {}) as Spec;
    const rules = (spec.rules ?? []) as Spec[];
    const tls = (spec.tls ?? []) as Spec[];
    const out: string[] = [];
    rules.forEach((r, i) => {
      if (r.http && !r.host) out.push(`spec.rules[${i}] has no host`);
    });
    if (tls.length === 0) return [...out, 'spec.tls is not set: the Ingress serves plain HTTP'];
    if (tls.some((t) => !t.hosts || t.hosts.length === 0)) return out;
    for (const host of rules.map((r) => r.host).filter(Boolean) as string[])
      if (!tls.some((t) => (t.hosts as string[]).some((h) => covers(h, host))))
        out.push(`host ${host} is not covered by any spec.tls entry`);
    return out;
  },
};

const noNginxSnippets: ObjectRule = {
  id: 'no-nginx-snippets',
  scope: 'object',
  title: 'Ingresses carry no ingress-nginx snippet annotations',
  rationale:
    'Snippet annotations (configuration-snippet, server-snippet, auth-snippet...) inject raw NGINX configuration, including Lua and alias directives, into the shared controller: ' +
    "anyone who may write an Ingress can read the controller's service-account token and every TLS key (CVE-2021-25742).",
  severity: 'high',
  category: 'network',
  controls: { checkov: ['CKV_K8S_152', 'CKV_K8S_153', 'CKV_K8S_154'], crosswalk: [56] },
  enforcement: mandatory,
  check(object) {
    if (object.kind !== 'Ingress') return [];
    return Object.keys(object.metadata.annotations ?? {})
      .filter((k) => k.includes('snippet'))
      .map((k) => `annotation ${k} injects raw controller configuration`);
  },
};

const noServiceExternalIps: ObjectRule = {
  id: 'no-service-external-ips',
  scope: 'object',
  title: 'Services set no externalIPs',
  rationale:
    'spec.externalIPs makes every node accept and forward traffic for those addresses, and anyone who can create a Service can intercept traffic to any IP that way (CVE-2020-8554). Exposure goes through the ingress controller.',
  severity: 'high',
  category: 'network',
  controls: { kyverno: ['restrict-service-external-ips'], crosswalk: [50] },
  enforcement: mandatory,
  check(object) {
    if (object.kind !== 'Service') return [];
    const ips = ((object.spec as Spec | undefined)?.externalIPs ?? []) as string[];
    return ips.length ? [`spec.externalIPs is set (${ips.join(', ')})`] : [];
  },
};

const noSshOrPrivilegedPorts: ObjectRule = {
  id: 'no-ssh-or-privileged-ports',
  scope: 'object',
  title: 'Containers expose neither SSH (22) nor other privileged ports (below 1024)',
  rationale:
    'An SSH port in a container is a second, unreviewed way in; ports below 1024 need root or NET_BIND_SERVICE, which the restricted profile drops. Services map 80/443 to unprivileged container ports instead.',
  severity: 'medium',
  category: 'network',
  controls: { kubeLinter: ['ssh-port', 'privileged-ports'], crosswalk: [52] },
  enforcement: mandatory,
  check: (object) =>
    perContainer(object, (c) => {
      const found = ((c.ports ?? []) as Spec[]).flatMap((p) => {
        const protocol = p.protocol ?? 'TCP';
        if (p.containerPort === 22 && protocol === 'TCP') return [`containerPort 22/TCP is the SSH port`];
        if (p.containerPort > 0 && p.containerPort < 1024)
          return [`containerPort ${p.containerPort}/${protocol} is privileged (below 1024)`];
        return [];
      });
      return found.length ? found.join('; ') : undefined;
    }),
};

export const serviceRules: ObjectRule[] = [ingressTlsAndHost, noNginxSnippets, noServiceExternalIps, noSshOrPrivilegedPorts];

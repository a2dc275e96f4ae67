import { parse } from 'yaml';
import type { PlatformRole } from '../../../../components/governance/schema';
import { DYNAMIC_FILE, traefikDefinition } from '../../../../components/edge/traefik/traefik';
import { OAUTH2_PROXY_SERVICE } from '../../../../components/governance/contract';
import {
  allowedGroups,
  forwardAuthConfig,
  forwardAuthServices,
  IDENTITY_HEADERS,
} from '../../../../components/governance/oauth2-proxy/forward-auth';
import { oauth2ProxyDefinition } from '../../../../components/governance/oauth2-proxy/oauth2-proxy';
import { BuildContext } from '../../../../components/platform/context';
import { imageResolverFor, PlatformBuild } from '../../../../components/platform/build';
import { signInMiddlewareRef } from '../../../../components/platform/routes';
import { withDefaults } from '../../../../components/platform/service';
import { postgresDefinition } from '../../../../components/storage/postgres/postgres';
import { SERVICE_DEFINITIONS } from '../../../helpers/build';
import { buildFor, configFor, find, objectsOf } from '../../../helpers/build';

const LLDAP_ON = { governance: { directory: { mode: 'lldap', baseDn: 'dc=platform,dc=local', storageSize: '1Gi' } } };

/** Two made-up protected services beside oauth2-proxy, to see the derivation apart from any real service. */
function contextWith(hosts: { name: string; allowedRoles?: PlatformRole[] }[]) {
  const config = configFor('k3d');
  const declarations = [
    traefikDefinition.declare({ config }),
    oauth2ProxyDefinition.declare({ config }),
    ...hosts.map((h) =>
      withDefaults({
        name: h.name,
        layer: 'ai',
        description: 'test',
        images: ['curl'],
        ports: [{ name: 'http', port: 8080, http: true }],
        publicHost: { name: h.name, port: 'http', signIn: 'forward-auth', allowedRoles: h.allowedRoles },
        resources: {},
      }),
    ),
  ];
  return new BuildContext(config, imageResolverFor(config), declarations);
}

const dynamicOf = (b: PlatformBuild): any => {
  const doc = parse(find(objectsOf(b, 'traefik'), 'ConfigMap', 'traefik-dynamic').data[DYNAMIC_FILE]);
  return doc.http === undefined ? undefined : { http: doc.http };
};

describe('forward-auth middlewares, derived from the public hosts', () => {
  const doc: any = forwardAuthConfig(
    contextWith([{ name: 'experiments', allowedRoles: ['admin', 'engineer'] }, { name: 'llm' }]),
    'traefik',
  );

  it('gives each forward-auth service its own middleware, asking oauth2-proxy for the role groups its host allows', () => {
    const base = 'http://oauth2-proxy.platform-governance.svc.cluster.local:4180/';
    expect(Object.keys(doc.http.middlewares)).toEqual(['sign-in-experiments', 'sign-in-llm']);
    expect(doc.http.middlewares['sign-in-experiments'].forwardAuth.address).toBe(`${base}?allowed_groups=platform-admin,platform-engineer`);
    expect(doc.http.middlewares['sign-in-llm'].forwardAuth.address).toBe(
      `${base}?allowed_groups=platform-admin,platform-engineer,platform-analyst,platform-user,platform-viewer`,
    );
  });

  it('passes only identity headers oauth2-proxy sets, so a client cannot forge them, and keeps refreshed session cookies', () => {
    const fa = doc.http.middlewares['sign-in-llm'].forwardAuth;
    expect(fa.authResponseHeaders).toEqual([...IDENTITY_HEADERS]);
    expect(fa.authResponseHeaders).not.toContain('Authorization');
    expect(fa.trustForwardHeader).toBe(true);
    expect(fa.addAuthCookiesToResponse).toEqual([
      '_platform_oauth2',
      '_platform_oauth2_0',
      '_platform_oauth2_1',
      '_platform_oauth2_2',
      '_platform_oauth2_3',
    ]);
  });

  it('routes /oauth2/ on every protected host to oauth2-proxy over TLS, above the Ingress route of the host', () => {
    expect(doc.http.routers).toEqual({
      'oauth2-experiments': {
        rule: 'Host(`experiments.platform.localhost`) && PathPrefix(`/oauth2/`)',
        entryPoints: ['websecure'],
        service: 'oauth2-proxy',
        priority: 1000,
        tls: {},
      },
      'oauth2-llm': {
        rule: 'Host(`llm.platform.localhost`) && PathPrefix(`/oauth2/`)',
        entryPoints: ['websecure'],
        service: 'oauth2-proxy',
        priority: 1000,
        tls: {},
      },
    });
    // Traefik gives the host's Ingress router its rule's length as priority: the /oauth2/ router must outrank it.
    for (const router of Object.values(doc.http.routers) as { rule: string; priority: number }[]) {
      const ingressRule = router.rule.replace('PathPrefix(`/oauth2/`)', 'PathPrefix(`/`)');
      expect(ingressRule.length).toBeLessThan(router.priority);
    }
    expect(doc.http.services).toEqual({
      'oauth2-proxy': { loadBalancer: { servers: [{ url: 'http://oauth2-proxy.platform-governance.svc.cluster.local:4180' }] } },
    });
  });

  it('allows every platform role when a host names none', () => {
    const [llm] = forwardAuthServices(contextWith([{ name: 'llm' }]).services);
    expect(allowedGroups('acme', llm)).toEqual(['acme-admin', 'acme-engineer', 'acme-analyst', 'acme-user', 'acme-viewer']);
  });

  it('derives nothing without a forward-auth service, or without oauth2-proxy to ask', () => {
    expect(forwardAuthConfig(contextWith([]), 'traefik')).toBeUndefined();
    const ctx = contextWith([{ name: 'llm' }]);
    const withoutProxy = new BuildContext(
      ctx.config,
      ctx.images,
      ctx.services.filter((s) => s.name !== OAUTH2_PROXY_SERVICE),
    );
    expect(forwardAuthConfig(withoutProxy, 'traefik')).toBeUndefined();
  });
});

describe('forward-auth in the Traefik file provider', () => {
  const lldap = buildFor('k3d', LLDAP_ON);

  it('writes no forward-auth document when no host signs in with forward-auth', () => {
    const config = configFor('k3d');
    const unprotected = SERVICE_DEFINITIONS.filter(
      (d) => !d.enabled({ config }) || d.declare({ config }).publicHost?.signIn !== 'forward-auth',
    );
    const b = buildFor('k3d', {}, unprotected);
    expect(dynamicOf(b)).toBeUndefined();
    expect(Object.keys(parse(find(objectsOf(b, 'traefik'), 'ConfigMap', 'traefik-dynamic').data[DYNAMIC_FILE]))).toEqual(['tls']);
    const traefikEgress = find(objectsOf(b, 'traefik'), 'NetworkPolicy', 'traefik-egress').spec.egress;
    expect(
      traefikEgress.some((r: any) => r.to.some((p: any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === 'oauth2-proxy')),
    ).toBe(false);
    // Also when oauth2-proxy is not part of the build at all (edge-only builds).
    expect(
      dynamicOf(buildFor('k3d', {}, [postgresDefinition('platform'), postgresDefinition('warehouse'), traefikDefinition])),
    ).toBeUndefined();
  });

  it('with LLDAP on, protects the directory host with a middleware that lets only platform admins through', () => {
    const doc = dynamicOf(lldap);
    expect(doc.http.middlewares['sign-in-lldap'].forwardAuth.address).toBe(
      'http://oauth2-proxy.platform-governance.svc.cluster.local:4180/?allowed_groups=platform-admin',
    );
    expect(doc.http.routers['oauth2-lldap'].rule).toBe('Host(`directory.platform.localhost`) && PathPrefix(`/oauth2/`)');
  });

  it('has exactly one middleware per forward-auth service, and each such Ingress names exactly its own', () => {
    const doc = dynamicOf(lldap);
    const protectedServices = forwardAuthServices(lldap.services.map((s) => s.declaration));
    expect(protectedServices.map((s) => s.name)).toContain('lldap');
    expect(Object.keys(doc.http.middlewares).sort()).toEqual(protectedServices.map((s) => `sign-in-${s.name}`).sort());
    for (const s of protectedServices) {
      const ingress = find(objectsOf(lldap, s.name), 'Ingress', s.name);
      const named = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'];
      expect(named).toBe(signInMiddlewareRef(s.name));
      expect(named).toBe(`sign-in-${s.name}@file`);
      expect(doc.http.middlewares[named.replace(/@file$/, '')]).toBeDefined();
    }
  });

  it('lets Traefik reach oauth2-proxy on its HTTP port once a host is protected', () => {
    const egress = find(objectsOf(lldap, 'traefik'), 'NetworkPolicy', 'traefik-egress').spec.egress;
    const toProxy = egress.filter((r: any) =>
      r.to.some((p: any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === 'oauth2-proxy'),
    );
    expect(toProxy.map((r: any) => r.ports)).toEqual([[{ protocol: 'TCP', port: 4180 }]]);
  });

  it('uses the same oauth2-proxy endpoint in every environment', () => {
    const eks = dynamicOf(buildFor('eks', LLDAP_ON));
    expect(eks.http.services['oauth2-proxy'].loadBalancer.servers).toEqual([
      { url: 'http://oauth2-proxy.platform-governance.svc.cluster.local:4180' },
    ]);
    expect(eks.http.routers['oauth2-lldap'].rule).toBe('Host(`directory.data.example.com`) && PathPrefix(`/oauth2/`)');
  });
});

import { OAUTH2_PROXY_SERVICE, oidcSecretName } from '../../../../components/governance/contract';
import { cookieRefreshSeconds } from '../../../../components/governance/oauth2-proxy/oauth2-proxy';
import type { PlatformBuild } from '../../../../components/platform/build';
import { generatePassword } from '../../../../render/local-secrets';
import { buildFor, containerOf, envValue, find, objectsOf, plannedSecrets } from '../../../helpers/build';

const LLDAP_ON = { governance: { directory: { mode: 'lldap', baseDn: 'dc=platform,dc=local', storageSize: '1Gi' } } };

const k3d = buildFor('k3d');
const eks = buildFor('eks');
const deployment = (b: PlatformBuild) => find(objectsOf(b, OAUTH2_PROXY_SERVICE), 'Deployment', OAUTH2_PROXY_SERVICE);
const container = (b: PlatformBuild) => containerOf(deployment(b), 'oauth2-proxy');
const args = (b: PlatformBuild): string[] => container(b).args;
const flag = (b: PlatformBuild, name: string): string[] =>
  args(b)
    .filter((a) => a.startsWith(`--${name}=`))
    .map((a) => a.slice(name.length + 3));

describe('oauth2-proxy sign-in through Keycloak', () => {
  it('sends browsers to the public issuer and keeps token, keys and userinfo on the in-cluster back channel', () => {
    const back = 'https://keycloak.platform-governance.svc.cluster.local:8443/realms/platform/protocol/openid-connect';
    expect(flag(k3d, 'provider')).toEqual(['keycloak-oidc']);
    expect(flag(k3d, 'oidc-issuer-url')).toEqual(['https://identity.platform.localhost/realms/platform']);
    expect(flag(k3d, 'skip-oidc-discovery')).toEqual(['true']);
    expect(flag(k3d, 'login-url')).toEqual(['https://identity.platform.localhost/realms/platform/protocol/openid-connect/auth']);
    expect(flag(k3d, 'redeem-url')).toEqual([`${back}/token`]);
    expect(flag(k3d, 'oidc-jwks-url')).toEqual([`${back}/certs`]);
    expect(flag(k3d, 'profile-url')).toEqual([`${back}/userinfo`]);
    expect(flag(k3d, 'validate-url')).toEqual([`${back}/userinfo`]);
    expect(flag(k3d, 'code-challenge-method')).toEqual(['S256']);
  });

  it('follows the domain and realm of the environment', () => {
    const b = buildFor('eks', { governance: { realm: 'acme' } });
    expect(flag(b, 'oidc-issuer-url')).toEqual(['https://identity.data.example.com/realms/acme']);
    expect(flag(b, 'cookie-domain')).toEqual(['.data.example.com']);
    expect(flag(b, 'whitelist-domain')).toEqual(['.data.example.com']);
  });

  it('reads role groups from the groups claim and answers Traefik with a static 202 carrying identity headers', () => {
    expect(flag(k3d, 'oidc-groups-claim')).toEqual(['groups']);
    expect(flag(k3d, 'email-domain')).toEqual(['*']);
    expect(flag(k3d, 'upstream')).toEqual(['static://202']);
    expect(flag(k3d, 'set-xauthrequest')).toEqual(['true']);
    expect(flag(k3d, 'reverse-proxy')).toEqual(['true']);
    expect(flag(k3d, 'skip-provider-button')).toEqual(['true']);
    expect(flag(k3d, 'proxy-prefix')).toEqual(['/oauth2']);
  });

  it('shares one secure, HttpOnly, lax session cookie across the domain and returns only to hosts of the domain', () => {
    expect(flag(k3d, 'cookie-name')).toEqual(['_platform_oauth2']);
    expect(flag(k3d, 'cookie-domain')).toEqual(['.platform.localhost']);
    expect(flag(k3d, 'cookie-secure')).toEqual(['true']);
    expect(flag(k3d, 'cookie-httponly')).toEqual(['true']);
    expect(flag(k3d, 'cookie-samesite')).toEqual(['lax']);
    expect(flag(k3d, 'whitelist-domain')).toEqual(['.platform.localhost']);
    expect(flag(buildFor('k3d', { prefix: 'acme' }), 'cookie-name')).toEqual(['_acme_oauth2']);
  });

  it('also accepts return URLs on the k3d host port when it is not 443', () => {
    const b = buildFor('k3d', { k3d: { httpsPort: 8443 } });
    expect(flag(b, 'whitelist-domain')).toEqual(['.platform.localhost', '.platform.localhost:8443']);
  });

  it('ends sessions with the SSO session and refreshes them against Keycloak a minute before each access token expires', () => {
    // docs configuration/sessions: cookie_refresh := Access-Token lifespan - 1m (k3d: 300 s tokens).
    expect(flag(k3d, 'cookie-expire')).toEqual(['36000s']);
    expect(flag(k3d, 'cookie-refresh')).toEqual(['240s']);
    expect(flag(buildFor('k3d', { governance: { sessions: { accessTokenSeconds: 900 } } }), 'cookie-refresh')).toEqual(['840s']);
    const b = buildFor('k3d', { governance: { sessions: { accessTokenSeconds: 900, ssoIdleSeconds: 600, ssoMaxSeconds: 1200 } } });
    // oauth2-proxy rejects a refresh period that is not below the expiry: at most half the session.
    expect(flag(b, 'cookie-expire')).toEqual(['1200s']);
    expect(flag(b, 'cookie-refresh')).toEqual(['600s']);
  });

  it('refreshes strictly before the access token lapses for every lifespan the config allows (60 s to an hour), never disabled', () => {
    for (let access = 60; access <= 3600; access += 30)
      for (const ssoMax of [600, 3600, 604800]) {
        const refresh = cookieRefreshSeconds(access, ssoMax);
        expect([access, ssoMax, refresh > 0 && refresh < access && refresh < ssoMax]).toEqual([access, ssoMax, true]);
        if (access > 120 && access - 60 <= ssoMax / 2) expect(refresh).toBe(access - 60);
      }
    // Two minutes or less: half the lifespan (a minute off a one-minute token would disable refresh).
    expect(cookieRefreshSeconds(60, 36000)).toBe(30);
    expect(cookieRefreshSeconds(120, 36000)).toBe(60);
  });

  it('listens on all interfaces for Traefik and for scrapes', () => {
    expect(flag(k3d, 'http-address')).toEqual(['0.0.0.0:4180']);
    expect(flag(k3d, 'metrics-address')).toEqual(['0.0.0.0:44180']);
    const decl = k3d.services.find((s) => s.declaration.name === OAUTH2_PROXY_SERVICE)!.declaration;
    expect(decl.metrics).toEqual({ port: 'metrics', path: '/metrics' });
    expect(decl.publicHost).toBeUndefined();
  });
});

describe('oauth2-proxy secrets', () => {
  it('reads the client and cookie secrets as files from Secrets, and the client id by reference, never as values', () => {
    const c = container(k3d);
    expect(flag(k3d, 'client-secret-file')).toEqual(['/etc/oauth2-proxy/client-secret']);
    expect(flag(k3d, 'cookie-secret-file')).toEqual(['/etc/oauth2-proxy/cookie-secret']);
    expect(c.volumeMounts).toContainEqual({ name: 'secrets', mountPath: '/etc/oauth2-proxy', readOnly: true });
    const volume = deployment(k3d).spec.template.spec.volumes.find((v: any) => v.name === 'secrets');
    expect(volume.projected.sources).toEqual([
      { secret: { name: oidcSecretName('oauth2-proxy'), items: [{ key: 'client-secret', path: 'client-secret' }] } },
      { secret: { name: 'oauth2-proxy-cookie', items: [{ key: 'cookie-secret', path: 'cookie-secret' }] } },
      // Keycloak's CA, and only it from Keycloak's TLS Secret (never the key).
      { secret: { name: 'keycloak-tls', items: [{ key: 'ca.crt', path: 'identity-ca.crt' }] } },
    ]);
    expect(envValue(c, 'OAUTH2_PROXY_CLIENT_ID').valueFrom.secretKeyRef).toEqual({ name: 'oauth2-proxy-oidc', key: 'client-id' });
    expect(c.env.filter((e: any) => e.value !== undefined)).toEqual([]);
    expect(args(k3d).filter((a) => /^--(client-secret|cookie-secret)=/.test(a))).toEqual([]);
  });

  it('plans a generated 32-character cookie secret, a length oauth2-proxy accepts for AES', () => {
    const plan = k3d.services
      .find((s) => s.declaration.name === OAUTH2_PROXY_SERVICE)!
      .secrets.find((p) => p.name === 'oauth2-proxy-cookie')!;
    expect(plan.namespace).toBe('platform-governance');
    expect(plan.data['cookie-secret']).toEqual({ kind: 'random', id: 'oauth2-proxy/cookie-secret', length: 32 });
    // What the render path generates: read as base64url (24 bytes) or raw (32 bytes), either is an AES key size.
    const sample = generatePassword(32);
    expect([16, 24, 32]).toContain(Buffer.from(sample, 'base64url').length);
    expect([16, 24, 32]).toContain(Buffer.byteLength(sample));
  });

  it('finds its OIDC client Secret planned by the realm, with both keys, in its namespace', () => {
    const b = buildFor('k3d', LLDAP_ON);
    const secret = plannedSecrets(b).find((s) => s.metadata.name === 'oauth2-proxy-oidc' && s.metadata.namespace === 'platform-governance');
    expect(Object.keys(secret?.data ?? {}).sort()).toEqual(['client-id', 'client-secret']);
  });
});

describe('oauth2-proxy workload', () => {
  it('runs the pinned image as the distroless nonroot user, checked on /ready and /ping', () => {
    const pod = deployment(k3d).spec.template.spec;
    expect(container(k3d).image).toMatch(/^quay\.io\/oauth2-proxy\/oauth2-proxy:v7\.\d+\.\d+$/);
    expect(pod.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, runAsNonRoot: true });
    expect(container(k3d).readinessProbe.httpGet).toEqual({ path: '/ready', port: 4180 });
    expect(container(k3d).livenessProbe.httpGet).toEqual({ path: '/ping', port: 4180 });
  });

  it('sizes replicas by profile, stateless, with a disruption budget when there are several', () => {
    const replicas = (sizing: string) => deployment(buildFor('k3d', { sizing })).spec.replicas;
    expect([replicas('small'), replicas('medium'), replicas('large')]).toEqual([1, 2, 3]);
    expect(objectsOf(k3d, OAUTH2_PROXY_SERVICE).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    find(objectsOf(eks, OAUTH2_PROXY_SERVICE), 'PodDisruptionBudget', 'oauth2-proxy');
  });

  it('reaches Keycloak on its back-channel port only', () => {
    const egress = find(objectsOf(k3d, OAUTH2_PROXY_SERVICE), 'NetworkPolicy', 'oauth2-proxy-egress').spec.egress;
    const toKeycloak = egress.filter((r: any) =>
      r.to.some((p: any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === 'keycloak'),
    );
    expect(toKeycloak.map((r: any) => r.ports)).toEqual([[{ protocol: 'TCP', port: 8443 }]]);
    expect(egress.some((r: any) => r.to.some((p: any) => p.ipBlock))).toBe(false);
  });

  it('is reached by Traefik on its HTTP port once a host signs in with forward-auth', () => {
    const fromTraefik = (b: PlatformBuild) =>
      find(objectsOf(b, OAUTH2_PROXY_SERVICE), 'NetworkPolicy', 'oauth2-proxy-ingress').spec.ingress.filter((r: any) =>
        r.from.some((p: any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === 'traefik'),
      );
    expect(fromTraefik(buildFor('k3d', LLDAP_ON)).map((r: any) => r.ports)).toEqual([[{ protocol: 'TCP', port: 4180 }]]);
  });
});

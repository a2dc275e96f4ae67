// Browsers reach a k3d cluster on the host port it maps to the edge's 443: every URL a browser is
// sent to (issuer, redirect URIs, the HTTP->HTTPS redirect, app base URLs) carries that port.
import { oidcClients } from '../../../components/governance/keycloak/clients';
import { issuerUrl } from '../../../components/governance/contract';
import { buildFor, containerOf, envValue, find, objectsOf } from '../../helpers/build';

const onPort = buildFor('k3d', { k3d: { httpsPort: 8443, httpPort: 8080 } });
const standard = buildFor('k3d');
const traefikArgs = (b: typeof onPort) => containerOf(find(objectsOf(b, 'traefik'), 'Deployment', 'traefik'), 'traefik').args;

describe('public URLs on a k3d cluster mapped to another host port', () => {
  it('puts the port in the issuer Keycloak announces', () => {
    expect(issuerUrl(onPort.config)).toBe('https://identity.platform.localhost:8443/realms/platform');
    const keycloak = containerOf(find(objectsOf(onPort, 'keycloak'), 'Deployment', 'keycloak'), 'keycloak');
    expect(envValue(keycloak, 'KC_HOSTNAME').value).toBe('https://identity.platform.localhost:8443');
  });

  it('puts the port in every redirect URI and web origin of the realm clients', () => {
    const clients = oidcClients(
      onPort.config,
      onPort.services.map((s) => s.declaration),
    );
    const urls = clients.flatMap((c) => [...c.redirectUris, ...c.webOrigins]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(new URL(url).port).toBe('8443');
  });

  it('redirects plain HTTP to the HTTPS port browsers use', () => {
    expect(traefikArgs(onPort)).toContain('--entryPoints.web.http.redirections.entryPoint.to=:8443');
    expect(traefikArgs(standard)).toContain('--entryPoints.web.http.redirections.entryPoint.to=:443');
  });

  it('leaves the port out when it is 443', () => {
    expect(issuerUrl(standard.config)).toBe('https://identity.platform.localhost/realms/platform');
    const urls = oidcClients(
      standard.config,
      standard.services.map((s) => s.declaration),
    ).flatMap((c) => c.redirectUris);
    for (const url of urls) expect(new URL(url).port).toBe('');
  });
});

import { oidcClients } from '../../../../components/governance/keycloak/clients';
import { withDefaults, ServiceDeclaration } from '../../../../components/platform/service';
import { configFor } from '../../../helpers/build';

const config = configFor('k3d');
const svc = (name: string, publicHost?: ServiceDeclaration['publicHost']): ServiceDeclaration =>
  withDefaults({
    name,
    layer: 'analytics',
    description: name,
    images: [],
    ports: [{ name: 'http', port: 8080 }],
    resources: {},
    publicHost,
  });

describe('OIDC clients are derived from the public hosts', () => {
  const services = [
    svc('superset', { name: 'bi', port: 'http', signIn: 'native-oidc', redirectPaths: ['/oauth-authorized/keycloak'] }),
    svc('mlflow', { name: 'experiments', port: 'http', signIn: 'forward-auth', allowedRoles: ['admin', 'engineer'] }),
    svc('litellm', { name: 'llm', port: 'http', signIn: 'forward-auth' }),
    svc('seaweedfs', { name: 'storage', port: 'http', signIn: 'none' }),
    svc('polaris'),
  ];
  const clients = oidcClients(config, services);

  it('gives a native-oidc service its own client, redirecting only to its own host', () => {
    const superset = clients.find((c) => c.clientId === 'superset')!;
    expect(superset.service).toBe('superset');
    expect(superset.redirectUris).toEqual(['https://bi.platform.localhost/oauth-authorized/keycloak']);
    expect(superset.webOrigins).toEqual(['https://bi.platform.localhost']);
    expect(superset.allowedRoles.superset).toEqual(['admin', 'engineer', 'analyst', 'user', 'viewer']);
  });

  it('signs every forward-auth service in through the one oauth2-proxy client, with a callback on each protected host', () => {
    const proxy = clients.find((c) => c.clientId === 'oauth2-proxy')!;
    expect(proxy.signsIn).toEqual(['mlflow', 'litellm']);
    expect(proxy.redirectUris).toEqual([
      'https://experiments.platform.localhost/oauth2/callback',
      'https://llm.platform.localhost/oauth2/callback',
    ]);
    expect(proxy.allowedRoles.mlflow).toEqual(['admin', 'engineer']);
  });

  it('makes no client for hosts without sign-in or services without a host, and exactly one per signing-in service', () => {
    expect(clients.map((c) => c.clientId)).toEqual(['superset', 'oauth2-proxy']);
    const coverage = clients.flatMap((c) => c.signsIn).sort();
    expect(coverage).toEqual(['litellm', 'mlflow', 'superset']);
  });

  it('gives a running oauth2-proxy its client even before anything signs in through it', () => {
    expect(oidcClients(config, [services[0]]).map((c) => c.clientId)).toEqual(['superset']);
    const idle = oidcClients(config, [services[0], svc('oauth2-proxy')]).find((c) => c.clientId === 'oauth2-proxy')!;
    expect(idle.redirectUris).toEqual([]);
  });
});

describe('machine identities and audiences are derived from the declarations', () => {
  const acting = (name: string, extra: Partial<ServiceDeclaration>): ServiceDeclaration => ({ ...svc(name), ...extra });
  const trino = acting('trino', {
    publicHost: { name: 'federation', port: 'http', signIn: 'native-oidc', redirectPaths: ['/oauth2/callback'] },
    serviceAccount: { roles: [], realmManagement: ['view-users'] },
  });
  const dbt = acting('dbt', { serviceAccount: { roles: ['engineer'], realmManagement: [] }, edges: [{ to: 'trino', port: 'http' }] });
  const superset = acting('superset', {
    publicHost: { name: 'bi', port: 'http', signIn: 'native-oidc', redirectPaths: ['/oauth-authorized/keycloak'] },
    edges: [{ to: 'trino', port: 'http' }],
  });
  const polaris = acting('polaris', { edges: [{ to: 'trino', port: 'http' }] });
  const clients = oidcClients(config, [trino, dbt, superset, polaris]);
  const byId = (id: string) => clients.filter((c) => c.clientId === id);

  it("gives a signing-in service with a service account one client that does both, with the service's roles", () => {
    expect(byId('trino')).toHaveLength(1);
    expect(byId('trino')[0]).toMatchObject({ browserSignIn: true, serviceAccount: { roles: [], realmManagement: ['view-users'] } });
  });

  it('gives a service acting only as itself a client of its own, with no browser sign-in and no redirect', () => {
    expect(byId('dbt')).toEqual([
      {
        clientId: 'dbt',
        service: 'dbt',
        signsIn: [],
        redirectUris: [],
        webOrigins: [],
        postLogoutRedirectUris: [],
        allowedRoles: {},
        browserSignIn: false,
        serviceAccount: { roles: ['engineer'], realmManagement: [] },
        audiences: ['trino'],
      },
    ]);
  });

  it('gives no service account and no client to services that do not declare one and do not sign users in', () => {
    expect(byId('superset')[0].serviceAccount).toBeUndefined();
    expect(byId('polaris')).toEqual([]);
    expect(clients.map((c) => c.clientId)).toEqual(['trino', 'superset', 'dbt']);
  });

  it('names in its audience the client of every service its service connects to, and only those', () => {
    expect(byId('superset')[0].audiences).toEqual(['trino']);
    expect(byId('trino')[0].audiences).toEqual([]);
    const alone = oidcClients(config, [dbt]);
    expect(alone[0].audiences).toEqual([]);
  });
});

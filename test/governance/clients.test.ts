import { oidcClients } from '../../components/governance/clients';
import { withDefaults, ServiceDeclaration } from '../../components/platform/service';
import { configFor } from '../helpers/build';

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

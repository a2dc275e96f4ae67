import { effectiveEdges, graphProblems } from '../../../components/platform/graph';
import { withDefaults, ServiceDeclaration } from '../../../components/platform/service';
import { configFor } from '../../helpers/build';

const config = configFor('k3d');
const svc = (name: string, extra: Partial<ServiceDeclaration> = {}): ServiceDeclaration =>
  withDefaults({ name, layer: 'compute', description: name, images: [], ports: [{ name: 'http', port: 8080 }], resources: {}, ...extra });
const edge = svc('traefik', { layer: 'edge' });
const pg = svc('postgres-platform', { layer: 'storage', ports: [{ name: 'postgres', port: 5432 }] });

describe('the service graph is checked before anything is built', () => {
  it('accepts a consistent graph', () => {
    expect(graphProblems([edge, pg, svc('a', { edges: [{ to: 'postgres-platform', port: 'postgres' }] })], config)).toEqual([]);
  });

  it('names a connection to a service that is not enabled', () => {
    expect(graphProblems([edge, svc('a', { edges: [{ to: 'trino', port: 'http' }] })], config)).toEqual([
      'the compute layer\'s "a" connects to "trino" (port "http"), but no layer of this platform runs "trino" and no external endpoint ' +
        'is configured for it: add the layer that runs "trino", or give its endpoint as external.trino',
    ]);
  });

  it('names a connection to a port the target does not declare', () => {
    expect(graphProblems([edge, pg, svc('a', { edges: [{ to: 'postgres-platform', port: 'http' }] })], config)).toEqual([
      'service "a": connects to "postgres-platform" on port "http", which "postgres-platform" does not declare',
    ]);
  });

  it('derives the database edge from a database declaration, and reports a missing instance', () => {
    expect(graphProblems([edge, svc('a', { databases: [{ instance: 'platform', database: 'a', access: 'owner' }] })], config)).toEqual([
      expect.stringMatching(
        /^the compute layer's "a" connects to "postgres-platform" \(port "postgres"\), but no layer of this platform runs/,
      ),
    ]);
  });

  it('refuses two services on one public host', () => {
    const host = { name: 'bi', port: 'http', signIn: 'none' as const };
    expect(graphProblems([edge, svc('a', { publicHost: host }), svc('b', { publicHost: host })], config)).toEqual([
      'public host "bi.platform.localhost" is claimed by both "a" and "b"',
    ]);
  });

  it('refuses forward-auth sign-in without a forward-auth provider', () => {
    expect(graphProblems([edge, svc('a', { publicHost: { name: 'x', port: 'http', signIn: 'forward-auth' } })], config)).toEqual([
      'service "a": signs in with forward-auth, but no forward-auth provider (oauth2-proxy) is enabled',
    ]);
  });

  it('refuses a public host or metrics endpoint on an undeclared port', () => {
    expect(
      graphProblems(
        [edge, svc('a', { publicHost: { name: 'x', port: 'web', signIn: 'none' }, metrics: { port: 'prom', path: '/metrics' } })],
        config,
      ),
    ).toEqual([
      'service "a": public host port "web" is not one of its ports (http)',
      'service "a": metrics port "prom" is not one of its ports (http)',
    ]);
  });

  it('refuses public hosts without the edge', () => {
    expect(graphProblems([svc('a', { publicHost: { name: 'x', port: 'http', signIn: 'none' } })], config)).toContain(
      'public hosts are declared but the edge service "traefik" is not enabled',
    );
  });

  it('refuses native-oidc sign-in without the identity provider or without redirect paths', () => {
    const host = { name: 'x', port: 'http', signIn: 'native-oidc' as const };
    expect(graphProblems([edge, svc('a', { publicHost: host })], config)).toEqual([
      'service "a": signs in with native-oidc, but the identity provider (keycloak) is not enabled',
      'service "a": signs in with native-oidc but declares no redirectPaths for its OIDC client',
    ]);
  });

  it('refuses allowedRoles on a native-oidc host, where nothing would enforce them', () => {
    const host = { name: 'x', port: 'http', signIn: 'native-oidc' as const, redirectPaths: ['/cb'], allowedRoles: ['admin' as const] };
    const keycloak = svc('keycloak', {
      ports: [
        { name: 'http', port: 8080 },
        { name: 'https', port: 8443 },
      ],
    });
    expect(graphProblems([edge, keycloak, svc('a', { publicHost: host })], config)).toEqual([
      'service "a": allowedRoles is enforced only for forward-auth sign-in; a native-oidc service maps roles itself',
    ]);
  });

  it('refuses sign-in settings on a host without sign-in', () => {
    expect(
      graphProblems([edge, svc('a', { publicHost: { name: 'x', port: 'http', signIn: 'none', allowedRoles: ['admin'] } })], config),
    ).toEqual(['service "a": declares redirectPaths or allowedRoles but its sign-in is "none"']);
  });

  it('derives the back-channel edge (TLS only, `https`) to the identity provider and the edge to the forward-auth provider', () => {
    const keycloak = svc('keycloak', {
      layer: 'governance',
      ports: [
        { name: 'http', port: 8080 },
        { name: 'https', port: 8443 },
      ],
    });
    const proxy = svc('oauth2-proxy', { layer: 'governance' });
    const app = svc('a', { publicHost: { name: 'x', port: 'http', signIn: 'native-oidc', redirectPaths: ['/callback'] } });
    const protectedApp = svc('b', { publicHost: { name: 'y', port: 'http', signIn: 'forward-auth' } });
    const all = [edge, keycloak, proxy, app, protectedApp];
    expect(graphProblems(all, config)).toEqual([]);
    expect(effectiveEdges(app, config, all)).toContainEqual({ to: 'keycloak', port: 'https' });
    expect(effectiveEdges(app, config, all)).not.toContainEqual({ to: 'keycloak', port: 'http' });
    expect(effectiveEdges(edge, config, all)).toContainEqual({ to: 'oauth2-proxy', port: 'http' });
    expect(effectiveEdges(edge, config, [edge, keycloak, proxy, app])).not.toContainEqual({ to: 'oauth2-proxy', port: 'http' });
    // Every holder of a client talks to the back channel: the forward-auth provider and machine identities too.
    const robot = svc('robot', { serviceAccount: { roles: ['engineer'], realmManagement: [] } });
    expect(effectiveEdges(proxy, config, [...all, robot])).toContainEqual({ to: 'keycloak', port: 'https' });
    expect(effectiveEdges(robot, config, [...all, robot])).toContainEqual({ to: 'keycloak', port: 'https' });
    expect(effectiveEdges(protectedApp, config, all).filter((e) => e.to === 'keycloak')).toEqual([]);
  });

  it('makes an ifEnabled edge only while its target runs, and reports nothing when it does not', () => {
    const gateway = svc('litellm', { layer: 'ai' });
    const app = svc('a', { edges: [{ to: 'litellm', port: 'http', ifEnabled: true }] });
    expect(graphProblems([edge, app], config)).toEqual([]);
    expect(effectiveEdges(app, config, [edge, app])).toEqual([]);
    expect(effectiveEdges(app, config, [edge, app, gateway])).toEqual([{ to: 'litellm', port: 'http', ifEnabled: true }]);
    expect(graphProblems([edge, svc('b', { edges: [{ to: 'litellm', port: 'grpc', ifEnabled: true }] }), gateway], config)).toEqual([
      'service "b": connects to "litellm" on port "grpc", which "litellm" does not declare',
    ]);
  });
});

// An Ingress per public service, derived from its public host: TLS at the edge with the platform
// certificate, and the forward-auth middleware when the service relies on it for sign-in.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { standardLabels } from '../base/labels';
import type { PlatformConfig } from '../../environments/schema';
import type { BuildContext } from './context';
import type { ServiceDeclaration } from './service';

/** The Traefik file-provider middleware that signs users in for one `forward-auth` service (governance/oauth2-proxy/forward-auth.ts). */
export const signInMiddleware = (service: string): string => `sign-in-${service}`;
/** How an Ingress names that middleware: Traefik's `<name>@<provider>`. */
export const signInMiddlewareRef = (service: string): string => `${signInMiddleware(service)}@file`;

export const ingressClassName = (ctx: BuildContext): string => ctx.config.prefix;

/** The public host of a service: `<function>.<domain>`. */
export const publicHostName = (host: { name: string }, domain: string): string => `${host.name}.${domain}`;

/** The HTTPS port browsers reach the edge on: 443, or the host port a k3d cluster maps to it. */
export const publicHttpsPort = (config: PlatformConfig): number => config.k3d?.httpsPort ?? 443;

/** What browsers put in the address bar for a public host, the port included when it is not 443. */
export function publicOrigin(config: PlatformConfig, host: { name: string }): string {
  const port = publicHttpsPort(config);
  return `https://${publicHostName(host, config.domain)}${port === 443 ? '' : `:${port}`}`;
}

export function publicRoute(scope: Construct, ctx: BuildContext, decl: ServiceDeclaration): void {
  const host = decl.publicHost;
  if (!host) return;
  const fqdn = publicHostName(host, ctx.config.domain);
  new k8s.KubeIngress(scope, 'route', {
    metadata: {
      name: decl.name,
      labels: standardLabels(ctx, decl, 'route'),
      annotations: {
        'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
        'traefik.ingress.kubernetes.io/router.tls': 'true',
        ...(host.signIn === 'forward-auth' ? { 'traefik.ingress.kubernetes.io/router.middlewares': signInMiddlewareRef(decl.name) } : {}),
      },
    },
    spec: {
      ingressClassName: ingressClassName(ctx),
      // No secretName: Traefik serves its default certificate, the platform's wildcard.
      tls: [{ hosts: [fqdn] }],
      rules: [
        {
          host: fqdn,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: decl.name, port: { name: host.port } } } }],
          },
        },
      ],
    },
  });
}

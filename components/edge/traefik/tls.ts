// The platform certificate, one wildcard for `<domain>` and `*.<domain>`, in each TLS mode:
// - `self-signed`: the delivery path (Pulumi's tls provider, or render locally) generates a
//   platform CA and the wildcard it signs, into `<prefix>-ca` and `<prefix>-wildcard-tls`;
// - `provided`: the user's kubernetes.io/tls Secret, named in config, in the edge namespace;
// - `cert-manager`: a Certificate for the user's ClusterIssuer; cert-manager writes the Secret.
// Traefik serves it as the default certificate of its file provider (see traefik.ts).
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { standardLabels } from '../../base/labels';
import type { BuildContext } from '../../platform/context';
import type { ServiceDeclaration } from '../../platform/service';
import type { TlsPlan } from '../../platform/tls';

export const wildcardSecretName = (prefix: string): string => `${prefix}-wildcard-tls`;
export const caSecretName = (prefix: string): string => `${prefix}-ca`;

/** cert-manager renews 15 days before the end of a 90-day certificate, like a public ACME CA. */
const CERTIFICATE_DURATION = '2160h';
const CERTIFICATE_RENEW_BEFORE = '360h';

/** Where the certificate comes from in this environment; the delivery paths read it from ctx.tls. */
export function tlsPlanFor(ctx: BuildContext, service: string): TlsPlan {
  const { tls, prefix, domain } = ctx.config;
  const common = { namespace: ctx.namespaceOf(service), service, dnsNames: [domain, `*.${domain}`] };
  switch (tls.mode) {
    case 'self-signed':
      return { mode: 'self-signed', secretName: wildcardSecretName(prefix), caSecretName: caSecretName(prefix), ...common };
    case 'provided':
      if (!tls.secretName)
        throw new Error('tls.secretName: required when tls.mode is "provided" (config validation should have caught this)');
      return { mode: 'provided', secretName: tls.secretName, ...common };
    case 'cert-manager':
      return { mode: 'cert-manager', secretName: wildcardSecretName(prefix), ...common };
  }
}

/** cert-manager mode only: the Certificate that makes cert-manager issue and renew the Secret. */
export function certificateObjects(scope: Construct, ctx: BuildContext, decl: ServiceDeclaration, plan: TlsPlan): void {
  if (plan.mode !== 'cert-manager') return;
  const issuer = ctx.config.tls.clusterIssuer;
  if (!issuer) throw new Error('tls.clusterIssuer: required when tls.mode is "cert-manager" (config validation should have caught this)');
  new ApiObject(scope, 'wildcard-certificate', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: plan.secretName, labels: standardLabels(ctx, decl, 'tls') },
    spec: {
      secretName: plan.secretName,
      dnsNames: plan.dnsNames,
      issuerRef: { name: issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      // A new key on every renewal; P-256 is accepted by every ACME CA and client.
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      duration: CERTIFICATE_DURATION,
      renewBefore: CERTIFICATE_RENEW_BEFORE,
    },
  });
}

/**
 * The certificate keys projected under `certs/` of the file provider's watched directory. Traefik
 * does not watch the certificate files it loads (traefik/traefik #5495 is open); it reads them again
 * on every reload of its configuration (pkg/provider/file/file.go loadFileConfig). The kubelet
 * renews a projected volume by swapping the `..data` symlink in the volume's root, which is the
 * directory Traefik watches in directory mode (traefik.ts), so a renewed Secret triggers a reload
 * that reads the new certificate: no restart, no sidecar.
 *
 * cert-manager issues asynchronously, so in that mode the Secret is optional: Traefik starts, serves
 * its built-in certificate until the Secret appears, then loads it. In the other modes the Secret
 * must exist before the pod starts (a missing user Secret keeps the pod Pending with a clear event).
 */
export function certificateProjection(plan: TlsPlan, dir: string): k8s.VolumeProjection {
  return {
    secret: {
      name: plan.secretName,
      optional: plan.mode === 'cert-manager' ? true : undefined,
      items: [
        { key: 'tls.crt', path: `${dir}/tls.crt` },
        { key: 'tls.key', path: `${dir}/tls.key` },
      ],
    },
  };
}

/** The file provider's TLS document: the default certificate and the TLS floor for every router. */
export function dynamicTlsConfig(certFile: string, keyFile: string): { tls: object } {
  return {
    tls: {
      stores: { default: { defaultCertificate: { certFile, keyFile } } },
      // sniStrict off: clients without SNI (health checkers, old tools) still get the wildcard.
      options: { default: { minVersion: 'VersionTLS12', sniStrict: false } },
    },
  };
}

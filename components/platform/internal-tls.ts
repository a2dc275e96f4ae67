// In-cluster TLS for a service's own port: a certificate for the names its Service answers to and
// the CA its clients trust, both derived from one random seed through the platform's internal CA
// (internal-ca.ts), so no key appears in a manifest and every Secret rendered from the seed agrees.
// A client in the service's namespace mounts the CA key of the service's own Secret; a client
// elsewhere gets a CA-only copy in its own namespace.
import type { BuildContext } from './context';
import { internalCertificates, InternalCaNames, InternalCertificates } from './internal-ca';
import type { SecretValueSource } from './secrets';

export interface InternalTls {
  service: string;
  /** The service's own Secret, holding its certificate, key and the CA. */
  secretName: string;
  /** The key the CA certificate is stored under, in that Secret and in every copy. */
  caKey: string;
  /** The random seed the CA and the certificate derive from. Rotation: a new id. */
  seedId: string;
  names: InternalCaNames;
}

const SEED_LENGTH = 64;

/** A Secret value rendered from the service's certificates, valid for `dnsNames` (its Service names by default). */
export function internalTlsValue(
  ctx: Pick<BuildContext, 'serviceDnsNames'>,
  tls: InternalTls,
  render: (pems: InternalCertificates) => string,
  dnsNames: string[] = ctx.serviceDnsNames(tls.service),
): SecretValueSource {
  return {
    kind: 'template',
    ids: [tls.seedId],
    seeds: { [tls.seedId]: SEED_LENGTH },
    render: (values) => render(internalCertificates(values[tls.seedId], tls.names, dnsNames)),
  };
}

/**
 * The Secret `client` mounts the service's CA from (key `tls.caKey`): the service's own in its
 * namespace (mount only that key), elsewhere `<client>-<service>-ca`, planned once in the client's.
 */
export function internalCaSecret(ctx: BuildContext, tls: InternalTls, client: string): string {
  const namespace = ctx.namespaceOf(client);
  if (namespace === ctx.namespaceOf(tls.service)) return tls.secretName;
  const name = `${client}-${tls.service}-ca`;
  if (!ctx.secrets.some((s) => s.name === name && s.namespace === namespace))
    ctx.addSecret({ name, namespace, service: client, data: { [tls.caKey]: internalTlsValue(ctx, tls, (pems) => pems.caCertificate) } });
  return name;
}

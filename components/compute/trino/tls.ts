// Trino's TLS material: the coordinator's certificate for the `https` port and the CA its clients
// trust, both derived from one random seed through the platform's internal CA
// (components/platform/internal-ca.ts), so no key appears in a manifest and every Secret rendered
// from the seed agrees. The coordinator mounts `tls.pem` from TRINO_TLS_SECRET; a client of the
// `https` port in another namespace (dbt) gets a CA-only copy through trinoCaSecret.
import type { k8s } from 'cdk8s-plus-28';
import type { BuildContext } from '../../platform/context';
import { internalCertificates } from '../../platform/internal-ca';
import type { SecretValueSource } from '../../platform/secrets';
import { TRINO_SERVICE } from './names';

/** The coordinator's HTTPS certificate and key (`tls.pem`) and the CA clients trust (`ca.crt`). */
export const TRINO_TLS_SECRET = 'trino-tls';
export const TRINO_CA_KEY = 'ca.crt';
export const TLS_PEM_KEY = 'tls.pem';
/** The seed the CA and the coordinator's certificate derive from. Rotation: a new id. */
const TLS_SEED_ID = 'trino/tls-ca-seed';
const TLS_SEED_LENGTH = 64;
const TLS_CA = { ca: { commonName: 'trino CA', keyLabel: 'trino-ca' }, leafKeyLabel: 'trino-coordinator' } as const;
/** Where the coordinator mounts its certificate and key. */
export const TLS_DIR = '/etc/trino-tls';

/** The names clients reach the coordinator by: its Service in every in-cluster form. */
export function trinoDnsNames(ctx: Pick<BuildContext, 'ownHost' | 'namespaceOf'>): string[] {
  const ns = ctx.namespaceOf(TRINO_SERVICE);
  return [ctx.ownHost(TRINO_SERVICE, TRINO_SERVICE), `${TRINO_SERVICE}.${ns}.svc`, `${TRINO_SERVICE}.${ns}`, TRINO_SERVICE];
}

/** A Secret value holding PEMs of Trino's CA and certificate (components/platform/internal-ca.ts). */
function tlsValue(ctx: BuildContext, render: (pems: ReturnType<typeof internalCertificates>) => string): SecretValueSource {
  const dnsNames = trinoDnsNames(ctx);
  return {
    kind: 'template',
    ids: [TLS_SEED_ID],
    seeds: { [TLS_SEED_ID]: TLS_SEED_LENGTH },
    render: (values) => render(internalCertificates(values[TLS_SEED_ID], TLS_CA, dnsNames)),
  };
}

/**
 * The Secret a client of the `https` port mounts Trino's CA from (key TRINO_CA_KEY): Trino's own
 * in Trino's namespace (mount only that key), elsewhere a CA-only copy planned in the client's.
 */
export function trinoCaSecret(ctx: BuildContext, client: string): string {
  const namespace = ctx.namespaceOf(client);
  if (namespace === ctx.namespaceOf(TRINO_SERVICE)) return TRINO_TLS_SECRET;
  const name = `${client}-trino-ca`;
  ctx.addSecret({ name, namespace, service: client, data: { [TRINO_CA_KEY]: tlsValue(ctx, (pems) => pems.caCertificate) } });
  return name;
}

/** The coordinator's certificate and key (one PEM file) and the CA, in Trino's namespace. */
export function planTlsSecret(ctx: BuildContext): void {
  ctx.addSecret({
    name: TRINO_TLS_SECRET,
    namespace: ctx.namespaceOf(TRINO_SERVICE),
    service: TRINO_SERVICE,
    data: {
      // Certificate, then key: one file for Trino's PEM keystore.
      [TLS_PEM_KEY]: tlsValue(ctx, (pems) => `${pems.certificate}${pems.privateKey}`),
      [TRINO_CA_KEY]: tlsValue(ctx, (pems) => pems.caCertificate),
    },
  });
}

/** Only the certificate and key file: the CA copy is for clients. */
export const tlsVolume = (): k8s.Volume => ({
  name: 'tls',
  secret: { secretName: TRINO_TLS_SECRET, defaultMode: 0o440, items: [{ key: TLS_PEM_KEY, path: TLS_PEM_KEY }] },
});

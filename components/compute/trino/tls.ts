// Trino's TLS material: the coordinator's certificate for the `https` port and the CA its clients
// trust, from the platform's internal TLS (components/platform/internal-tls.ts). The coordinator mounts `tls.pem` from TRINO_TLS_SECRET; a client of the
// `https` port in another namespace (dbt) gets a CA-only copy through trinoCaSecret.
import type { k8s } from 'cdk8s-plus-28';
import type { BuildContext } from '../../platform/context';
import { internalCaSecret, InternalTls, internalTlsValue } from '../../platform/internal-tls';
import { TRINO_SERVICE } from './names';

/** The coordinator's HTTPS certificate and key (`tls.pem`) and the CA clients trust (`ca.crt`). */
export const TRINO_TLS_SECRET = 'trino-tls';
export const TRINO_CA_KEY = 'ca.crt';
export const TLS_PEM_KEY = 'tls.pem';
const TRINO_TLS: InternalTls = {
  service: TRINO_SERVICE,
  secretName: TRINO_TLS_SECRET,
  caKey: TRINO_CA_KEY,
  seedId: 'trino/tls-ca-seed',
  names: { ca: { commonName: 'trino CA', keyLabel: 'trino-ca' }, leafKeyLabel: 'trino-coordinator' },
};
/** Where the coordinator mounts its certificate and key. */
export const TLS_DIR = '/etc/trino-tls';

/**
 * The Secret a client of the `https` port mounts Trino's CA from (key TRINO_CA_KEY): Trino's own
 * in Trino's namespace (mount only that key), elsewhere a CA-only copy planned in the client's.
 */
export const trinoCaSecret = (ctx: BuildContext, client: string): string => internalCaSecret(ctx, TRINO_TLS, client);

/** The coordinator's certificate and key (one PEM file) and the CA, in Trino's namespace. */
export function planTlsSecret(ctx: BuildContext): void {
  ctx.addSecret({
    name: TRINO_TLS_SECRET,
    namespace: ctx.namespaceOf(TRINO_SERVICE),
    service: TRINO_SERVICE,
    data: {
      // Certificate, then key: one file for Trino's PEM keystore.
      [TLS_PEM_KEY]: internalTlsValue(ctx, TRINO_TLS, (pems) => `${pems.certificate}${pems.privateKey}`),
      [TRINO_CA_KEY]: internalTlsValue(ctx, TRINO_TLS, (pems) => pems.caCertificate),
    },
  });
}

/** Only the certificate and key file: the CA copy is for clients. */
export const tlsVolume = (): k8s.Volume => ({
  name: 'tls',
  secret: { secretName: TRINO_TLS_SECRET, defaultMode: 0o440, items: [{ key: TLS_PEM_KEY, path: TLS_PEM_KEY }] },
});

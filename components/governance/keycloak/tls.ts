// Keycloak's in-cluster TLS: the certificate of its `https` port (the back channel: tokens, keys,
// userinfo, the admin API) and the CA its clients trust, from the platform's internal TLS
// (components/platform/internal-tls.ts), as Trino's are. A client in Keycloak's namespace mounts
// only the `ca.crt` key of KEYCLOAK_TLS_SECRET; one elsewhere gets a CA-only copy (identityCa). A Java client gets the CA as a PKCS12 truststore its init
// container writes (truststoreScript): Java has no PEM trust store type.
import type { k8s } from 'cdk8s-plus-28';
import type { BuildContext } from '../../platform/context';
import { internalCaSecret, InternalTls, internalTlsValue } from '../../platform/internal-tls';
// The contract re-exports this module: its top-level code must not read the contract's bindings.
import { KEYCLOAK_SERVICE } from '../contract';

/** The server's certificate (`tls.crt`), key (`tls.key`) and the CA (`ca.crt`), in Keycloak's namespace. */
export const KEYCLOAK_TLS_SECRET = 'keycloak-tls';
export const IDENTITY_CA_KEY = 'ca.crt';
// A function, not a constant: this module loads while the contract it reads is still loading.
const keycloakTls = (): InternalTls => ({
  service: KEYCLOAK_SERVICE,
  secretName: KEYCLOAK_TLS_SECRET,
  caKey: IDENTITY_CA_KEY,
  seedId: 'keycloak/tls-ca-seed',
  names: { ca: { commonName: 'keycloak CA', keyLabel: 'keycloak-ca' }, leafKeyLabel: 'keycloak-server' },
});

/** The server's certificate and key (PEM, PKCS#8 key: KC_HTTPS_CERTIFICATE_*_FILE) and the CA. */
export function planKeycloakTls(ctx: BuildContext): void {
  ctx.addSecret({
    name: KEYCLOAK_TLS_SECRET,
    namespace: ctx.namespaceOf(KEYCLOAK_SERVICE),
    service: KEYCLOAK_SERVICE,
    data: {
      'tls.crt': internalTlsValue(ctx, keycloakTls(), (pems) => pems.certificate),
      'tls.key': internalTlsValue(ctx, keycloakTls(), (pems) => pems.privateKey),
      [IDENTITY_CA_KEY]: internalTlsValue(ctx, keycloakTls(), (pems) => pems.caCertificate),
    },
  });
}

/** Where a client finds the CA Keycloak's back-channel certificate is signed by: a Secret in its own namespace, key `key`. */
export interface IdentityCa {
  secretName: string;
  key: typeof IDENTITY_CA_KEY;
}

/**
 * The CA a back-channel client of Keycloak trusts, planned for `client` (once, however often it is
 * asked for); undefined when the identity provider runs outside the platform, whose URL is trusted
 * as the client's system trusts it.
 */
export function identityCa(ctx: BuildContext, client: string): IdentityCa | undefined {
  if (!ctx.services.some((s) => s.name === KEYCLOAK_SERVICE)) return undefined;
  return { secretName: internalCaSecret(ctx, keycloakTls(), client), key: IDENTITY_CA_KEY };
}

/** A volume with the CA certificate only (never the key beside it in Keycloak's own Secret), as file IDENTITY_CA_KEY. */
export const identityCaVolume = (name: string, ca: IdentityCa): k8s.Volume => ({
  name,
  secret: { secretName: ca.secretName, defaultMode: 0o444, items: [{ key: ca.key, path: ca.key }] },
});

/** The Java trust store a truststoreScript writes: PKCS12, loaded without a password. */
export const TRUSTSTORE_TYPE = 'PKCS12';

/**
 * Shell commands (for a script under `set -eu`) that write `storeFile`, a PKCS12 trust store holding
 * the PEM certificate `caFile`, with keytool (found beside the JRE's java when not on PATH). The
 * store is neither encrypted nor integrity-protected (keystore.pkcs12.certProtectionAlgorithm and
 * macAlgorithm NONE: JDK security properties, which system properties of the same name override),
 * so a JVM loads it without a password; a password-protected store would load no certificate
 * without one (encrypted certificate bags are skipped). It holds only a public certificate, so the
 * password keytool insists on protects nothing and is not a secret. Rerunnable: it starts afresh.
 */
export function truststoreScript(caFile: string, storeFile: string, alias = 'keycloak-ca'): string {
  return `KEYTOOL=$(command -v keytool || echo "$(dirname "$(readlink -f "$(command -v java)")")/keytool")
rm -f "${storeFile}"
"$KEYTOOL" -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE \\
  -importcert -noprompt -alias ${alias} -file "${caFile}" \\
  -keystore "${storeFile}" -storetype ${TRUSTSTORE_TYPE} -storepass unprotected >/dev/null
echo "truststore ${storeFile} written with ${alias}"
`;
}

/** The JVM options that make `storeFile` the default trust (javax.net.ssl.*, JSSE reference guide). */
export const jvmTrustOptions = (storeFile: string): string =>
  `-Djavax.net.ssl.trustStore=${storeFile} -Djavax.net.ssl.trustStoreType=${TRUSTSTORE_TYPE}`;

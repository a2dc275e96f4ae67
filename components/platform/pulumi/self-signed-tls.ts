// `self-signed` TLS on the Pulumi path: a platform CA and a wildcard certificate from the tls
// provider, kept in state (not re-issued on every run) and stored as Secrets in the edge namespace.
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import type { TlsPlan } from '../tls';

export interface SelfSignedCertificate {
  caCertificate: pulumi.Output<string>;
  certificate: pulumi.Output<string>;
  privateKey: pulumi.Output<string>;
}

export function selfSignedCertificate(plan: TlsPlan, parent: pulumi.Resource): SelfSignedCertificate {
  const opts = { parent };
  const caKey = new tls.PrivateKey('platform-ca-key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, opts);
  const ca = new tls.SelfSignedCert(
    'platform-ca',
    {
      privateKeyPem: caKey.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: 24 * 3650,
      allowedUses: ['cert_signing', 'crl_signing'],
      subject: { commonName: `${plan.dnsNames[0]} platform CA`, organization: 'Sovereign Analytics Platform' },
    },
    opts,
  );
  const key = new tls.PrivateKey('platform-wildcard-key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, opts);
  const request = new tls.CertRequest(
    'platform-wildcard-request',
    { privateKeyPem: key.privateKeyPem, dnsNames: plan.dnsNames, subject: { commonName: plan.dnsNames[0] } },
    opts,
  );
  const certificate = new tls.LocallySignedCert(
    'platform-wildcard',
    {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      caCertPem: ca.certPem,
      validityPeriodHours: 24 * 397,
      earlyRenewalHours: 24 * 30,
      allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
    },
    opts,
  );
  return { caCertificate: ca.certPem, certificate: certificate.certPem, privateKey: pulumi.secret(key.privateKeyPem) };
}

// The search cluster's private CA and its node certificate, derived from one generated seed (see
// openmetadata-keys.ts), so both delivery paths render the same PEMs from the same stored value and
// no certificate ever has to be kept beside the seed. The node certificate serves both TLS layers:
// the REST layer (OpenMetadata and probes connect to it) and the transport layer, where every node
// is at once server and client, hence serverAuth and clientAuth. Rotation: plan a new seed id.
import * as crypto from 'node:crypto';
import forge from 'node-forge';
import { derivedRsaKey, lf, privateKeyPem } from './openmetadata-keys';

export interface SearchCertificates {
  caCertificate: string;
  certificate: string;
  /** PKCS#8: the security plugin reads only PKCS#8 PEM keys. */
  privateKey: string;
}

/** Fixed validity, so a render is a pure function of the seed: from 2025-01-01 for 20 years. */
const NOT_BEFORE = new Date(Date.UTC(2025, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2045, 0, 1));
const ORGANIZATION = 'Sovereign Analytics Platform';

/** A positive serial number from the seed and a label, as hex. */
const serial = (seed: string, label: string): string =>
  `01${crypto.createHash('sha256').update(`serial:${label}:${seed}`).digest('hex').slice(0, 30)}`;

function issue(
  cert: forge.pki.Certificate,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  publicKey: forge.pki.PublicKey,
): forge.pki.Certificate {
  cert.publicKey = publicKey;
  cert.validity.notBefore = NOT_BEFORE;
  cert.validity.notAfter = NOT_AFTER;
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}

const cache = new Map<string, SearchCertificates>();

/** The CA and a node certificate for `dnsNames` (the first one is the subject CN, the node DN). */
export function searchCertificates(seed: string, dnsNames: string[]): SearchCertificates {
  const cacheKey = `${dnsNames.join(',')}\u0000${seed}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const caKey = derivedRsaKey(seed, 'search-ca');
  const caSubject = [
    { name: 'commonName', value: 'search CA' },
    { name: 'organizationName', value: ORGANIZATION },
  ];
  const ca = issue(forge.pki.createCertificate(), caSubject, caSubject, caKey.publicKey);
  ca.serialNumber = serial(seed, 'ca');
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey.privateKey, forge.md.sha256.create());

  const nodeKey = derivedRsaKey(seed, 'search-node');
  const node = issue(forge.pki.createCertificate(), [{ name: 'commonName', value: dnsNames[0] }], caSubject, nodeKey.publicKey);
  node.serialNumber = serial(seed, `node:${dnsNames.join(',')}`);
  node.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: [...dnsNames.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  node.sign(caKey.privateKey, forge.md.sha256.create());

  const result = {
    caCertificate: lf(forge.pki.certificateToPem(ca)),
    certificate: lf(forge.pki.certificateToPem(node)),
    privateKey: privateKeyPem(nodeKey),
  };
  cache.set(cacheKey, result);
  return result;
}

/** The subject DN OpenSearch sees for the node certificate (plugins.security.nodes_dn). */
export const nodeDistinguishedName = (dnsNames: string[]): string => `CN=${dnsNames[0]}`;

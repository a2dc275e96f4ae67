// A private CA and one leaf certificate it signs, derived from one generated seed (see the RSA
// helpers in components/platform/seeded-keys.ts), so both delivery paths render the same
// PEMs from the same stored value and no certificate ever has to be kept beside the seed. Used for
// in-cluster TLS: clients trust the CA certificate, the server presents the leaf. Rotation: plan a
// new seed id.
import * as crypto from 'node:crypto';
import forge from 'node-forge';
import { derivedRsaKey, lf, privateKeyPem } from './seeded-keys';

export interface InternalCertificates {
  caCertificate: string;
  certificate: string;
  /** PKCS#8 ("BEGIN PRIVATE KEY"), unencrypted. */
  privateKey: string;
}

export interface InternalCaNames {
  /** The CA's common name, and the label its key derives from. */
  ca: { commonName: string; keyLabel: string };
  /** The label the leaf's key derives from. */
  leafKeyLabel: string;
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

const cache = new Map<string, InternalCertificates>();

/**
 * The CA and a leaf certificate for `dnsNames` (the first one is the subject CN) and 127.0.0.1,
 * usable as server and client (serverAuth, clientAuth).
 */
export function internalCertificates(seed: string, names: InternalCaNames, dnsNames: string[]): InternalCertificates {
  const cacheKey = [names.ca.commonName, names.ca.keyLabel, names.leafKeyLabel, dnsNames.join(','), seed].join('\u0000');
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const caKey = derivedRsaKey(seed, names.ca.keyLabel);
  const caSubject = [
    { name: 'commonName', value: names.ca.commonName },
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

  const leafKey = derivedRsaKey(seed, names.leafKeyLabel);
  const leaf = issue(forge.pki.createCertificate(), [{ name: 'commonName', value: dnsNames[0] }], caSubject, leafKey.publicKey);
  leaf.serialNumber = serial(seed, `node:${dnsNames.join(',')}`);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: [...dnsNames.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  leaf.sign(caKey.privateKey, forge.md.sha256.create());

  const result = {
    caCertificate: lf(forge.pki.certificateToPem(ca)),
    certificate: lf(forge.pki.certificateToPem(leaf)),
    privateKey: privateKeyPem(leafKey),
  };
  cache.set(cacheKey, result);
  return result;
}

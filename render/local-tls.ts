// A platform CA and a wildcard certificate made on this machine for `self-signed` TLS. Kept
// across renders; the certificate is made again only when its names change or it nears expiry.
import * as crypto from 'node:crypto';
import forge from 'node-forge';

export interface TlsMaterial {
  caCertificate: string;
  caKey: string;
  certificate: string;
  key: string;
  dnsNames: string[];
}

const DAY = 24 * 3600 * 1000;

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  // Node's native generator is fast; forge only signs.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function serial(): string {
  return `01${crypto.randomBytes(15).toString('hex')}`;
}

function makeCa(commonName: string): { certificate: string; key: string } {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY);
  const subject = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Sovereign Analytics Platform' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certificate: forge.pki.certificateToPem(cert), key: keys.pem };
}

function makeLeaf(dnsNames: string[], ca: { certificate: string; key: string }): { certificate: string; key: string } {
  const caCert = forge.pki.certificateFromPem(ca.certificate);
  const caKey = forge.pki.privateKeyFromPem(ca.key);
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 397 * DAY);
  cert.setSubject([{ name: 'commonName', value: dnsNames[0] }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: dnsNames.map((value) => ({ type: 2, value })) },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certificate: forge.pki.certificateToPem(cert), key: keys.pem };
}

function stillGood(material: TlsMaterial | undefined, dnsNames: string[]): boolean {
  if (!material || material.dnsNames.join(',') !== dnsNames.join(',')) return false;
  const notAfter = forge.pki.certificateFromPem(material.certificate).validity.notAfter.getTime();
  return notAfter - Date.now() > 30 * DAY;
}

/** The CA survives renders (clients trust it once); the leaf is re-issued when needed. */
export function selfSignedMaterial(dnsNames: string[], previous?: TlsMaterial): TlsMaterial {
  if (stillGood(previous, dnsNames)) return previous!;
  const ca = previous ? { certificate: previous.caCertificate, key: previous.caKey } : makeCa(`${dnsNames[0]} platform CA`);
  const leaf = makeLeaf(dnsNames, ca);
  return { caCertificate: ca.certificate, caKey: ca.key, certificate: leaf.certificate, key: leaf.key, dnsNames };
}

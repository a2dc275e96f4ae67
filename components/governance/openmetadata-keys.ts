// Key material derived from generated seeds, so that a Secret template (components/platform/secrets.ts)
// can render it on either delivery path and get the same result every time: an RSA key pair from a
// seed (a deterministic generator keyed by SHA-256 of the seed), PEM encodings, RS256 JWTs,
// and Fernet keys. A seed of 64 random letters and digits carries about 380 bits, more than the
// 112-bit strength of RSA-2048; rotating a key means planning a new seed id.
import * as crypto from 'node:crypto';
import forge from 'node-forge';

const keys = new Map<string, forge.pki.rsa.KeyPair>();

/** A forge PRNG whose entropy is SHA-256(seed:label:counter): the same seed always yields the same key. */
function seededPrng(seed: string, label: string): forge.random.Random {
  const prng = forge.random.createInstance();
  let counter = 0;
  prng.seedFileSync = (needed: number) => {
    let out = '';
    while (out.length < needed) out += crypto.createHash('sha256').update(`${seed}:${label}:${counter++}`).digest('binary');
    return out.slice(0, needed);
  };
  return prng;
}

/** The RSA-2048 key pair a seed and a label stand for; generated once per process. */
export function derivedRsaKey(seed: string, label: string): forge.pki.rsa.KeyPair {
  const cacheKey = `${label}\u0000${seed}`;
  let pair = keys.get(cacheKey);
  if (!pair) {
    pair = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001, prng: seededPrng(seed, label), workers: -1 });
    keys.set(cacheKey, pair);
  }
  return pair;
}

/** forge writes PEM with CRLF; files and Secrets get plain LF. */
export const lf = (pem: string): string => pem.replace(/\r\n/g, '\n');

/** PKCS#8 PEM ("BEGIN PRIVATE KEY"), what Java's PKCS8EncodedKeySpec and OpenSearch read. */
export const privateKeyPem = (pair: forge.pki.rsa.KeyPair): string =>
  lf(forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(pair.privateKey))));

/** SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"), what Java's X509EncodedKeySpec reads. */
export const publicKeyPem = (pair: forge.pki.rsa.KeyPair): string => lf(forge.pki.publicKeyToPem(pair.publicKey));

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** A JWT signed with RS256 (RSASSA-PKCS1-v1_5, deterministic) by the key pair. */
export function signJwt(pair: forge.pki.rsa.KeyPair, keyId: string, claims: Record<string, unknown>): string {
  const input = `${base64url(JSON.stringify({ kid: keyId, typ: 'JWT', alg: 'RS256' }))}.${base64url(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), privateKeyPem(pair));
  return `${input}.${base64url(signature)}`;
}

/**
 * A Fernet key: 32 bytes (16 for signing, 16 for encryption), URL-safe base64 with padding, as the
 * Fernet spec and Python's cryptography require. A plain random string is not one; SHA-256 of the
 * seed gives exactly 32 uniformly distributed bytes.
 */
export const fernetKey = (seed: string): string =>
  crypto.createHash('sha256').update(`fernet:${seed}`).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');

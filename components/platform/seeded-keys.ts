// Key material derived from generated seeds, so that a Secret template (components/platform/secrets.ts)
// can render it on either delivery path and get the same result every time: an RSA key pair from a
// seed (primes drawn from a SHA-256 stream of the seed, tested by OpenSSL), PEM encodings, RS256 JWTs,
// and Fernet keys. A seed of 64 random letters and digits carries about 380 bits, more than the
// 112-bit strength of RSA-2048; rotating a key means planning a new seed id.
import * as crypto from 'node:crypto';
import forge from 'node-forge';

const keys = new Map<string, forge.pki.rsa.KeyPair>();

const E = 65537n;

/** Bytes from SHA-256(seed:label:counter): the same seed always yields the same stream. */
function seededStream(seed: string, label: string): (length: number) => Buffer {
  let counter = 0;
  return (length) => {
    const chunks: Buffer[] = [];
    for (let got = 0; got < length; got += 32) chunks.push(crypto.createHash('sha256').update(`${seed}:${label}:${counter++}`).digest());
    return Buffer.concat(chunks).subarray(0, length);
  };
}

/**
 * The odd primes below 2000 in groups whose product stays under 2^50, so a candidate's remainder
 * by a group's product is an exact Number and each prime of the group divides it with plain arithmetic.
 */
const SMALL_PRIME_GROUPS: { primes: number[]; product: bigint }[] = (() => {
  const primes: number[] = [];
  for (let n = 3; n < 2000; n += 2) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const groups: { primes: number[]; product: bigint }[] = [];
  for (const p of primes) {
    const last = groups[groups.length - 1];
    if (last && last.product * BigInt(p) < 2n ** 50n) {
      last.primes.push(p);
      last.product *= BigInt(p);
    } else groups.push({ primes: [p], product: BigInt(p) });
  }
  return groups;
})();

/** Divisible by a small odd prime: certainly composite at these sizes, without the native call. */
function hasSmallFactor(candidate: bigint): boolean {
  return SMALL_PRIME_GROUPS.some(({ primes, product }) => {
    const rest = Number(candidate % product);
    return primes.some((p) => rest % p === 0);
  });
}

/** The first prime of the stream with its top two bits set (so p*q has all 2048 bits) and p-1 prime to e. */
function derivedPrime(next: (length: number) => Buffer, bits: number): bigint {
  for (;;) {
    const bytes = next(bits / 8);
    bytes[0] |= 0xc0;
    bytes[bytes.length - 1] |= 1;
    const candidate = BigInt(`0x${bytes.toString('hex')}`);
    // A cheap sieve first (it only skips composites, so the prime found is the same), then OpenSSL's
    // test (trial division, then Miller-Rabin): native, so a key takes milliseconds, not seconds.
    if ((candidate - 1n) % E !== 0n && !hasSmallFactor(candidate) && crypto.checkPrimeSync(candidate)) return candidate;
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r, oldS, s] = [((a % m) + m) % m, m, 1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const big = (n: bigint) => new forge.jsbn.BigInteger(n.toString(16), 16);

/** The RSA-2048 key pair a seed and a label stand for; generated once per process. */
export function derivedRsaKey(seed: string, label: string): forge.pki.rsa.KeyPair {
  const cacheKey = `${label}\u0000${seed}`;
  let pair = keys.get(cacheKey);
  if (!pair) {
    const next = seededStream(seed, label);
    const p = derivedPrime(next, 1024);
    let q = derivedPrime(next, 1024);
    while (q === p) q = derivedPrime(next, 1024);
    const n = p * q;
    const d = modInverse(E, (p - 1n) * (q - 1n));
    pair = {
      privateKey: forge.pki.setRsaPrivateKey(
        big(n),
        big(E),
        big(d),
        big(p),
        big(q),
        big(d % (p - 1n)),
        big(d % (q - 1n)),
        big(modInverse(q, p)),
      ),
      publicKey: forge.pki.setRsaPublicKey(big(n), big(E)),
    };
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

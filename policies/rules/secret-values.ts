// Values that are secrets whatever the variable or key holding them is called: private keys, tokens
// with a recognisable shape, passwords inside URLs, Authorization header values and, for a whole
// value, a long random-looking string. Callers report what was found, never the value itself.

/** PEM private keys of any flavour: RSA, EC, OPENSSH, ENCRYPTED, PKCS#8, PGP. */
export const PRIVATE_KEY = /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/i;

/** "-----BEGIN" base64-encoded: a PEM block stored base64 again (a common way into an env value). */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g;

/** Tokens whose prefix says what they are: low false-positive rates, each vendor documents the shape. */
const TOKEN_SHAPES: [RegExp, string][] = [
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/, 'a GitLab token'],
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, 'an AWS access key ID'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b[rs]k_live_[A-Za-z0-9]{20,}\b/, 'a Stripe live key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\bhf_[A-Za-z0-9]{34,}\b/, 'a Hugging Face token'],
  [/\bsk-(?:proj|ant|svcacct|admin)-[A-Za-z0-9_-]{20,}|\bsk-[A-Za-z0-9]{48}\b/, 'an API secret key (sk-...)'],
];

/** header.payload.signature, base64url, with a JSON header naming an algorithm. */
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

/** scheme://user:password@host, where the password is not a reference ($(VAR), ${VAR}, {{ template }}, %s, <placeholder>, ***). */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/gi;
/** ?password=..., &token=...: credentials in a URL's query (JDBC URLs take them so). */
const QUERY_CREDENTIALS = /[?&;](?:password|passwd|pwd|secret|client_secret|token|access_token|api_?key)=([^&;\s"']+)/gi;
const REFERENCE = /^(\$[({]|\$[A-Z_]|\{\{|%|<|\*+$)/i;

/** An Authorization header value: a scheme and a credential long enough to be real. */
const AUTHORIZATION = /^(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{16,})$/i;

const decodeBase64 = (text: string): Buffer | undefined => {
  try {
    return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  } catch {
    return undefined;
  }
};

function isJwt(token: string): boolean {
  const header = decodeBase64(token.split('.')[0])?.toString('utf8');
  try {
    const parsed = JSON.parse(header ?? '');
    return !!parsed && typeof parsed === 'object' && typeof parsed.alg === 'string';
  } catch {
    return false;
  }
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.values()].reduce((sum, n) => sum - (n / text.length) * Math.log2(n / text.length), 0);
}

const charClass = (c: string) => (/[A-Z]/.test(c) ? 'U' : /[a-z]/.test(c) ? 'l' : /[0-9]/.test(c) ? 'd' : 's');

/**
 * DER that starts SEQUENCE, SEQUENCE is a certificate or a public key (SubjectPublicKeyInfo), which
 * are not secrets; private keys start SEQUENCE, INTEGER (the version).
 */
function isPublicDer(text: string): boolean {
  if (!text.startsWith('MI')) return false;
  const der = decodeBase64(text);
  if (!der || der[0] !== 0x30) return false;
  const lengthBytes = der[1] & 0x80 ? der[1] & 0x7f : 0;
  return der[2 + lengthBytes] === 0x30;
}

/**
 * A generated key or token as a whole value: one token of 32 to 1024 base64/base64url characters
 * mixing upper case, lower case and digits, with the entropy and the changes between character
 * classes of random data (random base62 of 32 characters has about 4.5 bits per character and changes
 * class at every other character; identifiers, camel-case words and version strings stay well below).
 * Hex-only strings (digests, UUIDs), certificates and public keys (PEM or DER, base64) are not judged.
 */
function isHighEntropy(value: string): boolean {
  if (!/^[A-Za-z0-9+/_=-]{32,1024}$/.test(value)) return false;
  if (value.startsWith('LS0tLS1CRUdJTi')) return false; // a base64 PEM block: private keys are found as such, certificates are public
  if (!/[A-Z]/.test(value) || !/[a-z]/.test(value) || !/[0-9]/.test(value)) return false;
  const body = value.replace(/=+$/, '');
  let changes = 0;
  for (let i = 1; i < body.length; i++) if (charClass(body[i]) !== charClass(body[i - 1])) changes++;
  return entropy(body) >= 4 && changes / (body.length - 1) >= 0.4 && !isPublicDer(value);
}

/**
 * What secret-looking content a text holds ("a PEM private key", "a GitHub token", ...), each kind
 * once. With `wholeValue`, the text is one value (an env value) and is also judged as a whole:
 * an Authorization header value, or a high-entropy string.
 */
export function secretLooking(text: string, { wholeValue = false }: { wholeValue?: boolean } = {}): string[] {
  const found = new Set<string>();
  if (PRIVATE_KEY.test(text)) found.add('a PEM private key');
  for (const encoded of text.match(BASE64_PEM) ?? [])
    if (PRIVATE_KEY.test(decodeBase64(encoded)?.toString('latin1') ?? '')) found.add('a base64-encoded PEM private key');
  for (const [shape, what] of TOKEN_SHAPES) if (shape.test(text)) found.add(what);
  for (const token of text.match(JWT) ?? []) if (isJwt(token)) found.add('a JSON Web Token');
  for (const m of text.matchAll(URL_CREDENTIALS)) if (!REFERENCE.test(m[1])) found.add('a password inside a URL');
  for (const m of text.matchAll(QUERY_CREDENTIALS)) if (!REFERENCE.test(m[1])) found.add('a credential in a URL query');
  if (wholeValue) {
    const value = text.trim();
    if (AUTHORIZATION.test(value) && !REFERENCE.test(AUTHORIZATION.exec(value)![1])) found.add('an Authorization header credential');
    else if (!found.size && isHighEntropy(value)) found.add('a high-entropy string (a generated key or token)');
  }
  return [...found];
}

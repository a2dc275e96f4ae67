// The one scan for secret values in rendered output. Every environment is rendered for real into a
// temporary directory (as `npm run render` does), the values the render generated are read back from
// <out>/secrets (values.json and the Secret objects of secrets.yaml, decoded), and every other file
// under <out> is searched for each of them: the generated passwords and seeds, and what is derived
// from them (PEM private keys, Fernet keys, signed JWTs, credential files), each as is and in
// base64, each private key also by its PEM body (however it is wrapped or indented). Any URL that
// carries a user and password is refused as well, whatever its value.
//
// What is secret is judged from the files: every Secret value is, except the ones the model plans
// as literals (user names, hosts, ports: `kind: 'literal'`, checked below not to be named like a
// credential); a value made only of certificates and public keys is not. Failures name the file,
// the object and the value's id, never the value.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { readImageLock } from '../../components/images';
import { loadEnvironment, renderEnvironment } from '../../render/render-environment';
import { synthComposition } from '../../stacks/composition';
import { COMPOSITIONS } from '../../stacks/compositions';
import { ENVIRONMENTS, TEST_LOCK_FILE } from '../helpers/build';

const ROOT = path.join(__dirname, '../..');
const SECRETS_DIR = 'secrets';

/** The committed stack file, pointed at the test lock when the environment pins digests (as bin/bench.ts does). */
function stackFileFor(environment: string, dir: string): string {
  const stack = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${environment}.yaml`), 'utf8'));
  if (environment === 'airgapped')
    stack.config['analytics-platform:images'] = { ...stack.config['analytics-platform:images'], lockFile: TEST_LOCK_FILE };
  const file = path.join(dir, `Pulumi.${environment}.yaml`);
  fs.writeFileSync(file, stringify(stack));
  return file;
}

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

// ---------------------------------------------------------------------------------------------
// What counts as secret.

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const PUBLIC_PEM = /^(CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST)$/;
const squeeze = (text: string) => text.replace(/\\n|\s/g, '');

/** A value to look for: `text` as is, or (`squeezed`) with whitespace and `\n` escapes removed on both sides. */
interface Needle {
  id: string;
  text: string;
  squeezed?: boolean;
}

/** What of one secret value must not appear elsewhere: private PEM bodies and lines, else the whole value; and base64. */
function needlesOf(id: string, value: string): Needle[] {
  const blocks = [...value.matchAll(PEM_BLOCK)];
  const needles: Needle[] = [];
  for (const [, label, body] of blocks) {
    if (PUBLIC_PEM.test(label)) continue;
    needles.push({ id: `${id} (${label} body)`, text: squeeze(body), squeezed: true });
    for (const line of body.split('\n').map((l) => l.trim()))
      if (line.length >= 32) needles.push({ id: `${id} (${label} line)`, text: line });
  }
  const rest = value.replace(PEM_BLOCK, '').trim();
  // A value of certificates and public keys only is public; anything else is secret as a whole.
  if (!blocks.length || rest || blocks.some(([, label]) => !PUBLIC_PEM.test(label))) {
    needles.push({ id, text: value });
    needles.push({ id: `${id} (base64)`, text: Buffer.from(value).toString('base64') });
  }
  return needles;
}

/** The name of a Secret key that holds a credential: such a key may never be planned as a literal. */
const CREDENTIAL_KEY = /pass|secret|token|credential|private|key|\.pem$|\.crt$|cert/i;

interface Generated {
  needles: Needle[];
  /** Secret keys the model plans as literals, `namespace/name:key`. */
  literalKeys: string[];
  /** How many values of each kind were read, so the scan cannot pass on nothing. */
  counts: { random: number; secretValues: number; privateKeys: number };
}

/** Every generated value of a render, read from <out>/secrets, with the plan's literal keys left out. */
function generatedValues(out: string, literalKeys: Set<string>): Generated {
  const needles: Needle[] = [];
  const counts = { random: 0, secretValues: 0, privateKeys: 0 };
  // values.json: every stored string (random values and seeds, the local TLS material) but host names.
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string') {
      if (at.includes('.dnsNames')) return;
      if (at.startsWith('random.')) counts.random++;
      needles.push(...needlesOf(`values.json ${at}`, value));
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k);
  };
  walk(JSON.parse(fs.readFileSync(path.join(out, SECRETS_DIR, 'values.json'), 'utf8')), '');
  // secrets.yaml: every Secret value, decoded, but the planned literals.
  const secrets = parseAllDocuments(fs.readFileSync(path.join(out, SECRETS_DIR, 'secrets.yaml'), 'utf8')).map((d) => d.toJSON());
  for (const secret of secrets) {
    const entries: [string, string][] = [
      ...Object.entries((secret.data ?? {}) as Record<string, string>).map(([k, v]): [string, string] => [
        k,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
      ...Object.entries((secret.stringData ?? {}) as Record<string, string>),
    ];
    for (const [key, value] of entries) {
      const id = `${secret.metadata.namespace}/${secret.metadata.name}:${key}`;
      if (literalKeys.has(id)) continue;
      counts.secretValues++;
      if ([...value.matchAll(PEM_BLOCK)].some(([, label]) => !PUBLIC_PEM.test(label))) counts.privateKeys++;
      needles.push(...needlesOf(`Secret ${id}`, value));
    }
  }
  return { needles, literalKeys: [...literalKeys], counts };
}

// ---------------------------------------------------------------------------------------------
// Where it must not be.

const CREDENTIAL_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]+:[^\s/?#@'"]*@/gi;

interface Text {
  /** The file, and for a YAML string the object and the path to it. */
  where: string;
  text: string;
}

/** Every string of every file but <out>/secrets: the raw text, and each string of each YAML object (keys too), binaryData decoded. */
function textsOutsideSecrets(out: string): Text[] {
  const texts: Text[] = [];
  for (const file of listFiles(out).filter((f) => !f.startsWith(`${SECRETS_DIR}/`))) {
    const raw = fs.readFileSync(path.join(out, file), 'utf8');
    texts.push({ where: file, text: raw });
    if (!/\.ya?ml$/.test(file)) continue;
    for (const doc of parseAllDocuments(raw)) {
      const object = doc.toJSON() ?? {};
      const name = `${file} ${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
      const visit = (value: unknown, at: string): void => {
        if (typeof value === 'string') texts.push({ where: `${name} ${at}`, text: value });
        else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${at}[${i}]`));
        else if (value && typeof value === 'object')
          for (const [k, v] of Object.entries(value)) {
            texts.push({ where: `${name} ${at}.${k} (key)`, text: k });
            visit(v, `${at}.${k}`);
          }
      };
      visit(object, '');
      for (const [k, v] of Object.entries((object.binaryData ?? {}) as Record<string, string>))
        texts.push({ where: `${name} .binaryData.${k} (decoded)`, text: Buffer.from(v, 'base64').toString('utf8') });
    }
  }
  return texts;
}

/** Where each needle occurs: `where` and the needle's id, never the value. */
function leaks(needles: Needle[], texts: Text[]): string[] {
  const squeezedTexts = texts.map((t) => squeeze(t.text));
  const found = new Set<string>();
  for (const needle of needles)
    texts.forEach((t, i) => {
      if ((needle.squeezed ? squeezedTexts[i] : t.text).includes(needle.text)) found.add(`${t.where}: ${needle.id}`);
    });
  return [...found].sort();
}

/** Where a URL carries a user and a password: the place and the scheme, never the URL. */
function credentialUrls(texts: Text[]): string[] {
  return texts.flatMap((t) => [...t.text.matchAll(CREDENTIAL_URL)].map((m) => `${t.where}: ${m[0].split('://')[0]}://<user>:<password>@`));
}

/** Where a private key's PEM header stands, whatever its value. */
const privateKeyHeaders = (texts: Text[]): string[] =>
  texts.filter((t) => /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(t.text)).map((t) => t.where);

// ---------------------------------------------------------------------------------------------
// The scan itself, shown able to find what it looks for.

describe('the secret scan (shown able to fail)', () => {
  const pem =
    '-----BEGIN PRIVATE KEY-----\n' +
    `${'A'.repeat(20)}scanTestBody${'B'.repeat(32)}\n${'C'.repeat(64)}\n${'D'.repeat(10)}==\n` +
    '-----END PRIVATE KEY-----\n';
  const cert = '-----BEGIN CERTIFICATE-----\nMIIcertificatebody\n-----END CERTIFICATE-----\n';
  const needles = [...needlesOf('password', 'Plant3dPassw0rdValue4242'), ...needlesOf('key', pem), ...needlesOf('ca', cert)];
  const text = (value: string): Text[] => [{ where: 'f.yaml', text: value }];

  it('finds a value as is, inside a longer string', () => {
    expect(leaks(needles, text('jdbc:postgresql://h/db?password=Plant3dPassw0rdValue4242&x=1'))).toEqual(['f.yaml: password']);
  });

  it('finds a value in base64', () => {
    expect(leaks(needles, text(`data: ${Buffer.from('Plant3dPassw0rdValue4242').toString('base64')}`))).toEqual([
      'f.yaml: password (base64)',
    ]);
  });

  it('finds a private key re-wrapped, re-indented or escaped, by its body and by one of its lines', () => {
    const body = pem.split('\n').slice(1, -2).join('');
    expect(leaks(needles, text(`key: "${body.slice(0, 50)}\\n${body.slice(50)}"`))).toContain('f.yaml: key (PRIVATE KEY body)');
    expect(leaks(needles, text(`  x: |\n    ${'C'.repeat(64)}\n`))).toEqual(['f.yaml: key (PRIVATE KEY line)']);
  });

  it('leaves certificates alone, and finds nothing in clean text', () => {
    expect(leaks(needles, text(cert))).toEqual([]);
    expect(leaks(needles, text('value: ${ENV:PASSWORD}'))).toEqual([]);
  });

  it('finds URLs carrying a password, and private key headers, naming neither value', () => {
    const found = credentialUrls(text('url: postgresql://admin:hunter22@db:5432/x'));
    expect(found).toEqual(['f.yaml: postgresql://<user>:<password>@']);
    expect(found.join()).not.toContain('hunter22');
    expect(credentialUrls(text('url: https://db.example.com:5432/x http://user@h/'))).toEqual([]);
    expect(privateKeyHeaders(text('-----BEGIN RSA PRIVATE KEY-----'))).toEqual(['f.yaml']);
  });
});

// ---------------------------------------------------------------------------------------------
// Every environment, rendered for real.

describe.each(ENVIRONMENTS)('the %s render holds no generated secret value outside <out>/secrets', (environment) => {
  let dir: string;
  let out: string;
  let generated: Generated;
  let texts: Text[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-scan-'));
    out = path.join(dir, 'out');
    const stackFile = stackFileFor(environment, dir);
    renderEnvironment(environment, out, stackFile);
    // The plan, only to name the keys it declares non-secret (user names, hosts, ports).
    const config = loadEnvironment(environment, stackFile);
    const lock = config.images.digestPinning ? readImageLock(path.resolve(config.images.lockFile!)) : undefined;
    const { build } = synthComposition(COMPOSITIONS[config.environment], config, { lock });
    const literalKeys = new Set(
      build.services.flatMap((s) =>
        s.secrets.flatMap((plan) =>
          Object.entries(plan.data)
            .filter(([, source]) => source.kind === 'literal')
            .map(([key]) => `${plan.namespace}/${plan.name}:${key}`),
        ),
      ),
    );
    generated = generatedValues(out, literalKeys);
    texts = textsOutsideSecrets(out);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the generated values, derived keys among them, and the manifests to search', () => {
    expect(generated.counts.random).toBeGreaterThan(20);
    expect(generated.counts.secretValues).toBeGreaterThan(20);
    // Trino's and OpenSearch's TLS keys and OpenMetadata's JWT signing key, at least.
    expect(generated.counts.privateKeys).toBeGreaterThanOrEqual(3);
    expect(generated.needles.every((n) => n.text.length >= 16)).toBe(true);
    expect(texts.filter((t) => /\.yaml /.test(t.where)).length).toBeGreaterThan(1000);
  });

  it('plans no credential as a literal: literal Secret keys are user names, hosts, ports and ids', () => {
    expect(generated.literalKeys.length).toBeGreaterThan(0);
    expect(generated.literalKeys.filter((id) => CREDENTIAL_KEY.test(id.split(':')[1]))).toEqual([]);
  });

  it('writes no generated value, derived key or base64 of either into any other file', () => {
    expect(leaks(generated.needles, texts)).toEqual([]);
  });

  it('writes no private key and no URL with a user and password into any other file', () => {
    expect(privateKeyHeaders(texts)).toEqual([]);
    expect(credentialUrls(texts)).toEqual([]);
  });
});

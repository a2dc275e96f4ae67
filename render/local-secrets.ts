// Render's secret values: generated on this machine, kept in <out>/secrets/values.json so that a
// second render keeps the same passwords and certificate, and never written into a manifest file.
// A render never drops a stored value: a service turned off and on again finds its database role
// password, client secret and seeds unchanged. Dropping the values no service uses is explicit
// (`npm run render -- --prune-secrets`).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlatformBuild } from '../components/platform/build';
import type { KubeObject } from '../components/platform/kube-object';
import { randomIds, resolveSecretData } from '../components/platform/secrets';
import { selfSignedMaterial, TlsMaterial } from './local-tls';

export const SECRETS_DIR = 'secrets';
const VALUES_FILE = 'values.json';

interface StoredValues {
  random: Record<string, string>;
  tls?: TlsMaterial;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generatePassword(length: number): string {
  const bytes = crypto.randomBytes(length * 2);
  let out = '';
  // Rejection sampling keeps every character equally likely.
  for (const byte of bytes) {
    if (byte < 248) out += ALPHABET[byte % 62];
    if (out.length === length) return out;
  }
  return out + generatePassword(length - out.length);
}

function readStored(dir: string): StoredValues {
  const file = path.join(dir, VALUES_FILE);
  if (!fs.existsSync(file)) return { random: {} };
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredValues;
    return { ...stored, random: stored.random ?? {} };
  } catch (error) {
    throw new Error(
      `${file}: not readable as JSON (${(error as Error).message}); it holds the generated passwords of an earlier render: restore it, or remove the whole output directory to start over`,
      { cause: error },
    );
  }
}

export interface LocalSecretOptions {
  /** Drop stored values no enabled service uses (their databases keep the old ones: only after removing those). */
  prune?: boolean;
}

export interface LocalSecrets {
  objects: KubeObject[];
  values: StoredValues;
  /** Stored value ids no enabled service uses: kept (for when it is on again), or dropped with `prune`. */
  unused: string[];
}

const secretObject = (name: string, namespace: string, data: Record<string, string>, type = 'Opaque'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name,
    namespace,
    labels: { 'app.kubernetes.io/part-of': 'analytics-platform', 'app.kubernetes.io/managed-by': 'analytics-platform' },
  },
  type,
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

/** Builds every planned Secret with local values, reusing those a previous render stored and keeping the rest. */
export function localSecrets(build: PlatformBuild, outDir: string, options: LocalSecretOptions = {}): LocalSecrets {
  const dir = path.join(outDir, SECRETS_DIR);
  const stored = readStored(dir);
  const plans = build.services.flatMap((s) => s.secrets);
  const random: Record<string, string> = {};
  for (const plan of plans)
    for (const { id, length } of randomIds(plan))
      random[id] = stored.random[id]?.length === length ? stored.random[id] : (random[id] ?? generatePassword(length));
  const objects = plans.map((plan) => secretObject(plan.name, plan.namespace, resolveSecretData(plan, random), plan.type));
  // Values of services that are off stay stored (not in any Secret), unless pruning was asked for.
  const unused = Object.keys(stored.random).filter((id) => !(id in random));
  if (!options.prune) for (const id of unused) random[id] = stored.random[id];

  let tls = options.prune && build.tls?.mode !== 'self-signed' ? undefined : stored.tls;
  if (build.tls?.mode === 'self-signed') {
    tls = selfSignedMaterial(build.tls.dnsNames, stored.tls);
    objects.push(
      secretObject(
        build.tls.secretName,
        build.tls.namespace,
        { 'tls.crt': tls.certificate, 'tls.key': tls.key, 'ca.crt': tls.caCertificate },
        'kubernetes.io/tls',
      ),
    );
    if (build.tls.caSecretName) objects.push(secretObject(build.tls.caSecretName, build.tls.namespace, { 'ca.crt': tls.caCertificate }));
  }
  return { objects, values: { random, tls }, unused };
}

export function writeStoredValues(outDir: string, values: StoredValues): string {
  const dir = path.join(outDir, SECRETS_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, VALUES_FILE);
  fs.writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  return file;
}

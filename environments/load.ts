// Turns an environment name plus stack overrides into a validated PlatformConfig, or throws a
// ConfigError listing every problem with its key path, the value received and what is allowed.
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, formatIssue } from './issues';
import { ENVIRONMENTS, EnvironmentName, PlatformConfig, platformConfigSchema } from './schema';
import { k3dProfile } from './profiles/k3d';
import { eksProfile } from './profiles/eks';
import { airgappedProfile } from './profiles/airgapped';

/** The Pulumi config namespace: keys in Pulumi.<stack>.yaml read `analytics-platform:<key>`. */
export const CONFIG_NAMESPACE = 'analytics-platform';

export const PROFILES: Record<EnvironmentName, object> = {
  k3d: k3dProfile,
  eks: eksProfile,
  airgapped: airgappedProfile,
};

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    source: string,
  ) {
    super(`invalid platform config (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep-merges overrides onto a profile: objects merge, arrays and scalars replace. An object whose
 * `mode` changes replaces the profile's object whole, since the other mode has other keys.
 */
export function mergeOverrides(base: unknown, override: unknown): unknown {
  if (!isPlain(base) || !isPlain(override)) return override === undefined ? base : override;
  if ('mode' in override && override.mode !== base.mode) return override;
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeOverrides(base[key], value);
  return out;
}

/** Validates a complete environment + overrides pair. Nothing is created before this returns. */
export function loadPlatformConfig(overrides: Plain, source = 'stack config'): PlatformConfig {
  const environment = overrides.environment;
  if (typeof environment !== 'string' || !(ENVIRONMENTS as readonly string[]).includes(environment)) {
    throw new ConfigError(
      [`environment: received ${describe(environment)}; expected one of ${ENVIRONMENTS.map((e) => `"${e}"`).join(', ')}`],
      source,
    );
  }
  const merged = mergeOverrides(PROFILES[environment as EnvironmentName], overrides);
  const result = platformConfigSchema.safeParse(merged, { reportInput: true });
  if (!result.success) throw new ConfigError(result.error.issues.map(formatIssue), source);
  return result.data;
}

/**
 * Config namespaces other than this project's that a stack file may hold: Pulumi's own and the
 * providers' (`kubernetes:context`, `aws:region`). Keys there are left alone.
 */
export const KNOWN_NAMESPACES = [
  'pulumi',
  'kubernetes',
  'aws',
  'aws-native',
  'awsx',
  'eks',
  'random',
  'tls',
  'command',
  'docker',
  'gcp',
  'google-native',
  'azure',
  'azure-native',
  'azuread',
  'cloudflare',
  'vault',
] as const;

const EXAMPLE = `${CONFIG_NAMESPACE}:<key>: <value>`;

/** Reads `analytics-platform:*` keys from a Pulumi stack file into a plain overrides object. */
export function readStackFile(path: string): Plain {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`not valid YAML: ${(error as Error).message.split('\n')[0].replace(/:$/, '')}`], path);
  }
  if (!isPlain(doc))
    throw new ConfigError(
      [
        `(top level): ${doc === null || doc === undefined ? 'the file is empty' : `received ${describe(doc)}`}; expected a Pulumi stack file, a map with a \`config:\` map of \`${EXAMPLE}\``,
      ],
      path,
    );
  if (!('config' in doc))
    throw new ConfigError(
      [
        `config: missing (the file has ${Object.keys(doc)
          .map((k) => `"${k}"`)
          .join(', ')}); the platform reads its settings from \`config:\` as \`${EXAMPLE}\``,
      ],
      path,
    );
  if (!isPlain(doc.config))
    throw new ConfigError([`config: received ${describe(doc.config ?? undefined)}; expected a map of \`${EXAMPLE}\` entries`], path);
  return configEntriesToOverrides(Object.entries(doc.config), path);
}

/**
 * Keeps this project's keys, strips the namespace and refuses secure values: the platform takes
 * Secret names in config, never secret values. A key of ours under another project's namespace
 * (`analytics:domain`, where the namespace is neither ours nor Pulumi's or a provider's) is an
 * error, not a setting silently ignored.
 */
export function configEntriesToOverrides(entries: [string, unknown][], source: string): Plain {
  const out: Plain = {};
  const problems: string[] = [];
  const ourKeys = new Set(Object.keys(platformConfigSchema.shape));
  for (const [fullKey, raw] of entries) {
    const [ns, key] = fullKey.includes(':') ? fullKey.split(/:(.*)/s, 2) : [CONFIG_NAMESPACE, fullKey];
    if (ns !== CONFIG_NAMESPACE) {
      if (!(KNOWN_NAMESPACES as readonly string[]).includes(ns) && ourKeys.has(key))
        problems.push(
          `${fullKey}: "${ns}" is not this project's config namespace, so the setting would be ignored; expected \`${CONFIG_NAMESPACE}:${key}\` (the project name in Pulumi.yaml)`,
        );
      continue;
    }
    if (isPlain(raw) && 'secure' in raw) {
      problems.push(`${key}: received an encrypted value; the platform takes Secret names in config, not secret values`);
      continue;
    }
    out[key] = raw;
  }
  if (problems.length) throw new ConfigError(problems, source);
  return out;
}

/** The overrides a render uses: the stack file named for the environment, when it exists. */
export function overridesForEnvironment(environment: string, stackFile?: string): { overrides: Plain; source: string } {
  const path = stackFile ?? `Pulumi.${environment}.yaml`;
  if (!fs.existsSync(path)) {
    if (stackFile) throw new ConfigError([`--config: received "${stackFile}"; no such file`], 'command line');
    return { overrides: { environment }, source: `profile "${environment}"` };
  }
  if (!fs.statSync(path).isFile())
    throw new ConfigError(
      [`${stackFile ? '--config' : 'stack file'}: received "${path}"; it is a directory, expected a Pulumi stack file`],
      'command line',
    );
  const overrides = readStackFile(path);
  if (overrides.environment === undefined) overrides.environment = environment;
  if (overrides.environment !== environment)
    throw new ConfigError(
      [`environment: received ${describe(overrides.environment)} in ${path}; expected "${environment}" as --env says`],
      path,
    );
  return { overrides, source: path };
}

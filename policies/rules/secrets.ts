// Secret-handling rules: no secret values written into manifests (env literals, ConfigMaps), secrets
// preferably as files, unambiguous environments, and no code-injection hooks in git-sync.
import { secretLooking } from './secret-values';
import { advisory, mandatory, type ObjectRule } from './types';
import { perContainer, type Container } from './workload';

type EnvVar = { name: string; value?: string; valueFrom?: Record<string, any> };

/** Names that announce a credential: kube-linter env-var-secret (`secret`) and Polaris sensitive* (the rest). */
const SENSITIVE_NAME =
  /password|token|bearer|secret|^AWS_SECRET_ACCESS_KEY$|^GOOGLE_APPLICATION_CREDENTIALS$|^AZURE_.+KEY$|^OCI_CLI_KEY_CONTENT$/i;
/** `*_FILE=/path`, `*_URL=https://host/...`: where a secret is, not the secret (docker-library images read POSTGRES_PASSWORD_FILE). */
const REFERENCE_NAME = /[_.-](FILE|FILENAME|PATH|DIR|URL|URI|ENDPOINT)$/i;
const isReferenceValue = (value: string) => value.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*(\/|$)/i.test(value);

const FIX = 'reference a Secret (secretKeyRef) or mount it as a file';

/** The value is never part of the message: only what it looks like. */
function literalSecret(env: EnvVar): string | undefined {
  if (typeof env.value !== 'string' || env.value === '') return undefined;
  const looksLike = secretLooking(env.value, { wholeValue: true });
  if (looksLike.length) return `env ${env.name} holds what looks like ${looksLike.join(' and ')}; ${FIX}`;
  if (!SENSITIVE_NAME.test(env.name)) return undefined;
  if (REFERENCE_NAME.test(env.name) && isReferenceValue(env.value)) return undefined;
  return `env ${env.name} sets a literal value; ${FIX}`;
}

const envOf = (c: Container): EnvVar[] => (Array.isArray(c.env) ? c.env : []);

const noSecretLiteralsInEnv: ObjectRule = {
  id: 'no-secret-literals-in-env',
  scope: 'object',
  title: 'No secret values as literal environment variables',
  rationale:
    'A literal env value is stored in the Deployment, shown by `kubectl describe`, kept in Pulumi state and in git: anyone who can read the workload reads the secret. ' +
    'Names are judged as kube-linter (contains "secret") and Polaris (password, token, bearer, cloud credential variables) do; values are judged whatever the name: ' +
    'PEM private keys (also base64-encoded), JSON Web Tokens, tokens of a known shape (GitHub, GitLab, AWS access key IDs, Google, Slack, Stripe, npm, Hugging Face, sk- API keys), passwords inside URLs and URL queries, Authorization header values, ' +
    'and whole values of 32 or more base64 characters mixing cases and digits with the entropy of generated keys. ' +
    'A *_FILE, *_PATH, *_URL variable whose value is a path or a URL without credentials only says where the secret is, and is accepted.',
  severity: 'critical',
  category: 'secrets',
  controls: { kubeLinter: ['env-var-secret'], polaris: ['sensitiveContainerEnvVar'], crosswalk: [57] },
  enforcement: mandatory,
  check: (object) =>
    perContainer(object, (c) => {
      const found = envOf(c).flatMap((e) => literalSecret(e) ?? []);
      return found.length ? found.join('; ') : undefined;
    }),
};

const secretsAsFiles: ObjectRule = {
  id: 'secrets-as-files',
  scope: 'object',
  title: 'Secrets reach containers as files rather than environment variables',
  rationale:
    'Environment variables leak: into child processes, crash dumps, debug endpoints and logs that print the environment; a mounted file can be rotated without a restart and read only where needed (CIS 5.4.1). ' +
    'Advisory: many upstream images (Postgres clients, Quarkus, the AWS CLI) only take some credentials from the environment, and the platform passes those by secretKeyRef.',
  severity: 'low',
  category: 'secrets',
  controls: { kubeLinter: ['read-secret-from-env-var'], checkov: ['CKV_K8S_35'], cis: ['5.4.1'], crosswalk: [58] },
  enforcement: advisory,
  check: (object) =>
    perContainer(object, (c) => {
      const fromEnv = envOf(c)
        .filter((e) => e.valueFrom?.secretKeyRef)
        .map((e) => `env ${e.name} reads Secret ${e.valueFrom!.secretKeyRef.name}/${e.valueFrom!.secretKeyRef.key}`);
      const fromEnvFrom = ((c.envFrom ?? []) as Record<string, any>[])
        .filter((e) => e.secretRef)
        .map((e) => `envFrom loads all of Secret ${e.secretRef.name}`);
      const all = [...fromEnv, ...fromEnvFrom];
      return all.length ? `${all.join('; ')}; prefer a secret volume` : undefined;
    }),
};

/** A configuration key whose last segment names a credential: `db.password`, `client_secret`, `apiKey`. */
const SENSITIVE_KEY = /(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)$/i;
/** `key = value`, `key: value`, `"key": "value",`, `export KEY=value`. */
const ASSIGNMENT = /^\s*(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*)$/;
/** Values that point at a secret rather than hold one: env/command/template references, paths, psql variables, YAML blocks. */
const NOT_A_LITERAL = /^(\$|%|\{\{|<|\/|:|@|\||>|\{|\[|(env|file|secret|vault|ENC)[:(])/;

function literalAssignments(text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const m = ASSIGNMENT.exec(line);
    if (!m) return [];
    const key = m[1].split('.').pop()!;
    if (!SENSITIVE_KEY.test(key)) return [];
    const value = m[2]
      .trim()
      .replace(/,$/, '')
      .replace(/^["']|["']$/g, '')
      .trim();
    if (value === '' || /^(null|~|true|false)$/i.test(value) || NOT_A_LITERAL.test(value)) return [];
    return [`line ${i + 1} assigns a literal to "${m[1]}"`];
  });
}

const CONFIGMAP_KEY =
  /password|token|bearer|secret|^AWS_SECRET_ACCESS_KEY$|^GOOGLE_APPLICATION_CREDENTIALS$|^AZURE_.+KEY$|^OCI_CLI_KEY_CONTENT$/i;

const noSecretsInConfigMaps: ObjectRule = {
  id: 'no-secrets-in-configmaps',
  scope: 'object',
  title: 'ConfigMaps hold no secrets',
  rationale:
    'ConfigMaps are readable by anyone who may view the namespace and are not encrypted at rest; credentials belong in Secrets. ' +
    'Flags data keys named like credentials (as Polaris does, except a *-file/*-url key holding a path or URL); values that look like secrets whatever their key (PEM private keys, JSON Web Tokens, tokens of a known shape, passwords inside URLs); and config-file lines that assign a literal to a password/secret/token/key setting; ' +
    'references (${VAR}, $(cmd), {{ template }}, file paths, psql :variables) are not literals.',
  severity: 'critical',
  category: 'secrets',
  controls: { polaris: ['sensitiveConfigmapContent'], crosswalk: [59] },
  enforcement: mandatory,
  check(object) {
    if (object.kind !== 'ConfigMap') return [];
    const out: string[] = [];
    const data = (object.data ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(data)) {
      const text = typeof value === 'string' ? value : String(value ?? '');
      if (CONFIGMAP_KEY.test(key) && text.trim() !== '' && !(REFERENCE_NAME.test(key) && isReferenceValue(text.trim())))
        out.push(`data key "${key}" is named like a credential; move it to a Secret`);
      const looksLike = secretLooking(text);
      if (looksLike.length) out.push(`data key "${key}" holds what looks like ${looksLike.join(' and ')}; move it to a Secret`);
      for (const finding of literalAssignments(text)) out.push(`data key "${key}": ${finding}`);
    }
    for (const key of Object.keys((object.binaryData ?? {}) as Record<string, unknown>))
      if (CONFIGMAP_KEY.test(key)) out.push(`binaryData key "${key}" is named like a credential; move it to a Secret`);
    return out;
  },
};

const noDuplicateEnv: ObjectRule = {
  id: 'no-duplicate-env',
  scope: 'object',
  title: 'A container sets each environment variable once',
  rationale:
    'With a duplicated name the last entry silently wins, and a server-side apply or a patch may keep a different one: the running value is not the one reviewed.',
  severity: 'medium',
  category: 'workload',
  controls: { kubeLinter: ['duplicate-env-var'], crosswalk: [60] },
  enforcement: mandatory,
  check: (object) =>
    perContainer(object, (c) => {
      const names = envOf(c).map((e) => e.name);
      const dupes = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
      return dupes.length ? `env ${dupes.join(', ')} ${dupes.length === 1 ? 'is' : 'are'} set more than once` : undefined;
    }),
};

const GIT_SYNC_GIT = new Set(['GITSYNC_GIT', 'GIT_SYNC_GIT']);

const gitSyncNoCustomGit: ObjectRule = {
  id: 'git-sync-no-custom-git',
  scope: 'object',
  title: 'git-sync runs its own git binary',
  rationale:
    'GITSYNC_GIT (GIT_SYNC_GIT in v3) makes git-sync execute an arbitrary command instead of git: whoever controls the variable runs code in the pod that holds the repository credentials (checkov CKV_K8S_159).',
  severity: 'high',
  category: 'workload',
  controls: { checkov: ['CKV_K8S_159'], crosswalk: [61] },
  enforcement: mandatory,
  check: (object) =>
    perContainer(object, (c) => {
      const set = envOf(c).filter((e) => GIT_SYNC_GIT.has(e.name));
      return set.length ? `env ${set.map((e) => e.name).join(', ')} replaces the git binary git-sync runs` : undefined;
    }),
};

export const secretRules: ObjectRule[] = [noSecretLiteralsInEnv, secretsAsFiles, noSecretsInConfigMaps, noDuplicateEnv, gitSyncNoCustomGit];

// The configuration reference, generated from the zod schema and the profiles, so the docs cannot
// drift from what the program accepts (a test compares it with docs/configuration.md).
import { z } from 'zod';
import { HOST_OR_IPV4, IPV4_CIDR } from './fields';
import { PROFILES, CONFIG_NAMESPACE, mergeOverrides } from './load';
import { ENVIRONMENTS } from './schema';
import { platformConfigSchema } from './schema';

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
};

interface Row {
  key: string;
  allowed: string;
  description: string;
}

function allowed(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.type === 'object' && s.properties === undefined && !s.additionalProperties) return 'object';
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  if (s.type === 'array')
    return s.items?.type === 'object' && s.items.properties
      ? 'list of objects (item fields: rows below)'
      : `list of ${allowed(s.items ?? {})}`;
  if (s.type === 'integer' || s.type === 'number') return `${s.type}${s.minimum !== undefined ? ` ${s.minimum}..${s.maximum ?? ''}` : ''}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return 'map of string to string';
  if (s.pattern === IPV4_CIDR.source) return 'IPv4 CIDR such as `10.0.0.0/8` (four numbers 0-255, prefix 0-32)';
  if (s.pattern === HOST_OR_IPV4.source) return 'host name, or IPv4 address (four numbers 0-255)';
  if (s.pattern) return `string matching \`${s.pattern}\``;
  return s.type ?? 'any';
}

/** Which rows the reference has: every key, and for a list of objects each item field as `<list>[].<field>`. */
function walk(schema: JsonSchema, key: string, rows: Row[], variant = '', optional = false): void {
  const inItem = key.includes('[]');
  const described = (text: string | undefined) => (inItem && optional ? `Optional. ${text ?? ''}`.trim() : (text ?? ''));
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    if (schema.description) rows.push({ key, allowed: 'object', description: described(schema.description) });
    for (const v of variants) {
      const modeSchema = v.properties?.mode;
      const mode = modeSchema?.const ?? (modeSchema?.enum?.length === 1 ? modeSchema.enum[0] : undefined);
      walk({ ...v, description: undefined }, key, rows, mode === undefined ? variant : ` (mode \`${mode}\`)`);
    }
    return;
  }
  if (schema.type === 'object' && schema.properties) {
    if (schema.description) rows.push({ key: `${key}${variant}`, allowed: 'object', description: described(schema.description) });
    for (const [name, child] of Object.entries(schema.properties))
      walk(child, key ? `${key}.${name}` : name, rows, variant, !(schema.required ?? []).includes(name));
    return;
  }
  rows.push({ key: `${key}${variant}`, allowed: allowed(schema), description: described(schema.description) });
  // A list of objects: each item field gets its own row, `<key>[].<field>`, with its type and description.
  const items = schema.type === 'array' ? schema.items : undefined;
  if (items && ((items.type === 'object' && items.properties) || items.oneOf || items.anyOf))
    walk({ ...items, description: undefined }, `${key}[]`, rows, variant);
}

function defaultsOf(path: string[]): string[] {
  return ENVIRONMENTS.map((env) => {
    let value: unknown = env === 'k3d' || env === 'eks' || env === 'airgapped' ? { environment: env, ...PROFILES[env] } : undefined;
    for (const part of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined) return '';
    if (typeof value === 'object' && !Array.isArray(value) && Object.values(value as object).some((v) => typeof v === 'object')) return '';
    return `\`${JSON.stringify(value)}\``;
  });
}

const json = (value: unknown) => `\`${JSON.stringify(value)}\``;

/** How a stack file's values combine with the profile's: the rules of mergeOverrides, each with an example it computes. */
function mergeRules(): string[] {
  const example = (profile: object, stack: object) =>
    `profile ${json(profile)} + stack ${json(stack)} gives ${json(mergeOverrides(profile, stack))}`;
  return [
    '## How a stack file combines with the profile',
    '',
    '- **Objects merge** key by key, at every depth: a stack file sets only the keys it changes, the',
    `  others keep the profile's values. For example, ${example({ images: { digestPinning: false, pullPolicy: 'IfNotPresent' } }, { images: { registryMirror: 'mirror.local:5000' } })}.`,
    "- **Lists replace** the profile's list whole; nothing is appended. To add an item, write the whole",
    `  list. For example, ${example({ governance: { teams: ['marketing', 'finance'] } }, { governance: { teams: ['risk'] } })}.`,
    "- **Scalars replace** the profile's value.",
    "- **An object whose `mode` changes replaces the profile's object whole**: the other mode has other",
    "  keys, so none of the profile's keys is kept and the stack gives every key the new mode needs.",
    `  For example, ${example({ postgres: { platform: { mode: 'internal', storageSize: '5Gi' } } }, { postgres: { platform: { mode: 'external', host: 'db.corp' } } })}.`,
    `- Keys under another project's namespace that name one of these keys (\`analytics:domain\`) are errors,`,
    `  not ignored settings: the project namespace is \`${CONFIG_NAMESPACE}\`.`,
  ];
}

export function configurationReference(): string {
  const schema = z.toJSONSchema(platformConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const rows: Row[] = [];
  walk(schema, '', rows);
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run docs` from environments/schema.ts and environments/profiles; do not edit. -->',
    '',
    `Every key is set in \`Pulumi.<stack>.yaml\` as \`${CONFIG_NAMESPACE}:<key>\` (objects as YAML maps) and`,
    'overrides the environment profile. Unknown keys, wrong types and contradictory settings stop',
    '`pulumi up` and `npm run render` before anything is created. Empty default cells: the profile',
    'leaves the key to the stack, or the key belongs to another mode. A list of objects has a row per',
    'item field, `<list>[].<field>`.',
    '',
    ...mergeRules(),
    '',
    '## Keys',
    '',
    `| key | allowed | ${ENVIRONMENTS.map((e) => `${e} default`).join(' | ')} | description |`,
    `|---|---|${ENVIRONMENTS.map(() => '---').join('|')}|---|`,
  ];
  for (const row of rows) {
    const path = row.key.replace(/ \(mode .*\)$/, '').split('.');
    const modeOfRow = /\(mode `(.*)`\)/.exec(row.key)?.[1];
    const defaults = defaultsOf(path).map((d, i) => {
      if (row.allowed === 'object') return '';
      if (!modeOfRow) return d;
      const env = ENVIRONMENTS[i];
      let section: unknown = { ...PROFILES[env] };
      for (const part of path.slice(0, -1)) section = (section as Record<string, unknown> | undefined)?.[part];
      return (section as { mode?: string } | undefined)?.mode === modeOfRow ? d : '';
    });
    lines.push(
      `| \`${row.key.replace(/ \(mode .*\)$/, '')}\`${modeOfRow ? ` (${modeOfRow})` : ''} | ${escape(row.allowed)} | ${defaults.join(' | ')} | ${escape(row.description)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// Secrets are planned by the model and given values by the delivery path: Pulumi makes them with
// @pulumi/random and keeps them secret in state; render generates them into a git-ignored file.
// No secret value ever appears in a manifest object.

/** Where a Secret key's value comes from. */
export type SecretValueSource =
  /** A generated password, shared by every Secret that names the same id. */
  | { kind: 'random'; id: string; length: number }
  /** A value that is not itself secret (a user name, a host) kept beside the secret ones. */
  | { kind: 'literal'; value: string }
  /**
   * A file assembled from generated values (a config file that embeds credentials). `seeds` are
   * random values only templates use (key material is derived from them, see the Fernet and RSA
   * helpers in components/platform/seeded-keys.ts): generated like `random` ones, by id and
   * length, but stored in no Secret key of their own.
   */
  | { kind: 'template'; ids: string[]; render: (values: Record<string, string>) => string; seeds?: Record<string, number> };

export interface SecretPlan {
  name: string;
  namespace: string;
  /** The service that owns the Secret (its YAML file, its Pulumi component). */
  service: string;
  type?: string;
  data: Record<string, SecretValueSource>;
}

export const randomValue = (id: string, length = 32): SecretValueSource => ({ kind: 'random', id, length });
export const literal = (value: string): SecretValueSource => ({ kind: 'literal', value });

/** The random values a plan defines: its random keys and its templates' seeds (other template ids come from some random source). */
export function randomIds(plan: SecretPlan): { id: string; length: number }[] {
  const out: { id: string; length: number }[] = [];
  for (const source of Object.values(plan.data)) {
    if (source.kind === 'random') out.push({ id: source.id, length: source.length });
    if (source.kind === 'template')
      for (const [id, length] of Object.entries(source.seeds ?? {})) {
        if (!source.ids.includes(id))
          throw new Error(`secret ${plan.namespace}/${plan.name}: seed "${id}" is not one of the template's ids`);
        out.push({ id, length });
      }
  }
  return out;
}

/** Resolves a plan's values once every random id has a value. */
export function resolveSecretData(plan: SecretPlan, values: Record<string, string>): Record<string, string> {
  const need = (id: string) => {
    const value = values[id];
    if (value === undefined) throw new Error(`secret ${plan.namespace}/${plan.name}: no generated value for "${id}"`);
    return value;
  };
  return Object.fromEntries(
    Object.entries(plan.data).map(([key, source]) => {
      if (source.kind === 'random') return [key, need(source.id)];
      if (source.kind === 'literal') return [key, source.value];
      return [key, source.render(Object.fromEntries(source.ids.map((id) => [id, need(id)])))];
    }),
  );
}

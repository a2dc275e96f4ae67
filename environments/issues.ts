// Config problems as users read them: the key path, the value received and what is allowed.
import { z } from 'zod';

type Plain = Record<string, unknown>;

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map(
        (key) =>
          `${[...issue.path, key].join('.')}: unknown key (received ${describe((issue.input as Plain)?.[key])}); remove it or check its spelling`,
      )
      .join('\n  - ');
  }
  const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');
  if (issue.code === 'invalid_union' && issue.discriminator && 'options' in issue) {
    const key = issue.discriminator;
    return `${path}: received ${describe((issue.input as Plain)?.[key])}; expected ${key} to be one of ${list(issue.options ?? [])}`;
  }
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value'))
    return `${path}: required, but not set (expected ${issue.code === 'invalid_value' ? `one of ${list(issue.values)}` : issue.expected})`;
  if (issue.code === 'invalid_value') return `${path}: received ${describe(issue.input)}; expected one of ${list(issue.values)}`;
  if (issue.code === 'invalid_type') return `${path}: received ${describe(issue.input)}; expected ${issue.expected}`;
  return `${path}: received ${describe(issue.input)}; ${issue.message}`;
}

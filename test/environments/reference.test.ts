// docs/configuration.md states how a stack file combines with the profile (the rules of
// mergeOverrides, with examples it computes) and gives every item field of every list of objects
// its own row with a type and a description.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { mergeOverrides } from '../../environments/load';
import { configurationReference } from '../../environments/reference';
import { platformConfigSchema } from '../../environments/schema';

const committed = fs.readFileSync(path.join(__dirname, '../../docs/configuration.md'), 'utf8');
const generated = configurationReference();

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  description?: string;
};

/** Every list of objects in the schema: its key and its item fields. */
function listsOfObjects(schema: Schema, key = ''): { key: string; fields: string[] }[] {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.flatMap((v) => listsOfObjects(v, key));
  if (schema.type === 'object' && schema.properties)
    return Object.entries(schema.properties).flatMap(([name, child]) => listsOfObjects(child, key ? `${key}.${name}` : name));
  if (schema.type === 'array' && schema.items?.type === 'object' && schema.items.properties)
    return [{ key, fields: Object.keys(schema.items.properties) }, ...listsOfObjects(schema.items, `${key}[]`)];
  return [];
}

describe('the configuration reference', () => {
  it('is committed as generated (run `npm run docs` when this fails)', () => {
    expect(committed).toBe(generated);
  });

  it('states the merge rules, with examples that are what mergeOverrides does', () => {
    expect(generated).toContain('## How a stack file combines with the profile');
    expect(generated).toContain('- **Objects merge** key by key');
    expect(generated).toContain("- **Lists replace** the profile's list whole");
    expect(generated).toContain("- **An object whose `mode` changes replaces the profile's object whole**");
    const lists = mergeOverrides({ governance: { teams: ['marketing', 'finance'] } }, { governance: { teams: ['risk'] } });
    expect(generated).toContain(`gives \`${JSON.stringify(lists)}\``);
    const mode = mergeOverrides(
      { postgres: { platform: { mode: 'internal', storageSize: '5Gi' } } },
      { postgres: { platform: { mode: 'external', host: 'db.corp' } } },
    );
    expect(generated).toContain(`gives \`${JSON.stringify(mode)}\``);
  });

  it('lists every item field of every list of objects with its type and a description', () => {
    const schema = z.toJSONSchema(platformConfigSchema, { io: 'input', unrepresentable: 'any' }) as Schema;
    const lists = listsOfObjects(schema);
    expect(lists.map((l) => l.key)).toEqual(
      expect.arrayContaining(['governance.access.grants', 'governance.access.personalData', 'governance.access.rowFilters']),
    );
    for (const list of lists)
      for (const field of list.fields) {
        const row = generated.split('\n').find((l) => l.startsWith(`| \`${list.key}[].${field}\` |`));
        expect(row).toBeDefined();
        const [, , allowed, , , , description] = row!.split(/ \| |^\| | \|$/);
        expect({ field: `${list.key}[].${field}`, allowed: allowed.length > 0, described: description.trim().length > 0 }).toEqual({
          field: `${list.key}[].${field}`,
          allowed: true,
          described: true,
        });
      }
    expect(generated).toContain(
      '| `governance.access.rowFilters[].expression` | string |  |  |  | A SQL boolean expression over the table columns, such as "region = \'EU\'". |',
    );
  });

  it('documents the laptop budget override', () => {
    expect(generated).toMatch(/\| `k3d\.allowOverBudget` \| boolean \| `false` \|.*10 GiB of memory requests, 16 GiB of limits/);
  });
});

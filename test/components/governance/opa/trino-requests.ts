// Test inputs for the access model: the personas (one per role, project members, strangers), an
// access model with personal data and row filters, and Trino's request bodies from
// test/fixtures/trino-opa with the identity and resource swapped per case.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AccessData, compileAccessModel } from '../../../../components/governance/opa/access-model';
import { configFor } from '../../../helpers/build';
import type { Identity, Resource, TrinoInput } from './access-evaluator';

const FIXTURES = path.join(__dirname, '../../../fixtures/trino-opa');

/** Every fixture by name (file name without `.json`). */
export const FIXTURE_NAMES = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

/** A Trino request body from the fixtures, as `input`, with the identity of `who`. */
export function request(name: string, who: Identity): TrinoInput {
  const body = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
  return { ...body.input, context: { ...body.input.context, identity: who } };
}

/** The same request on another table (catalog, schema, table), keeping every other field. */
export function onTable(input: TrinoInput, catalogName: string, schemaName: string, tableName = 'customers'): TrinoInput {
  const resource: Resource = { ...input.action.resource, table: { ...input.action.resource!.table, catalogName, schemaName, tableName } };
  return { ...input, action: { ...input.action, resource } };
}

/** The same operation on another resource. */
export const withResource = (input: TrinoInput, resource: Resource, targetResource?: Resource): TrinoInput => ({
  ...input,
  action: { ...input.action, resource, ...(targetResource ? { targetResource } : {}) },
});

export const table = (catalogName: string, schemaName: string, tableName: string): Resource => ({
  table: { catalogName, schemaName, tableName },
});

export const PERSONAS = {
  admin: { user: 'alice', groups: ['platform-admin', 'team-marketing'] },
  engineer: { user: 'bob', groups: ['platform-engineer'] },
  analyst: { user: 'carol', groups: ['platform-analyst', 'team-finance'] },
  user: { user: 'eve', groups: ['platform-user'] },
  viewer: { user: 'dave', groups: ['platform-viewer'] },
  /** In the scoring project, with no platform role. */
  scoring: { user: 'frank', groups: ['project-scoring'] },
  /** A viewer in the risk project: two row filters apply. */
  riskViewer: { user: 'grace', groups: ['platform-viewer', 'project-risk'] },
  /** Signed in, but in no role or project group (a team only). */
  stranger: { user: 'mallory', groups: ['team-marketing'] },
  /** Groups spelled like the platform's under another prefix. */
  otherPrefix: { user: 'oscar', groups: ['acme-admin', 'acme-engineer'] },
  nobody: { user: 'nobody', groups: [] },
} satisfies Record<string, Identity>;

export const CUSTOMERS = { catalog: 'iceberg', schema: 'curated', table: 'customers' };

/** The profile's grants, plus a project grant, tagged personal data and row filters (k3d declares projects scoring and risk). */
export const TEST_ACCESS = {
  grants: [
    { roles: ['engineer'], projects: [], catalog: 'iceberg', schemas: ['*'], privileges: ['read', 'write', 'create'] },
    { roles: ['engineer', 'analyst', 'user'], projects: [], catalog: '*', schemas: ['*'], privileges: ['read'] },
    { roles: ['viewer'], projects: [], catalog: 'iceberg', schemas: ['curated'], privileges: ['read'] },
    { roles: [], projects: ['scoring'], catalog: 'iceberg', schemas: ['scoring'], privileges: ['read', 'write', 'create'] },
  ],
  personalData: [
    { ...CUSTOMERS, columns: ['email', 'birth_date'], mask: 'hash' },
    { ...CUSTOMERS, columns: ['phone'], mask: 'redact' },
    { ...CUSTOMERS, columns: ['ssn'], mask: 'null' },
  ],
  maskedRoles: ['user', 'viewer'],
  rowFilters: [
    { roles: ['viewer'], projects: [], ...CUSTOMERS, expression: "region = 'EU'" },
    { roles: [], projects: ['risk'], ...CUSTOMERS, expression: "status = 'active'" },
  ],
  assistant: { roles: ['admin', 'engineer', 'analyst'] },
};

export const testConfig = (access: Record<string, unknown> = TEST_ACCESS, extra: Record<string, unknown> = {}) =>
  configFor('k3d', { ...extra, governance: { access } });

export const testModel = (access: Record<string, unknown> = TEST_ACCESS): AccessData => compileAccessModel(testConfig(access));

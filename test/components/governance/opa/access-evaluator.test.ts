// The decisions of the Rego bundle, through its TypeScript mirror (access-evaluator.ts), for each
// persona over Trino's real request shapes (test/fixtures/trino-opa).
import { ADMIN_ONLY_OPERATIONS } from '../../../../components/governance/opa/access-model';
import { OPA_DECISIONS, TRINO_MANAGEMENT_USER } from '../../../../components/governance/contract';
import { assistantPolicy, authzPolicy, decide, trinoPolicy, TrinoInput } from './access-evaluator';
import { FIXTURE_NAMES, onTable, PERSONAS, request, table, testModel, withResource } from './trino-requests';

const model = testModel();
const decisions = (input: TrinoInput) => trinoPolicy(model, input);
const allowed = (input: TrinoInput) => decisions(input).allow;
const batch = (input: TrinoInput) => decisions(input).batch;

describe('admin', () => {
  const who = PERSONAS.admin;

  it('is allowed every operation of every fixture, admin-only ones included', () => {
    for (const name of FIXTURE_NAMES) expect([name, allowed(request(name, who))]).toEqual([name, true]);
    for (const operation of ADMIN_ONLY_OPERATIONS)
      expect([operation, allowed({ ...request('execute-query', who), action: { operation } })]).toEqual([operation, true]);
  });

  it('sees every item of every batch filter', () => {
    expect(batch(request('filter-catalogs.batch', who))).toEqual([0, 1, 2]);
    expect(batch(request('filter-schemas.batch', who))).toEqual([0, 1, 2, 3]);
    expect(batch(request('filter-columns.batch', who))).toEqual([0, 1, 2]);
  });

  it('gets no row filter and no column mask, even where other roles get both', () => {
    expect(decisions(request('get-row-filters', who)).rowFilters).toEqual([]);
    expect(decisions(request('get-column-mask.batch', who)).batchColumnMasks).toEqual([]);
  });
});

describe('engineer', () => {
  const who = PERSONAS.engineer;

  it('may create, insert into, rename and drop tables in the iceberg schemas it is granted', () => {
    for (const name of ['create-table', 'insert-into-table', 'drop-table', 'rename-table', 'create-schema', 'execute-table-procedure'])
      expect([name, allowed(request(name, who))]).toEqual([name, true]);
  });

  it('may not create or insert outside iceberg, where it only reads', () => {
    expect(allowed(onTable(request('create-table', who), 'postgresql', 'public', 'orders'))).toBe(false);
    expect(allowed(onTable(request('insert-into-table', who), 'postgresql', 'public', 'orders'))).toBe(false);
    expect(allowed(onTable(request('select-from-columns', who), 'postgresql', 'public', 'orders'))).toBe(true);
  });

  it('may not rename a table out of iceberg: both the table and its new name must be allowed', () => {
    const rename = request('rename-table', who);
    expect(allowed(withResource(rename, table('iceberg', 'staging', 'orders'), table('postgresql', 'public', 'orders')))).toBe(false);
  });

  it('is not an admin: impersonation and system information stay denied', () => {
    expect(allowed(request('impersonate-user', who))).toBe(false);
    expect(allowed(request('read-system-information', who))).toBe(false);
  });

  it('sees personal data in clear', () => {
    expect(decisions(request('get-column-mask.batch', who)).batchColumnMasks).toEqual([]);
  });
});

describe('analyst', () => {
  const who = PERSONAS.analyst;

  it('may select from columns in every catalog and schema', () => {
    for (const [catalog, schema] of [
      ['iceberg', 'raw'],
      ['iceberg', 'curated'],
      ['postgresql', 'public'],
    ])
      expect(allowed(onTable(request('select-from-columns', who), catalog, schema))).toBe(true);
    expect(batch(request('filter-tables.batch', who))).toEqual([0, 1, 2]);
  });

  it('may not create, insert into or drop tables anywhere', () => {
    for (const name of ['create-table', 'insert-into-table', 'drop-table', 'rename-table', 'create-schema', 'execute-table-procedure'])
      expect([name, allowed(request(name, who))]).toEqual([name, false]);
  });
});

describe('user', () => {
  const who = PERSONAS.user;

  it('reads like an analyst', () => {
    expect(allowed(onTable(request('select-from-columns', who), 'iceberg', 'raw', 'events'))).toBe(true);
    expect(allowed(request('create-table', who))).toBe(false);
  });

  it('sees personal-data columns masked, each by its kind, typed as the column', () => {
    expect(decisions(request('get-column-mask.batch', who)).batchColumnMasks).toEqual([
      { index: 1, viewExpression: { expression: 'CAST(to_hex(sha256(to_utf8("email"))) AS varchar)' } },
      { index: 2, viewExpression: { expression: "CAST('****' AS varchar(20))" } },
      { index: 3, viewExpression: { expression: 'CAST(NULL AS varchar(11))' } },
      // hash applies to text only: a date column gets a NULL of its own type.
      { index: 4, viewExpression: { expression: 'CAST(NULL AS date)' } },
    ]);
  });

  it('gets no row filter: none is declared for its role', () => {
    expect(decisions(request('get-row-filters', who)).rowFilters).toEqual([]);
  });
});

describe('viewer', () => {
  const who = PERSONAS.viewer;

  it('sees only the curated schema (and information_schema) when Trino filters schemas', () => {
    expect(batch(request('filter-schemas.batch', who))).toEqual([2, 3]);
    expect(batch(request('filter-tables.batch', who))).toEqual([2]);
    expect(batch(request('filter-columns.batch', who))).toEqual([0, 1, 2]);
  });

  it('sees the iceberg catalog and the system catalog, not postgresql', () => {
    expect(batch(request('filter-catalogs.batch', who))).toEqual([0, 2]);
    expect(allowed(request('show-schemas', who))).toBe(true);
    expect(allowed(withResource(request('show-schemas', who), { catalog: { name: 'postgresql' } }))).toBe(false);
  });

  it('may select in curated, not in raw or staging, and may not write', () => {
    expect(allowed(request('select-from-columns', who))).toBe(true);
    expect(allowed(onTable(request('select-from-columns', who), 'iceberg', 'raw', 'events'))).toBe(false);
    expect(allowed(onTable(request('select-from-columns', who), 'iceberg', 'staging', 'orders'))).toBe(false);
    expect(allowed(onTable(request('insert-into-table', who), 'iceberg', 'curated', 'customers'))).toBe(false);
  });

  it('reads metadata of the catalogs it may use only: information_schema and the JDBC tables, not system.runtime', () => {
    expect(allowed(onTable(request('select-from-columns', who), 'iceberg', 'information_schema', 'tables'))).toBe(true);
    expect(allowed(onTable(request('select-from-columns', who), 'postgresql', 'information_schema', 'tables'))).toBe(false);
    expect(allowed(onTable(request('select-from-columns', who), 'system', 'jdbc', 'tables'))).toBe(true);
    expect(allowed(onTable(request('select-from-columns', who), 'system', 'runtime', 'nodes'))).toBe(false);
  });

  it('gets its row filter on the filtered table only', () => {
    expect(decisions(request('get-row-filters', who)).rowFilters).toEqual([{ expression: "region = 'EU'" }]);
    expect(decisions(onTable(request('get-row-filters', who), 'iceberg', 'curated', 'orders')).rowFilters).toEqual([]);
  });

  it('sees personal data masked', () => {
    expect(decisions(request('get-column-mask.batch', who)).batchColumnMasks.map((m) => m.index)).toEqual([1, 2, 3, 4]);
  });

  it('gets every filter that applies when a role and a project both have one (Trino ANDs them)', () => {
    expect(decisions(request('get-row-filters', PERSONAS.riskViewer)).rowFilters).toEqual([
      { expression: "region = 'EU'" },
      { expression: "status = 'active'" },
    ]);
  });
});

describe('project members', () => {
  const who = PERSONAS.scoring;

  it('use the schemas their project is granted, with the project grant privileges', () => {
    expect(allowed(onTable(request('select-from-columns', who), 'iceberg', 'scoring', 'features'))).toBe(true);
    expect(allowed(onTable(request('create-table', who), 'iceberg', 'scoring', 'features'))).toBe(true);
    expect(batch(request('filter-schemas.batch', who))).toEqual([3]);
  });

  it('have no role grants: other schemas stay out of reach', () => {
    expect(allowed(request('select-from-columns', who))).toBe(false);
    expect(allowed(onTable(request('select-from-columns', who), 'iceberg', 'raw', 'events'))).toBe(false);
  });

  it('see personal data masked unless they also hold a role that reads it in clear', () => {
    expect(decisions(request('get-column-mask.batch', who)).batchColumnMasks).toHaveLength(4);
    const alsoAnalyst = { user: 'frank', groups: ['project-scoring', 'platform-analyst'] };
    expect(decisions(request('get-column-mask.batch', alsoAnalyst)).batchColumnMasks).toEqual([]);
  });

  it('get the row filter of their project', () => {
    const riskMember = { user: 'henry', groups: ['project-risk'] };
    expect(decisions(request('get-row-filters', riskMember)).rowFilters).toEqual([{ expression: "status = 'active'" }]);
  });
});

describe('every member', () => {
  it('may run queries and see and kill its own queries, not other users', () => {
    for (const who of [PERSONAS.viewer, PERSONAS.scoring]) {
      expect(allowed(request('execute-query', who))).toBe(true);
      const own = request('view-query-owned-by', who);
      expect(allowed(withResource(own, { user: { user: who.user, groups: who.groups } }))).toBe(true);
      expect(allowed(withResource(own, { user: { user: 'someone-else', groups: [] } }))).toBe(false);
    }
  });

  it('may not impersonate, read system information or create catalogs unless admin', () => {
    for (const who of [PERSONAS.engineer, PERSONAS.analyst, PERSONAS.viewer])
      for (const operation of ['ReadSystemInformation', 'WriteSystemInformation', 'CreateCatalog', 'ImpersonateUser'])
        expect([who.user, operation, allowed({ ...request('impersonate-user', who), action: { operation, resource: {} } })]).toEqual([
          who.user,
          operation,
          false,
        ]);
  });

  it('is denied an operation the model does not know, whatever its resource', () => {
    expect(
      allowed({
        ...request('select-from-columns', PERSONAS.analyst),
        action: { operation: 'CreateBranch', resource: table('iceberg', 'raw', 'events') },
      }),
    ).toBe(false);
  });
});

describe("Trino's management user (management.user: /metrics over in-cluster HTTP)", () => {
  const who = { user: TRINO_MANAGEMENT_USER, groups: [] };

  it('may read system information, which the coordinator checks for its management endpoints', () => {
    expect(allowed(request('read-system-information', who))).toBe(true);
  });

  it('may do nothing else: no write of system information, no query, no data, no batch item', () => {
    expect(allowed({ ...request('read-system-information', who), action: { operation: 'WriteSystemInformation' } })).toBe(false);
    for (const name of FIXTURE_NAMES.filter((n) => n !== 'read-system-information'))
      expect([name, allowed(request(name, who))]).toEqual([name, false]);
    expect(batch(request('filter-catalogs.batch', who))).toEqual([]);
  });

  it('is known by name only: another user with no role is refused, and the rule follows the model', () => {
    expect(allowed(request('read-system-information', { user: 'prometheus', groups: [] }))).toBe(false);
    const renamed = { ...model, managementUsers: ['ops-metrics'] };
    expect(trinoPolicy(renamed, request('read-system-information', { user: 'ops-metrics', groups: [] })).allow).toBe(true);
    expect(trinoPolicy(renamed, request('read-system-information', who)).allow).toBe(false);
  });
});

describe('an unknown identity', () => {
  it('is denied every operation, ExecuteQuery included, and every batch item', () => {
    for (const who of [PERSONAS.stranger, PERSONAS.nobody, PERSONAS.otherPrefix])
      for (const name of FIXTURE_NAMES) {
        const d = decisions(request(name, who));
        expect([who.user, name, d.allow, d.batch]).toEqual([who.user, name, false, []]);
      }
  });

  it('gets masks rather than clear personal data if it ever reached a table', () => {
    expect(decisions(request('get-column-mask.batch', PERSONAS.stranger)).batchColumnMasks).toHaveLength(4);
  });
});

describe("the realm's default role (analyst), which every token carries", () => {
  // As Keycloak issues them: the default-roles composite adds analyst and two built-in roles.
  const token = (user: string, ...groups: string[]) => ({
    user,
    groups: [...groups, 'platform-analyst', 'default-roles-platform', 'offline_access', 'uma_authorization'],
  });
  const viewer = token('dave', 'platform-viewer');
  const user = token('eve', 'platform-user');

  it('does not widen a viewer: curated only, rows filtered, personal data masked, no assistant', () => {
    expect(allowed(onTable(request('select-from-columns', viewer), 'iceberg', 'raw', 'events'))).toBe(false);
    expect(batch(request('filter-schemas.batch', viewer))).toEqual([2, 3]);
    expect(decisions(request('get-row-filters', viewer)).rowFilters).toEqual([{ expression: "region = 'EU'" }]);
    expect(decisions(request('get-column-mask.batch', viewer)).batchColumnMasks.map((m) => m.index)).toEqual([1, 2, 3, 4]);
    expect(assistantPolicy(model, { context: { identity: viewer } })).toBe(false);
  });

  it('does not unmask personal data for a user', () => {
    expect(decisions(request('get-column-mask.batch', user)).batchColumnMasks.map((m) => m.index)).toEqual([1, 2, 3, 4]);
  });

  it('gives analyst access to a user with no other platform role', () => {
    const newcomer = token('nina');
    expect(allowed(onTable(request('select-from-columns', newcomer), 'iceberg', 'raw', 'events'))).toBe(true);
    expect(decisions(request('get-column-mask.batch', newcomer)).batchColumnMasks).toEqual([]);
    expect(assistantPolicy(model, { context: { identity: newcomer } })).toBe(true);
  });
});

describe('the assistant slot', () => {
  it('is open to the roles the config names and closed to the others', () => {
    const ask = (who: { user: string; groups: string[] }) => assistantPolicy(model, { context: { identity: who } });
    expect([PERSONAS.admin, PERSONAS.engineer, PERSONAS.analyst].map(ask)).toEqual([true, true, true]);
    expect([PERSONAS.user, PERSONAS.viewer, PERSONAS.scoring, PERSONAS.stranger].map(ask)).toEqual([false, false, false, false]);
  });

  it('follows a changed role list, admin included', () => {
    const viewersOnly = testModel({ assistant: { roles: ['viewer'] } });
    expect(assistantPolicy(viewersOnly, { context: { identity: PERSONAS.viewer } })).toBe(true);
    expect(assistantPolicy(viewersOnly, { context: { identity: PERSONAS.admin } })).toBe(false);
  });
});

describe('the decision paths Trino and the assistant call', () => {
  it('each name a rule the bundle answers, with the result type the caller decodes', () => {
    const who = PERSONAS.viewer;
    expect(decide(model, OPA_DECISIONS.allow, request('select-from-columns', who))).toBe(true);
    expect(decide(model, OPA_DECISIONS.batch, request('filter-schemas.batch', who))).toEqual([2, 3]);
    expect(decide(model, OPA_DECISIONS.rowFilters, request('get-row-filters', who))).toEqual([{ expression: "region = 'EU'" }]);
    expect(decide(model, OPA_DECISIONS.batchColumnMasks, request('get-column-mask.batch', who))).toHaveLength(4);
    expect(decide(model, OPA_DECISIONS.assistant, request('execute-query', PERSONAS.analyst))).toBe(true);
  });
});

describe("OPA's own API (system.authz)", () => {
  const ask = (method: string, path: string) => authzPolicy(model, { method, path: path.split('/').filter(Boolean) });

  it('answers every decision of the contract, by POST', () => {
    for (const decision of Object.values(OPA_DECISIONS)) expect([decision, ask('POST', decision)]).toEqual([decision, true]);
  });

  it('serves health and metrics', () => {
    expect([ask('GET', '/health'), ask('GET', '/metrics')]).toEqual([true, true]);
  });

  it('refuses to replace policies or data, to read the model, or to evaluate anything else', () => {
    expect(ask('PUT', '/v1/policies/trino.rego')).toBe(false);
    expect(ask('DELETE', '/v1/policies/system.authz.rego')).toBe(false);
    expect(ask('PUT', '/v1/data/access_model')).toBe(false);
    expect(ask('PATCH', '/v1/data/access_model')).toBe(false);
    expect(ask('GET', '/v1/data/access_model')).toBe(false);
    expect(ask('GET', '/v1/data/trino/allow')).toBe(false);
    expect(ask('POST', '/v1/data/trino')).toBe(false);
    expect(ask('POST', '/v1/data/trino/identity_groups')).toBe(false);
    expect(ask('POST', '/v1/query')).toBe(false);
  });
});

// The compiled access model: the data document OPA loads from the `opa-data` ConfigMap.
import {
  ADMIN_ONLY_OPERATIONS,
  compileAccessModel,
  PRIVILEGE_OPERATIONS,
  renderAccessData,
} from '../../../../components/governance/opa/access-model';
import { parseProperties } from '../../../../components/compute/trino/properties';
import { TRINO_MANAGEMENT_USER } from '../../../../components/governance/contract';
import { buildFor, configFor, find, objectsOf } from '../../../helpers/build';
import { CUSTOMERS, TEST_ACCESS, testConfig, testModel } from './trino-requests';

/**
 * Every operation Trino's OPA plugin sends to opa.policy.uri / batched-uri, as named in
 * trinodb/trino plugin/trino-opa/src/main/java/io/trino/plugin/opa/OpaAccessControl.java and
 * OpaBatchAccessControl.java (GetRowFilters and GetColumnMask go to their own URIs).
 */
const PLUGIN_OPERATIONS = [
  'ImpersonateUser',
  'ExecuteQuery',
  'ViewQueryOwnedBy',
  'FilterViewQueryOwnedBy',
  'KillQueryOwnedBy',
  'ReadSystemInformation',
  'WriteSystemInformation',
  'SetSystemSessionProperty',
  'AccessCatalog',
  'CreateCatalog',
  'DropCatalog',
  'FilterCatalogs',
  'CreateSchema',
  'DropSchema',
  'RenameSchema',
  'SetSchemaAuthorization',
  'ShowSchemas',
  'FilterSchemas',
  'ShowCreateSchema',
  'ShowCreateTable',
  'CreateTable',
  'DropTable',
  'RenameTable',
  'SetTableProperties',
  'SetTableComment',
  'SetViewComment',
  'SetColumnComment',
  'ShowTables',
  'FilterTables',
  'ShowColumns',
  'FilterColumns',
  'AddColumn',
  'AlterColumn',
  'DropColumn',
  'SetTableAuthorization',
  'RenameColumn',
  'SelectFromColumns',
  'InsertIntoTable',
  'DeleteFromTable',
  'TruncateTable',
  'UpdateTableColumns',
  'CreateView',
  'RenameView',
  'SetViewAuthorization',
  'DropView',
  'CreateViewWithSelectFromColumns',
  'CreateMaterializedView',
  'RefreshMaterializedView',
  'SetMaterializedViewProperties',
  'SetMaterializedViewComment',
  'DropMaterializedView',
  'RenameMaterializedView',
  'SetCatalogSessionProperty',
  'ShowFunctions',
  'FilterFunctions',
  'ExecuteProcedure',
  'ExecuteFunction',
  'CreateViewWithExecuteFunction',
  'ExecuteTableProcedure',
  'CreateFunction',
  'DropFunction',
  'ShowCreateFunction',
];

describe('the compiled access model of the k3d profile', () => {
  const data = compileAccessModel(configFor('k3d'));

  it('names the admin group and every role and project group as members, not team groups', () => {
    expect(data.adminGroups).toEqual(['platform-admin']);
    expect(data.memberGroups).toEqual([
      'platform-admin',
      'platform-engineer',
      'platform-analyst',
      'platform-user',
      'platform-viewer',
      'project-scoring',
      'project-risk',
    ]);
    expect(data.memberGroups.some((g) => g.startsWith('team-'))).toBe(false);
  });

  it('turns each configured grant into one for the role groups, after the system metadata every member reads', () => {
    expect(data.grants).toEqual([
      { groups: data.memberGroups, catalog: 'system', schemas: ['jdbc', 'metadata', 'builtin'], privileges: ['read'] },
      { groups: ['platform-engineer'], catalog: 'iceberg', schemas: ['*'], privileges: ['read', 'write', 'create'] },
      { groups: ['platform-engineer', 'platform-analyst', 'platform-user'], catalog: '*', schemas: ['*'], privileges: ['read'] },
      { groups: ['platform-viewer'], catalog: 'iceberg', schemas: ['curated'], privileges: ['read'] },
    ]);
  });

  it('shows personal data in clear to admins and the roles not listed as masked', () => {
    expect(data.unmaskedGroups).toEqual(['platform-admin', 'platform-engineer', 'platform-analyst']);
  });

  it("lets Trino's management user read system information only, the user Trino's config names as management.user", () => {
    expect(data.managementUsers).toEqual([TRINO_MANAGEMENT_USER]);
    expect(data.managementOperations).toEqual(['ReadSystemInformation']);
    const config = find(objectsOf(buildFor('k3d'), 'trino'), 'ConfigMap', 'trino-coordinator-config').data['config.properties'];
    expect(parseProperties(config)['management.user']).toBe(TRINO_MANAGEMENT_USER);
  });

  it('opens the assistant to the configured roles', () => {
    expect(data.assistantGroups).toEqual(['platform-admin', 'platform-engineer', 'platform-analyst']);
  });

  it('is plain JSON, rendered the same every time', () => {
    const text = renderAccessData(data);
    expect(JSON.parse(text)).toEqual(data);
    expect(renderAccessData(compileAccessModel(configFor('k3d')))).toBe(text);
  });
});

describe('group names', () => {
  it('follow the prefix: roles become <prefix>-<role>', () => {
    const data = compileAccessModel(configFor('k3d', { prefix: 'acme' }));
    expect(data.adminGroups).toEqual(['acme-admin']);
    expect(data.grants[1].groups).toEqual(['acme-engineer']);
  });

  it('give project grants and row filters to project-<name> groups', () => {
    const data = testModel();
    expect(data.grants.at(-1)).toMatchObject({ groups: ['project-scoring'], schemas: ['scoring'] });
    expect(data.rowFilters.map((f) => f.groups)).toEqual([['platform-viewer'], ['project-risk']]);
  });
});

describe('personal data', () => {
  const data = testModel();

  it('becomes one entry per column with its mask', () => {
    expect(data.personalData).toEqual([
      { ...CUSTOMERS, column: 'email', mask: 'hash' },
      { ...CUSTOMERS, column: 'birth_date', mask: 'hash' },
      { ...CUSTOMERS, column: 'phone', mask: 'redact' },
      { ...CUSTOMERS, column: 'ssn', mask: 'null' },
    ]);
  });

  it('masks with SQL cast to the column type, the hash and redact masks on text columns only', () => {
    expect(data.maskTemplates).toEqual({
      hash: 'CAST(to_hex(sha256(to_utf8({column}))) AS {type})',
      redact: "CAST('****' AS {type})",
      null: 'CAST(NULL AS {type})',
    });
    const text = new RegExp(data.textColumnType);
    expect(['varchar', 'varchar(20)'].map((t) => text.test(t))).toEqual([true, true]);
    expect(['char(2)', 'varbinary', 'date', 'array(varchar)', 'bigint'].map((t) => text.test(t))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('rejects a column tagged twice, naming both places: Trino takes one mask per column', () => {
    const twice = { ...TEST_ACCESS, personalData: [...TEST_ACCESS.personalData, { ...CUSTOMERS, columns: ['ssn'], mask: 'hash' }] };
    expect(() => testConfig(twice)).toThrow(
      'governance.access.personalData.3.columns.0: received "ssn"; "iceberg.curated.customers.ssn" is already tagged at governance.access.personalData.2.columns.0; a column has one mask',
    );
  });

  it('accepts the same column name in two tables', () => {
    const other = {
      ...TEST_ACCESS,
      personalData: [
        { ...CUSTOMERS, columns: ['email'], mask: 'hash' },
        { ...CUSTOMERS, table: 'leads', columns: ['email'], mask: 'hash' },
      ],
    };
    expect(() => testConfig(other)).not.toThrow();
  });
});

describe('Trino operations', () => {
  const data = testModel();
  const classified = [...data.memberOperations, ...data.ownQueryOperations, ...Object.keys(data.operations), ...ADMIN_ONLY_OPERATIONS];

  it('classify every operation the OPA plugin sends exactly once', () => {
    expect([...classified].sort()).toEqual([...PLUGIN_OPERATIONS].sort());
  });

  it('give admin-only operations no rule a member could match', () => {
    for (const op of ADMIN_ONLY_OPERATIONS) expect([op, data.operations[op]]).toEqual([op, undefined]);
  });

  it('check catalog operations on the catalog and the rest on a schema with a privilege', () => {
    expect(data.operations.AccessCatalog).toEqual({ scope: 'catalog' });
    expect(data.operations.SelectFromColumns).toEqual({ scope: 'schema', privilege: 'read' });
    expect(data.operations.InsertIntoTable).toEqual({ scope: 'schema', privilege: 'write' });
    expect(data.operations.CreateTable).toEqual({ scope: 'schema', privilege: 'create' });
    expect(data.operations.DropTable).toEqual({ scope: 'schema', privilege: 'create' });
    for (const [privilege, ops] of Object.entries(PRIVILEGE_OPERATIONS))
      for (const op of ops) expect(data.operations[op]).toEqual({ scope: 'schema', privilege });
  });

  it('let every member run queries and see only its own', () => {
    expect(data.memberOperations).toEqual(['ExecuteQuery']);
    expect(data.ownQueryOperations).toEqual(['ViewQueryOwnedBy', 'FilterViewQueryOwnedBy', 'KillQueryOwnedBy']);
  });
});

// The idempotent SQL that gives each consuming service its database and a least-privilege role,
// derived from the services' database declarations. Passwords never appear in the SQL: psql reads
// them from the Job's environment (\getenv), which takes them from Secrets.
import type { PostgresInstanceName, ServiceDeclaration } from '../../platform/service';
import { roleName, WAREHOUSE_DATABASE } from '../contract';

export interface RolePlan {
  role: string;
  /** The Job env var holding the role's password. */
  passwordEnv: string;
}

export interface DatabasePlan {
  database: string;
  owner: string;
  /** The owner is a NOLOGIN role made for the database when no service owns it. */
  ownerIsGroupRole: boolean;
  readers: string[];
  extensions: string[];
}

export interface BootstrapPlan {
  instance: PostgresInstanceName;
  roles: RolePlan[];
  databases: DatabasePlan[];
}

/** Databases an instance always has, whoever uses them. */
export const INSTANCE_DATABASES: Record<PostgresInstanceName, { database: string; extensions: string[] }[]> = {
  platform: [],
  warehouse: [{ database: WAREHOUSE_DATABASE, extensions: ['postgis', 'vector'] }],
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const EXTENSION = /^[a-z_][a-z0-9_-]{0,62}$/;

export function bootstrapPlan(instance: PostgresInstanceName, services: ServiceDeclaration[]): BootstrapPlan {
  const roles: RolePlan[] = [];
  const databases = new Map<string, DatabasePlan>();
  const database = (name: string): DatabasePlan => {
    if (!IDENTIFIER.test(name)) throw new Error(`database "${name}": expected lowercase letters, digits and "_"`);
    let plan = databases.get(name);
    if (!plan) {
      plan = { database: name, owner: `${name}_owner`, ownerIsGroupRole: true, readers: [], extensions: [] };
      databases.set(name, plan);
    }
    return plan;
  };
  for (const d of INSTANCE_DATABASES[instance]) database(d.database).extensions.push(...d.extensions);

  for (const service of services) {
    const uses = service.databases.filter((d) => d.instance === instance);
    if (!uses.length) continue;
    const role = roleName(service.name);
    roles.push({ role, passwordEnv: `PASSWORD_${role.toUpperCase()}` });
    for (const use of uses) {
      const plan = database(use.database);
      if (use.access === 'owner') {
        if (!plan.ownerIsGroupRole)
          throw new Error(
            `database "${use.database}" on postgres-${instance}: owned by both "${plan.owner}" and "${role}"; one service may own it`,
          );
        plan.owner = role;
        plan.ownerIsGroupRole = false;
      } else plan.readers.push(role);
      for (const ext of use.extensions ?? []) {
        if (!EXTENSION.test(ext)) throw new Error(`service "${service.name}": extension "${ext}" is not a valid name`);
        if (!plan.extensions.includes(ext)) plan.extensions.push(ext);
      }
    }
  }
  return { instance, roles, databases: [...databases.values()] };
}

/** Each \\connect opens a new session: "already exists, skipping" notices are noise on re-runs. */
const QUIET = 'SET client_min_messages TO warning;';

const q = (text: string) => `'${text.replace(/'/g, "''")}'`;

function roleSql(role: string, login: { passwordEnv: string } | undefined): string[] {
  const attributes = 'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';
  const lines = [`SELECT format('CREATE ROLE %I', ${q(role)}) WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${q(role)})\\gexec`];
  if (!login) return [...lines, `ALTER ROLE "${role}" WITH NOLOGIN ${attributes};`];
  const variable = `pw_${role}`;
  return [...lines, `\\getenv ${variable} ${login.passwordEnv}`, `ALTER ROLE "${role}" WITH LOGIN ${attributes} PASSWORD :'${variable}';`];
}

function databaseSql(db: DatabasePlan): string[] {
  const name = db.database;
  const lines = [
    `-- database ${name}: owner ${db.owner}${db.readers.length ? `, readers ${db.readers.join(', ')}` : ''}`,
    `SELECT format('CREATE DATABASE %I OWNER %I', ${q(name)}, ${q(db.owner)}) WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = ${q(name)})\\gexec`,
    `ALTER DATABASE "${name}" OWNER TO "${db.owner}";`,
    `REVOKE ALL ON DATABASE "${name}" FROM PUBLIC;`,
    ...db.readers.map((r) => `GRANT CONNECT ON DATABASE "${name}" TO "${r}";`),
    `\\connect "${name}"`,
    QUIET,
    `ALTER SCHEMA public OWNER TO "${db.owner}";`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC;`,
    ...db.extensions.map((ext) => `CREATE EXTENSION IF NOT EXISTS "${ext}";`),
  ];
  for (const reader of db.readers) {
    lines.push(
      // Every schema that exists now, and every table the owner creates later.
      `DO $$ DECLARE s name; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, ${q(reader)}); EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', s, ${q(reader)}); END LOOP; END $$;`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE "${db.owner}" GRANT USAGE ON SCHEMAS TO "${reader}";`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE "${db.owner}" GRANT SELECT ON TABLES TO "${reader}";`,
    );
  }
  return [...lines, `\\connect postgres`, QUIET];
}

export function renderBootstrapSql(plan: BootstrapPlan): string {
  const groupOwners = plan.databases.filter((d) => d.ownerIsGroupRole).map((d) => d.owner);
  return [
    `-- Generated by the analytics platform: databases and roles for postgres-${plan.instance}.`,
    '-- Safe to run any number of times.',
    '\\set ON_ERROR_STOP on',
    QUIET,
    ...plan.roles.flatMap((r) => roleSql(r.role, r)),
    ...groupOwners.flatMap((owner) => roleSql(owner, undefined)),
    ...plan.databases.flatMap(databaseSql),
    '',
  ].join('\n');
}

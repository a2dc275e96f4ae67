// The catalog's clients and what they may do. Every service with an edge to Polaris' API (the
// engines: Trino, Spark) signs in as its own principal with its own principal role, which holds
// one catalog role: tables and views in the configured namespaces, and nothing else. No client
// can manage principals, roles or grants, create or drop namespaces, or touch the catalog itself:
// that stays with root, whose credentials only Polaris and its bootstrap Job hold.
//
// A client's secret is generated once and planned twice under the same random id: in the client's
// own Secret (its namespace) and in the Secret the bootstrap Job mounts, which resets the
// principal's credentials to that value whenever Polaris does not accept it (bootstrap.ts).
import type { BuildContext } from '../../platform/context';
import { literal, randomValue, SecretValueSource } from '../../platform/secrets';
import type { ServiceDeclaration } from '../../platform/service';
import { POLARIS_PORTS, POLARIS_SERVICE, polarisPrincipalRole, polarisSecretKeys, polarisSecretName } from '../contract';

export interface CatalogClient {
  service: string;
  /** The principal's name, also its OAuth2 client id. */
  principal: string;
  principalRole: string;
  /** The random id of its client secret. */
  secretId: string;
}

/** The catalog role every client's principal role holds. */
export const CLIENT_CATALOG_ROLE = 'table_readwrite';

/**
 * Granted on the catalog: list its namespaces (LIST_NAMESPACES, NAMESPACE_EXISTS). Namespaces are
 * created by the bootstrap from the config only, so no NAMESPACE_CREATE or NAMESPACE_DROP.
 */
export const CATALOG_PRIVILEGES = ['NAMESPACE_LIST'] as const;

/**
 * Granted on each configured namespace, inherited by its tables and views (PolarisAuthorizerImpl,
 * RbacOperationSemantics in 1.7.0): read the namespace; list, load, create, commit to, rename and
 * drop tables (dbt replaces its models through Trino); the same for views, which Trino lists
 * whenever it lists tables (TrinoRestCatalog.listTables). TABLE_WRITE_DATA also satisfies every
 * metadata update a commit makes (TABLE_ADD_SNAPSHOT, TABLE_SET_PROPERTIES, ...).
 */
export const NAMESPACE_PRIVILEGES = [
  'NAMESPACE_READ_PROPERTIES',
  'TABLE_LIST',
  'TABLE_READ_DATA',
  'TABLE_WRITE_DATA',
  'TABLE_CREATE',
  'TABLE_DROP',
  'VIEW_LIST',
  'VIEW_READ_PROPERTIES',
  'VIEW_CREATE',
  'VIEW_WRITE_PROPERTIES',
  'VIEW_DROP',
] as const;

/** The bootstrap Job's copy of every client's secret, one key per principal; no other pod mounts it. */
export const CLIENT_SECRETS_SECRET = 'polaris-clients';
export const CLIENT_SECRETS_DIR = '/etc/polaris-clients';

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** The services with an edge to Polaris' API, in declaration order. */
export function catalogClients(services: ServiceDeclaration[]): CatalogClient[] {
  return services
    .filter((s) => s.name !== POLARIS_SERVICE && s.edges.some((e) => e.to === POLARIS_SERVICE && e.port === POLARIS_PORTS.api.name))
    .map((s) => {
      // Names go into management API paths and the bootstrap script unquoted.
      if (!NAME.test(s.name)) throw new Error(`polaris: catalog client "${s.name}" is not a valid principal name (${NAME})`);
      return {
        service: s.name,
        principal: s.name,
        principalRole: polarisPrincipalRole(s.name),
        secretId: `${POLARIS_SERVICE}/client/${s.name}`,
      };
    });
}

/** Each client's Secret in its own namespace, and the bootstrap's copy beside Polaris. */
export function planClientSecrets(ctx: BuildContext, clients: CatalogClient[]): void {
  for (const client of clients) {
    const data: Record<(typeof polarisSecretKeys)[number], SecretValueSource> = {
      'client-id': literal(client.principal),
      'client-secret': randomValue(client.secretId),
      credential: { kind: 'template', ids: [client.secretId], render: (values) => `${client.principal}:${values[client.secretId]}` },
    };
    ctx.addSecret({ name: polarisSecretName(client.service), namespace: ctx.namespaceOf(client.service), service: client.service, data });
  }
  if (clients.length)
    ctx.addSecret({
      name: CLIENT_SECRETS_SECRET,
      namespace: ctx.namespaceOf(POLARIS_SERVICE),
      service: POLARIS_SERVICE,
      data: Object.fromEntries(clients.map((c) => [c.principal, randomValue(c.secretId)])),
    });
}

// How other services reach the storage layer: the names and ports a consumer's derived edges,
// credentials Secrets and endpoints are built from, and the Iceberg catalog (Polaris) as the
// engines see it. Declared here once; the storage services take them from here too, so this file
// imports nothing at run time and no service file of another layer needs to be imported.
import type { BuildContext } from '../platform/context';
import type { PostgresInstanceName } from '../platform/service';
import type { CatalogPlan, S3Target } from './polaris/bootstrap';

export type { CatalogPlan, S3Target } from './polaris/bootstrap';

export const postgresServiceName = (instance: PostgresInstanceName): string => `postgres-${instance}`;
export const POSTGRES_PORT = { name: 'postgres', port: 5432 } as const;

export const S3_SERVICE = 'seaweedfs';
export const S3_PORT = { name: 's3', port: 8333 } as const;
/** SeaweedFS ignores the region, but SigV4 clients need one and must all agree. */
export const S3_REGION = 'us-east-1';

/** PostgreSQL role names follow service names, with "-" made "_". */
export const roleName = (service: string): string => service.replace(/-/g, '_');

/** The Secret a consumer reads its database credentials from, in its own namespace. */
export const databaseSecretName = (service: string, instance: PostgresInstanceName): string => `${service}-postgres-${instance}`;

/** The Secret a consumer reads its S3 credentials from, in its own namespace. */
export const s3SecretName = (service: string): string => `${service}-s3`;

/** Bucket names are global on cloud S3: the platform prefix keeps them apart. */
export const bucketName = (prefix: string, name: string): string => `${prefix}-${name}`;

export const databaseSecretKeys = ['username', 'password', 'host', 'port', 'database', 'jdbc-url'] as const;
export const s3SecretKeys = ['access-key', 'secret-key', 'endpoint', 'region'] as const;

/** The database every warehouse instance holds, whoever uses it (postgres/bootstrap.ts INSTANCE_DATABASES). */
export const WAREHOUSE_DATABASE = 'warehouse';

export const POLARIS_SERVICE = 'polaris';
export const POLARIS_PORTS = { api: { name: 'api', port: 8181 }, management: { name: 'management', port: 8182 } } as const;
/** The bucket the Iceberg catalog keeps its tables in. */
export const WAREHOUSE_BUCKET = 'warehouse';
/** The header every request to Polaris names its realm in; the server refuses requests without it. */
export const POLARIS_REALM_HEADER = 'Polaris-Realm';

/**
 * A catalog client (a service with an edge to Polaris' API: the engines) signs in as its own
 * principal, never as root: the storage layer plans this Secret in the client's namespace, and the
 * catalog bootstrap gives the principal exactly these credentials. `credential` is
 * `client-id:client-secret`, the form of Iceberg's OAuth2 `credential` setting.
 */
export const polarisSecretName = (service: string): string => `${service}-polaris`;
export const polarisSecretKeys = ['client-id', 'client-secret', 'credential'] as const;
/** The client's principal role, the only one its tokens carry: scope `PRINCIPAL_ROLE:<role>`, not `ALL`. */
export const polarisPrincipalRole = (service: string): string => service;
export const polarisScope = (service: string): string => `PRINCIPAL_ROLE:${polarisPrincipalRole(service)}`;

/** Where the catalog's data lives, as Polaris and its clients reach it. */
function s3Target(ctx: BuildContext, from: string): S3Target {
  const store = ctx.config.objectStorage;
  if (store.mode === 'external') return { endpoint: store.endpoint, region: store.region, pathStyle: store.pathStyle };
  return { endpoint: ctx.connect(from, S3_SERVICE, S3_PORT.name).url(), region: S3_REGION, pathStyle: true };
}

/** The catalog as `from` (Polaris itself, or an engine) reaches it: realm, catalog, namespaces, warehouse bucket and S3 endpoint. */
export function catalogPlan(ctx: BuildContext, from: string): CatalogPlan {
  const { realm, catalog, namespaces } = ctx.config.polaris;
  return { realm, catalog, namespaces, bucket: bucketName(ctx.config.prefix, WAREHOUSE_BUCKET), s3: s3Target(ctx, from) };
}

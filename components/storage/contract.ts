// How other services reach the storage layer: the names and ports a consumer's derived edges,
// credentials Secrets and endpoints are built from. Declared here once.
import type { PostgresInstanceName } from '../platform/service';

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

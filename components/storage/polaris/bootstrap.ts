// What the Polaris bootstrap Job and the server's start-up gate run, generated from the config:
// the management API request bodies for the catalog, its grant and its namespaces, the POSIX sh
// script that sends them and sets up the catalog's clients (catalog-script.ts), the admin tool's
// root credentials file, and the wait for the JDBC schema. No secret value appears in any of them:
// the scripts read credentials from their environment and mounted files, filled from Secrets.
import { BOOTSTRAP_DIR, CATALOG_ADMIN_ROLE, renderCatalogScript } from './catalog-script';
import type { CatalogClient } from './principals';

export { BOOTSTRAP_DIR, CATALOG_ADMIN_ROLE, renderCatalogScript };

export interface S3Target {
  /** The S3 endpoint Polaris and its clients use (no STS: Polaris vends no credentials). */
  endpoint: string;
  region: string;
  pathStyle: boolean;
}

export interface CatalogPlan {
  realm: string;
  catalog: string;
  bucket: string;
  namespaces: string[];
  s3: S3Target;
}

export const CATALOG_SCRIPT = 'create-catalog.sh';

const CATALOG_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAMESPACE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** POST /api/management/v1/catalogs (spec/polaris-management-service.yml CreateCatalogRequest). */
export function catalogRequest(plan: CatalogPlan): object {
  return {
    catalog: {
      name: plan.catalog,
      type: 'INTERNAL',
      properties: { 'default-base-location': `s3://${plan.bucket}/${plan.catalog}` },
      storageConfigInfo: {
        storageType: 'S3',
        allowedLocations: [`s3://${plan.bucket}/`],
        endpoint: plan.s3.endpoint,
        pathStyleAccess: plan.s3.pathStyle,
        // The object store has no STS: Polaris uses its own keys and vends none to clients.
        stsUnavailable: true,
        region: plan.s3.region,
      },
    },
  };
}

/** PUT .../catalog-roles/catalog_admin/grants: table data, not only metadata (PolarisAuthorizerImpl). */
export const grantRequest = { grant: { type: 'catalog', privilege: 'CATALOG_MANAGE_CONTENT' } } as const;

/** POST /api/catalog/v1/{catalog}/namespaces (Iceberg CreateNamespaceRequest). */
export const namespaceRequest = (namespace: string): object => ({ namespace: [namespace], properties: {} });

export const namespaceFile = (namespace: string): string => `namespace-${namespace}.json`;

/** The ConfigMap data the Job mounts at BOOTSTRAP_DIR: request bodies and the script. */
export function catalogBootstrapFiles(plan: CatalogPlan, clients: CatalogClient[] = []): Record<string, string> {
  if (!CATALOG_NAME.test(plan.catalog)) throw new Error(`polaris.catalog: "${plan.catalog}" is not a valid catalog name`);
  const bad = plan.namespaces.filter((n) => !NAMESPACE_NAME.test(n));
  if (bad.length) throw new Error(`polaris.namespaces: ${bad.map((n) => `"${n}"`).join(', ')} not lowercase letters, digits and "_"`);
  const json = (body: object) => `${JSON.stringify(body, null, 2)}\n`;
  return {
    'catalog.json': json(catalogRequest(plan)),
    'grant.json': json(grantRequest),
    ...Object.fromEntries(plan.namespaces.map((n) => [namespaceFile(n), json(namespaceRequest(n))])),
    [CATALOG_SCRIPT]: renderCatalogScript(plan, clients),
  };
}

/**
 * The admin tool's root credentials file (`bootstrap --credentials-file`, RootCredentialsSet
 * .fromUri: JSON keyed by realm). Rendered into a Secret from the generated client secret.
 */
export function rootCredentialsFile(realm: string, clientId: string, clientSecret: string): string {
  return `${JSON.stringify({ [realm]: { 'client-id': clientId, 'client-secret': clientSecret } })}\n`;
}

/**
 * Waits, with psql and the libpq PG* environment, until the admin tool has created the JDBC
 * schema. Polaris caches a realm's schema version at its first request, and falls back to version
 * 0 when the `version` table is missing (JdbcMetaStoreManagerFactory.getOrLoadSchemaVersion,
 * JdbcBasePersistenceImpl.loadSchemaVersion), so a server must not serve before the schema exists.
 */
export function renderSchemaWaitScript(): string {
  return `set -eu
query="SELECT version_value FROM polaris_schema.version WHERE version_key = 'version'"
while ! version=$(psql -X -w -q -t -A -c "$query" 2>&1) || [ -z "$version" ]; do
  echo "waiting for the Polaris schema in database $PGDATABASE on $PGHOST, created by the polaris-bootstrap Job: \${version:-no version row}"
  sleep "\${WAIT_SECONDS:-5}"
done
echo "Polaris schema version $version found"
`;
}

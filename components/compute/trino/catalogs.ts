// Trino's catalog files, each checked against its connector's documented keys
// (trino/catalog-keys.ts). Credentials are `${ENV:NAME}` references only.
import type { TrinoAiFunction } from './schema';
import { CatalogPlan, POLARIS_REALM_HEADER, polarisScope } from '../../storage/contract';
import { CATALOG_KEYS, ConnectorName } from './catalog-keys';
import { envRef, TRINO_ENV } from './config';
import { TRINO_SERVICE } from './names';
import { PropertyEntries, renderProperties } from './properties';

export const ICEBERG_CATALOG = 'iceberg';
export const POSTGRESQL_CATALOG = 'postgresql';
/** The AI functions' catalog; the functions live in its `ai` schema (functions/ai.html). */
export const AI_CATALOG = 'llm';
export const AI_SCHEMA = 'ai';

const catalogFile = (connector: ConnectorName, entries: PropertyEntries): string =>
  renderProperties(`catalog ${connector}`, CATALOG_KEYS[connector], [['connector.name', connector], ...entries]);

export interface IcebergSettings {
  plan: CatalogPlan;
  /** Polaris' API root, in-cluster (`http://polaris.<ns>:8181`). */
  polarisUrl: string;
}

/**
 * Iceberg tables through Polaris' REST catalog (object-storage/metastores.html#iceberg-rest-catalog),
 * signed in as Trino's own principal with its principal role only (storage/polaris/principals.ts),
 * data read and written with Trino's own S3 keys: the store has no STS, so Polaris vends none.
 * The realm header goes with every request, token requests included (Iceberg's `header.*`).
 */
export function icebergCatalog({ plan, polarisUrl }: IcebergSettings): string {
  return catalogFile('iceberg', [
    ['iceberg.catalog.type', 'rest'],
    ['iceberg.rest-catalog.uri', `${polarisUrl}/api/catalog`],
    ['iceberg.rest-catalog.warehouse', plan.catalog],
    ['iceberg.rest-catalog.security', 'OAUTH2'],
    ['iceberg.rest-catalog.oauth2.credential', envRef(TRINO_ENV.polarisCredential)],
    // Polaris requires a scope; this one is Trino's role alone (PRINCIPAL_ROLE:ALL would take every role it is given).
    ['iceberg.rest-catalog.oauth2.scope', polarisScope(TRINO_SERVICE)],
    // The token endpoint the bootstrap uses; without it the client falls back to a deprecated default path.
    ['iceberg.rest-catalog.oauth2.server-uri', `${polarisUrl}/api/catalog/v1/oauth/tokens`],
    ['iceberg.rest-catalog.http-headers', `${POLARIS_REALM_HEADER}:${plan.realm}`],
    ['iceberg.rest-catalog.vended-credentials-enabled', false],
    ['fs.s3.enabled', true],
    ['s3.endpoint', plan.s3.endpoint],
    ['s3.region', plan.s3.region],
    ['s3.path-style-access', plan.s3.pathStyle],
    ['s3.aws-access-key', envRef(TRINO_ENV.s3AccessKey)],
    ['s3.aws-secret-key', envRef(TRINO_ENV.s3SecretKey)],
  ]);
}

/** The warehouse database through Trino's own role, which may only read (postgres-bootstrap: `read` access). */
export function postgresqlCatalog(): string {
  return catalogFile('postgresql', [
    ['connection-url', envRef(TRINO_ENV.warehouseJdbcUrl)],
    ['connection-user', envRef(TRINO_ENV.warehouseUser)],
    ['connection-password', envRef(TRINO_ENV.warehousePassword)],
  ]);
}

/** The property overriding the model of each AI function (functions/ai.html, "Model configuration"). */
const AI_FUNCTION_PROPERTY: Record<TrinoAiFunction, string> = {
  analyzeSentiment: 'ai.analyze-sentiment.model',
  classify: 'ai.classify.model',
  extract: 'ai.extract.model',
  fixGrammar: 'ai.fix-grammar.model',
  generate: 'ai.generate.model',
  mask: 'ai.mask.model',
  translate: 'ai.translate.model',
};

export interface AiSettings {
  /** The gateway's origin: the OpenAI provider appends `/v1/chat/completions` itself (OpenAiClient). */
  endpoint: string;
  model: string;
  functions: Partial<Record<TrinoAiFunction, string>>;
}

/** The AI functions against the in-cluster OpenAI-compatible gateway, each call with Trino's gateway key. */
export function aiCatalog({ endpoint, model, functions }: AiSettings): string {
  const overrides = (Object.entries(functions) as [TrinoAiFunction, string][])
    .filter(([, m]) => m)
    .map(([fn, m]): [string, string] => [AI_FUNCTION_PROPERTY[fn], m]);
  return catalogFile('ai', [
    ['ai.provider', 'openai'],
    ['ai.openai.endpoint', endpoint],
    ['ai.openai.api-key', envRef(TRINO_ENV.llmGatewayKey)],
    ['ai.model', model],
    ...overrides,
  ]);
}

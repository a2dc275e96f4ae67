// The property keys Trino documents for each file the platform writes, with the page each list
// comes from (Trino 483 documentation). Every generated properties file is checked against its
// list (trino/properties.ts), so a misspelt key fails the build and its test instead of failing
// Trino at start-up ("Configuration property 'x' was not used"). The lists hold the documented
// keys the platform sets or is likely to set, not every key Trino accepts.

export interface DocumentedKeys {
  /** Where the list was read. */
  sources: string[];
  keys: ReadonlySet<string>;
}

const DOCS = 'https://trino.io/docs/483';

const documented = (sources: string[], ...groups: (readonly string[])[]): DocumentedKeys => ({
  sources,
  keys: new Set(groups.flat()),
});

/** Keys every catalog file may set (admin/properties-catalog). */
const CATALOG_COMMON = ['connector.name'] as const;

/** connector/iceberg.html, "General configuration" and "Authorization checks". */
const ICEBERG_GENERAL = [
  'iceberg.catalog.type',
  'iceberg.file-format',
  'iceberg.compression-codec',
  'iceberg.max-partitions-per-writer',
  'iceberg.target-max-file-size',
  'iceberg.unique-table-location',
  'iceberg.dynamic-filtering.wait-timeout',
  'iceberg.delete-schema-locations-fallback',
  'iceberg.minimum-assigned-split-weight',
  'iceberg.table-statistics-enabled',
  'iceberg.projection-pushdown-enabled',
  'iceberg.hive-catalog-name',
  'iceberg.materialized-views.storage-schema',
  'iceberg.register-table-procedure.enabled',
  'iceberg.query-partition-filter-required',
  'iceberg.security',
] as const;

/** object-storage/metastores.html#iceberg-rest-catalog (keys checked against IcebergRestCatalogConfig and OAuth2SecurityConfig). */
const ICEBERG_REST = [
  'iceberg.rest-catalog.uri',
  'iceberg.rest-catalog.prefix',
  'iceberg.rest-catalog.warehouse',
  'iceberg.rest-catalog.nested-namespace-enabled',
  'iceberg.rest-catalog.security',
  'iceberg.rest-catalog.session',
  'iceberg.rest-catalog.session-timeout',
  'iceberg.rest-catalog.http-headers',
  'iceberg.rest-catalog.oauth2.token',
  'iceberg.rest-catalog.oauth2.credential',
  'iceberg.rest-catalog.oauth2.scope',
  'iceberg.rest-catalog.oauth2.server-uri',
  'iceberg.rest-catalog.oauth2.token-refresh-enabled',
  'iceberg.rest-catalog.vended-credentials-enabled',
  'iceberg.rest-catalog.view-endpoints-enabled',
  'iceberg.rest-catalog.case-insensitive-name-matching',
] as const;

/**
 * object-storage/file-system-s3.html, "General configuration" and "Authentication". 483 enables
 * the native S3 file system with `fs.s3.enabled`; 480 and earlier named it `fs.native-s3.enabled`.
 */
const S3_FILE_SYSTEM = [
  'fs.s3.enabled',
  's3.endpoint',
  's3.region',
  's3.path-style-access',
  's3.cross-region-access',
  's3.storage-class',
  's3.signer-type',
  's3.canned-acl',
  's3.sse.type',
  's3.sse.kms-key-id',
  's3.streaming.part-size',
  's3.max-connections',
  's3.socket-connect-timeout',
  's3.socket-timeout',
  's3.tcp-keep-alive',
  's3.retry-mode',
  's3.max-error-retries',
  's3.aws-access-key',
  's3.aws-secret-key',
  's3.auth-type',
] as const;

/** connector/postgresql.html with its "General configuration properties" (jdbc-common-configurations fragment). */
const POSTGRESQL = [
  'connection-url',
  'connection-user',
  'connection-password',
  'postgresql.include-system-tables',
  'postgresql.array-mapping',
  'postgresql.experimental.enable-string-pushdown-with-collate',
  'case-insensitive-name-matching',
  'case-insensitive-name-matching.cache-ttl',
  'metadata.cache-ttl',
  'metadata.cache-missing',
  'metadata.cache-maximum-size',
  'join-pushdown.enabled',
] as const;

/** functions/ai.html, "Providers" and "Model configuration" (checked against AiConfig and OpenAiConfig). */
const AI_FUNCTIONS = [
  'ai.provider',
  'ai.model',
  'ai.openai.endpoint',
  'ai.openai.api-key',
  'ai.anthropic.endpoint',
  'ai.anthropic.api-key',
  'ai.analyze-sentiment.model',
  'ai.classify.model',
  'ai.extract.model',
  'ai.fix-grammar.model',
  'ai.generate.model',
  'ai.mask.model',
  'ai.translate.model',
] as const;

/** The catalog files by connector name. */
export const CATALOG_KEYS = {
  iceberg: documented(
    [`${DOCS}/connector/iceberg.html`, `${DOCS}/object-storage/metastores.html`, `${DOCS}/object-storage/file-system-s3.html`],
    CATALOG_COMMON,
    ICEBERG_GENERAL,
    ICEBERG_REST,
    S3_FILE_SYSTEM,
  ),
  postgresql: documented([`${DOCS}/connector/postgresql.html`], CATALOG_COMMON, POSTGRESQL),
  ai: documented([`${DOCS}/functions/ai.html`], CATALOG_COMMON, AI_FUNCTIONS),
} as const satisfies Record<string, DocumentedKeys>;

export type ConnectorName = keyof typeof CATALOG_KEYS;

import type { GovernanceConfig } from '../schema';

/**
 * Off on a laptop, on for a cluster. OpenMetadata cannot run without its search engine ("OpenMetadata
 * requires ... ElasticSearch or OpenSearch as Search Engine", docs.open-metadata.org deployment/minimum-requirements),
 * so the one switch runs both; together they would take more than the laptop's share for the other
 * layers. Render prints what turning them on adds (render/footprint.ts).
 */
export const openmetadataDefaults = (size: 'laptop' | 'cluster'): GovernanceConfig['openmetadata'] => ({
  enabled: size === 'cluster',
  searchStorageSize: '10Gi',
});

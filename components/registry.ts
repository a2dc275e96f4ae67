// Every service the platform knows, in build order. A service is on when its definition says so
// for the environment; everything else is derived from the declarations of those that are on.
import type { ServiceDefinition } from './platform/service';
import { dbtDefinition } from './compute/dbt/dbt';
import { sparkDefinition } from './compute/spark/spark';
import { trinoDefinition } from './compute/trino/trino';
import { traefikDefinition } from './edge/traefik/traefik';
import { keycloakDefinition } from './governance/keycloak/keycloak';
import { lldapDefinition } from './governance/lldap/lldap';
import { oauth2ProxyDefinition } from './governance/oauth2-proxy/oauth2-proxy';
import { opaDefinition } from './governance/opa/opa';
import { openmetadataDefinition } from './governance/openmetadata/openmetadata';
import { opensearchDefinition } from './governance/opensearch/opensearch';
import { polarisDefinition } from './storage/polaris/polaris';
import { postgresDefinition } from './storage/postgres/postgres';
import { seaweedfsDefinition } from './storage/seaweedfs/seaweedfs';

export const SERVICE_DEFINITIONS: ServiceDefinition[] = [
  postgresDefinition('platform'),
  postgresDefinition('warehouse'),
  seaweedfsDefinition,
  polarisDefinition,
  trinoDefinition,
  sparkDefinition,
  dbtDefinition,
  traefikDefinition,
  keycloakDefinition,
  oauth2ProxyDefinition,
  lldapDefinition,
  opaDefinition,
  opensearchDefinition,
  openmetadataDefinition,
];

// Every service the platform knows, in build order. A service is on when its definition says so
// for the environment; everything else is derived from the declarations of those that are on.
import type { ServiceDefinition } from './platform/service';
import { traefikDefinition } from './edge/traefik';
import { polarisDefinition } from './storage/polaris';
import { postgresDefinition } from './storage/postgres';
import { seaweedfsDefinition } from './storage/seaweedfs';

export const SERVICE_DEFINITIONS: ServiceDefinition[] = [
  postgresDefinition('platform'),
  postgresDefinition('warehouse'),
  seaweedfsDefinition,
  polarisDefinition,
  traefikDefinition,
];

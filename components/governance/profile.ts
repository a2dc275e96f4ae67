import type { GovernanceConfig } from './schema';
import { openmetadataDefaults } from './openmetadata/profile';

/**
 * The governance defaults every profile starts from: the reference platform's session and
 * brute-force settings, and an access model over the Polaris namespaces (raw, staging, curated):
 * engineers build in every schema of the lakehouse, analysts and users read everything, viewers
 * read the curated schema only. Nothing is tagged personal data until the stack says so. The data
 * catalog is on; a laptop profile turns it off (openmetadata/profile.ts).
 */
export const governanceDefaults = (demoUsers: boolean): GovernanceConfig => ({
  realm: 'platform',
  teams: [],
  projects: [],
  sessions: { accessTokenSeconds: 300, ssoIdleSeconds: 1800, ssoMaxSeconds: 36000 },
  bruteForce: { maxFailures: 5, lockoutSeconds: 300 },
  demoUsers,
  directory: { mode: 'none' },
  openmetadata: openmetadataDefaults('cluster'),
  access: {
    grants: [
      { roles: ['engineer'], projects: [], catalog: 'iceberg', schemas: ['*'], privileges: ['read', 'write', 'create'] },
      { roles: ['engineer', 'analyst', 'user'], projects: [], catalog: '*', schemas: ['*'], privileges: ['read'] },
      { roles: ['viewer'], projects: [], catalog: 'iceberg', schemas: ['curated'], privileges: ['read'] },
    ],
    personalData: [],
    maskedRoles: ['user', 'viewer'],
    rowFilters: [],
    assistant: { roles: ['admin', 'engineer', 'analyst'] },
  },
});

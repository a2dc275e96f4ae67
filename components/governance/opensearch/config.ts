// OpenSearch's configuration files and the init script that assembles its config directory. The
// root filesystem is read-only, so the config directory is an emptyDir: the init container copies
// the image's defaults (jvm.options, log4j2, the security plugin's static files) into it, lays the
// generated opensearch.yml over them and, with the security plugin on, the certificates, the
// security configuration and internal_users.yml with bcrypt hashes made by the image's own
// plugins/opensearch-security/tools/hash.sh from the generated passwords.
import { stringify } from 'yaml';

export const OPENSEARCH_HOME = '/usr/share/opensearch';
export const CONFIG_DIR = `${OPENSEARCH_HOME}/config`;
export const STAGING_DIR = '/staging';
export const TEMPLATES_DIR = '/templates';
export const CERTIFICATES_DIR = '/certificates';
export const CONFIGURE_SCRIPT = 'configure.sh';

/** The internal users: OpenMetadata's client, and an administrator for operators (security REST API). */
export const SEARCH_USERS = { openmetadata: 'openmetadata', admin: 'admin' } as const;
/** Env vars the init container reads the passwords from (hash.sh -env). */
export const PASSWORD_ENV = { openmetadata: 'OPENMETADATA_PASSWORD', admin: 'ADMIN_PASSWORD' } as const;

export interface SearchClusterPlan {
  clusterName: string;
  replicas: number;
  /** Pod names, which are the node names (node.name from the pod name). */
  nodeNames: string[];
  headlessService: string;
  security: false | { nodeDn: string };
}

/** opensearch.yml. Paths are relative to the config directory. */
export function opensearchYml(plan: SearchClusterPlan): string {
  const discovery =
    plan.replicas === 1
      ? { 'discovery.type': 'single-node' }
      : {
          // Every pod resolves through the headless Service (publishNotReadyAddresses), so nodes find each other before they are ready.
          'discovery.seed_hosts': [plan.headlessService],
          // Only read when the cluster forms for the first time.
          'cluster.initial_cluster_manager_nodes': plan.nodeNames,
        };
  const tls = (layer: 'transport' | 'http') => ({
    [`plugins.security.ssl.${layer}.pemcert_filepath`]: 'certs/node.crt',
    [`plugins.security.ssl.${layer}.pemkey_filepath`]: 'certs/node.key',
    [`plugins.security.ssl.${layer}.pemtrustedcas_filepath`]: 'certs/ca.crt',
  });
  const security = plan.security
    ? {
        ...tls('transport'),
        // Nodes connect by IP; the shared node certificate is trusted through the CA and nodes_dn.
        'plugins.security.ssl.transport.enforce_hostname_verification': false,
        'plugins.security.ssl.http.enabled': true,
        ...tls('http'),
        'plugins.security.nodes_dn': [plan.security.nodeDn],
        // The security index is created from config/opensearch-security/*.yml on first start (no securityadmin run, no admin certificate).
        'plugins.security.allow_default_init_securityindex': true,
        'plugins.security.restapi.roles_enabled': ['all_access', 'security_rest_api_access'],
      }
    : { 'plugins.security.disabled': true };
  return stringify({
    'cluster.name': plan.clusterName,
    'node.name': '${NODE_NAME}',
    'network.host': '0.0.0.0',
    // Pod Security restricted forbids the sysctl vm.max_map_count=262144 that mmapfs needs;
    // without mmap, Lucene uses NIO files, and the bootstrap check for max_map_count does not apply.
    'node.store.allow_mmap': false,
    'bootstrap.memory_lock': false,
    // OpenMetadata's search queries exceed the default clause limit (openmetadata-dependencies chart values).
    'indices.query.bool.max_clause_count': 4096,
    ...discovery,
    ...security,
  });
}

const meta = (type: string) => ({ _meta: { type, config_version: 2 } });

/** The security plugin's configuration: HTTP basic against the internal users, nothing anonymous. */
export function securityFiles(): Record<string, string> {
  return {
    'config.yml': stringify({
      ...meta('config'),
      config: {
        dynamic: {
          http: { anonymous_auth_enabled: false },
          authc: {
            basic_internal_auth_domain: {
              http_enabled: true,
              transport_enabled: true,
              order: 0,
              http_authenticator: { type: 'basic', challenge: true },
              authentication_backend: { type: 'intern' },
            },
          },
        },
      },
    }),
    // OpenMetadata creates, aliases and deletes its own indices and templates: every index action, no security API.
    'roles.yml': stringify({
      ...meta('roles'),
      [SEARCH_USERS.openmetadata]: {
        reserved: true,
        description: 'OpenMetadata: manages the catalog indices',
        cluster_permissions: ['cluster_all'],
        index_permissions: [{ index_patterns: ['*'], allowed_actions: ['indices_all'] }],
      },
    }),
    'roles_mapping.yml': stringify({
      ...meta('rolesmapping'),
      all_access: { reserved: true, users: [SEARCH_USERS.admin] },
      security_rest_api_access: { reserved: true, users: [SEARCH_USERS.admin] },
      [SEARCH_USERS.openmetadata]: { reserved: true, users: [SEARCH_USERS.openmetadata] },
    }),
  };
}

/** internal_users.yml with the hashes the script computes (shell variables, expanded in a heredoc). */
function internalUsersHeredoc(): string {
  return [
    `cat >"${STAGING_DIR}/opensearch-security/internal_users.yml" <<EOF`,
    '_meta:',
    '  type: internalusers',
    '  config_version: 2',
    ...Object.entries(SEARCH_USERS).flatMap(([key, user]) => [
      `${user}:`,
      `  hash: "$${key.toUpperCase()}_HASH"`,
      '  reserved: true',
      `  description: "generated by the analytics platform"`,
    ]),
    'EOF',
  ].join('\n');
}

/** The init container's script (bash in the OpenSearch image). */
export function renderConfigureScript(security: boolean): string {
  const securitySteps = security
    ? `
mkdir -p "${STAGING_DIR}/certs"
cp "${CERTIFICATES_DIR}/tls.crt" "${STAGING_DIR}/certs/node.crt"
cp "${CERTIFICATES_DIR}/tls.key" "${STAGING_DIR}/certs/node.key"
cp "${CERTIFICATES_DIR}/ca.crt" "${STAGING_DIR}/certs/ca.crt"
for file in ${Object.keys(securityFiles()).join(' ')}; do
  cp "${TEMPLATES_DIR}/security-$file" "${STAGING_DIR}/opensearch-security/$file"
done
# bcrypt with the plugin's defaults; the password is read from the environment, never an argument.
hash() {
  value=$("${OPENSEARCH_HOME}/plugins/opensearch-security/tools/hash.sh" -env "$1" | tail -n 1)
  case $value in
    '$2'*) printf '%s' "$value" ;;
    *) echo "configure: hash.sh gave no bcrypt hash for $1" >&2; exit 1 ;;
  esac
}
${Object.entries(PASSWORD_ENV)
  .map(([key, env]) => `${key.toUpperCase()}_HASH=$(hash ${env})`)
  .join('\n')}
${internalUsersHeredoc()}
echo "configure: security plugin configured with ${Object.keys(SEARCH_USERS).length} internal users"
`
    : '';
  return `#!/bin/bash
set -euo pipefail
cp -a "${CONFIG_DIR}/." "${STAGING_DIR}/"
cp "${TEMPLATES_DIR}/opensearch.yml" "${STAGING_DIR}/opensearch.yml"
${securitySteps}echo "configure: config directory ready"
`;
}

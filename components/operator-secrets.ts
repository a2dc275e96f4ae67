// Secrets the operator brings and the platform only references, named in the stack config: the
// provided TLS certificate, external database and S3 admin credentials, a private dbt project's
// git credentials, the OIDC clients of an identity provider outside the platform. The reference
// checks and policies treat them as present.
import type { PlatformConfig } from '../environments/schema';
import { operatorProvidedDbtSecrets } from './compute/dbt/dbt';
import { namespaceName } from './platform/layers';
import type { PlatformBuild } from './platform/build';
import { IDENTITY_SERVICE } from './platform/graph';
import { OIDC_SECRET_KEYS, oidcSecretName } from './governance/contract';
import { oidcClients } from './governance/keycloak/clients';

export interface OperatorSecret {
  namespace: string;
  name: string;
  keys: string[];
}

export function operatorSecrets(config: PlatformConfig): OperatorSecret[] {
  const out: OperatorSecret[] = [];
  const storage = namespaceName(config.prefix, 'storage');
  if (config.tls.mode === 'provided' && config.tls.secretName)
    out.push({ namespace: namespaceName(config.prefix, 'edge'), name: config.tls.secretName, keys: ['tls.crt', 'tls.key'] });
  for (const instance of Object.values(config.postgres))
    if (instance.mode === 'external') out.push({ namespace: storage, name: instance.adminSecret, keys: ['username', 'password'] });
  if (config.objectStorage.mode === 'external')
    out.push({ namespace: storage, name: config.objectStorage.credentialsSecret, keys: ['access-key', 'secret-key'] });
  return [...out, ...operatorProvidedDbtSecrets(config)];
}

/**
 * The Secrets of a build that nobody in it makes: the config's (above) and, when the identity
 * provider runs outside the platform, each OIDC client holder's `<service>-oidc` Secret (keys
 * `client-id`, `client-secret`) of the client the operator registered there.
 */
export function operatorSecretsOf(build: PlatformBuild): OperatorSecret[] {
  const declarations = build.services.map((s) => s.declaration);
  const identityOutside = IDENTITY_SERVICE in build.external && !declarations.some((d) => d.name === IDENTITY_SERVICE);
  const clients = identityOutside ? oidcClients(build.config, declarations) : [];
  return [
    ...operatorSecrets(build.config),
    ...clients.map((c) => ({
      namespace: build.services.find((s) => s.declaration.name === c.service)!.namespace,
      name: oidcSecretName(c.service),
      keys: [...OIDC_SECRET_KEYS],
    })),
  ];
}

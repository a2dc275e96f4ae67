// Secrets the operator brings and the platform only references, named in the stack config: the
// provided TLS certificate, external database and S3 admin credentials, a private dbt project's
// git credentials. The reference checks and policies treat them as present.
import type { PlatformConfig } from '../environments/schema';
import { operatorProvidedDbtSecrets } from './compute/dbt/dbt';
import { namespaceName } from './platform/layers';

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

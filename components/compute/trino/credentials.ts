// The credentials Trino's nodes read, all through environment variables filled from Secrets (the
// server and catalog files only name them, `${ENV:NAME}`, config.ts TRINO_ENV): the cluster's
// shared secret, planned here with the TLS Secret (tls.ts), and Trino's own Polaris principal, the
// warehouse database, S3 and AI gateway credentials the storage and AI layers plan for Trino.
import type { k8s } from 'cdk8s-plus-28';
import { LLM_GATEWAY_KEY, llmGatewaySecretName } from '../../ai/contract';
import { secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { randomValue } from '../../platform/secrets';
import { databaseSecretName, polarisSecretName, s3SecretName } from '../../storage/contract';
import { TRINO_ENV } from './config';
import { aiEnabled, TRINO_SERVICE } from './names';
import { planTlsSecret } from './tls';

const INTERNAL_SECRET = 'trino-internal';

/** The Secrets Trino plans in its own namespace: TLS and the cluster's shared secret. */
export function planSecrets(ctx: BuildContext): void {
  planTlsSecret(ctx);
  const namespace = ctx.namespaceOf(TRINO_SERVICE);
  ctx.addSecret({
    name: INTERNAL_SECRET,
    namespace,
    service: TRINO_SERVICE,
    data: { 'shared-secret': randomValue(`${TRINO_SERVICE}/internal-shared-secret`, 64) },
  });
}

/** Credentials every node reads its catalogs with, and the cluster secret. */
export function nodeEnv(ctx: BuildContext): k8s.EnvVar[] {
  const db = databaseSecretName(TRINO_SERVICE, 'warehouse');
  const s3 = s3SecretName(TRINO_SERVICE);
  return [
    secretEnv(TRINO_ENV.sharedSecret, INTERNAL_SECRET, 'shared-secret'),
    // Trino's own principal (`client-id:client-secret`), planned by the storage layer.
    secretEnv(TRINO_ENV.polarisCredential, polarisSecretName(TRINO_SERVICE), 'credential'),
    secretEnv(TRINO_ENV.s3AccessKey, s3, 'access-key'),
    secretEnv(TRINO_ENV.s3SecretKey, s3, 'secret-key'),
    secretEnv(TRINO_ENV.warehouseJdbcUrl, db, 'jdbc-url'),
    secretEnv(TRINO_ENV.warehouseUser, db, 'username'),
    secretEnv(TRINO_ENV.warehousePassword, db, 'password'),
    ...(aiEnabled(ctx) ? [secretEnv(TRINO_ENV.llmGatewayKey, llmGatewaySecretName(TRINO_SERVICE), LLM_GATEWAY_KEY)] : []),
  ];
}

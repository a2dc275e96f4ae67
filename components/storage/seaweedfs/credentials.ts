// The Secrets the S3 identities (identities.ts) become. With SeaweedFS in the platform, the
// identities file and the admin keys sit beside the S3 pods and each consuming service gets its
// `<service>-s3` Secret in its own namespace, all planned from random values so no key appears in a
// manifest. With an external S3 the platform cannot make them: operatorProvidedS3Secrets lists the
// Secrets the operator must provide instead.
import type { BuildContext } from '../../platform/context';
import { literal } from '../../platform/secrets';
import type { ServiceDeclaration } from '../../platform/service';
import { S3_PORT, S3_REGION, S3_SERVICE, s3SecretKeys, s3SecretName } from '../contract';
import { identityValueIds, renderIdentitiesFile, s3IdentityPlan, S3IdentityPlan } from './identities';

/** The Secret holding the identities file the S3 listeners read, and the file's key in it. */
export const IDENTITIES_SECRET = `${S3_SERVICE}-s3-identities`;
export const IDENTITIES_FILE = 's3.json';
/** The Secret holding the admin identity's keys, read by the bucket Job alone. */
export const ADMIN_SECRET = `${S3_SERVICE}-s3-admin`;

/** The identities file and the admin keys, beside the S3 pods; each consumer's keys in its own namespace. */
export function planCredentials(ctx: BuildContext, self: ServiceDeclaration, plan: S3IdentityPlan): void {
  const namespace = ctx.namespaceOf(self.name);
  ctx.addSecret({
    name: IDENTITIES_SECRET,
    namespace,
    service: self.name,
    data: { [IDENTITIES_FILE]: { kind: 'template', ids: identityValueIds(plan), render: (values) => renderIdentitiesFile(plan, values) } },
  });
  ctx.addSecret({
    name: ADMIN_SECRET,
    namespace,
    service: self.name,
    data: { 'access-key': plan.admin.accessKey, 'secret-key': plan.admin.secretKey },
  });
  const endpoint = ctx.connect(self.name, self.name, S3_PORT.name).url();
  for (const consumer of plan.consumers) {
    ctx.addSecret({
      name: s3SecretName(consumer.service),
      namespace: ctx.namespaceOf(consumer.service),
      service: consumer.service,
      data: {
        'access-key': consumer.identity.accessKey,
        'secret-key': consumer.identity.secretKey,
        endpoint: literal(endpoint),
        region: literal(S3_REGION),
      },
    });
  }
}

/**
 * Secrets the platform cannot make in external mode: a cloud S3's identities live in its own IAM,
 * so the operator provides each consuming service's `<service>-s3` Secret (keys as contract.ts's
 * s3SecretKeys) in that service's namespace, and the bucket-creating credentials Secret.
 */
export function operatorProvidedS3Secrets(
  ctx: Pick<BuildContext, 'config' | 'services' | 'namespaceOf'>,
): { namespace: string; name: string; keys: string[] }[] {
  const os = ctx.config.objectStorage;
  if (os.mode !== 'external') return [];
  const plan = s3IdentityPlan(ctx.config.prefix, ctx.services);
  return [
    { namespace: ctx.namespaceOf(S3_SERVICE), name: os.credentialsSecret, keys: ['access-key', 'secret-key'] },
    ...plan.consumers.map((c) => ({
      namespace: ctx.namespaceOf(c.service),
      name: s3SecretName(c.service),
      keys: [...s3SecretKeys],
    })),
  ];
}

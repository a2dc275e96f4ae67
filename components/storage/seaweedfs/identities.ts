// The S3 identities SeaweedFS serves, derived from the services' bucket declarations: one identity
// per consuming service, allowed only on its own buckets, and an admin identity used by the bucket
// Job alone. Keys are random values planned as Secrets; the identities file is rendered from them
// at delivery time, so no key ever appears in a manifest.
import type { SecretValueSource } from '../../platform/secrets';
import { randomValue } from '../../platform/secrets';
import type { BucketDecl, ServiceDeclaration } from '../../platform/service';
import { contentChecksum } from '../../base/workload';
import { bucketName, S3_SERVICE } from '../contract';

/** The identity the bucket Job signs with; no service may be named like it. */
export const ADMIN_IDENTITY = `${S3_SERVICE}-admin`;

const ACCESS_KEY_LENGTH = 20;
const SECRET_KEY_LENGTH = 40;

export interface S3Identity {
  name: string;
  /** SeaweedFS actions: `Admin` (everything), or `<Action>:<bucket>` scoped to one bucket. */
  actions: string[];
  accessKey: SecretValueSource & { kind: 'random' };
  secretKey: SecretValueSource & { kind: 'random' };
}

export interface S3Consumer {
  service: string;
  buckets: string[];
  identity: S3Identity;
}

export interface S3IdentityPlan {
  admin: S3Identity;
  consumers: S3Consumer[];
  /** Every bucket some service declares, once, in declaration order. */
  buckets: string[];
}

/** S3 bucket naming rules (the strictest common subset: no dots, so path and virtual-host style both work). */
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

const keys = (identity: string): Pick<S3Identity, 'accessKey' | 'secretKey'> => ({
  accessKey: randomValue(`${S3_SERVICE}/s3/${identity}/access-key`, ACCESS_KEY_LENGTH) as S3Identity['accessKey'],
  secretKey: randomValue(`${S3_SERVICE}/s3/${identity}/secret-key`, SECRET_KEY_LENGTH) as S3Identity['secretKey'],
});

/** Read and list for every use; write and tagging (object tags, used by lifecycle tools) for readwrite. */
export function bucketActions(bucket: string, access: BucketDecl['access']): string[] {
  const read = [`Read:${bucket}`, `List:${bucket}`];
  return access === 'readwrite' ? [...read, `Write:${bucket}`, `Tagging:${bucket}`] : read;
}

export function s3IdentityPlan(prefix: string, services: ServiceDeclaration[]): S3IdentityPlan {
  const buckets: string[] = [];
  const consumers: S3Consumer[] = [];
  for (const service of services) {
    if (!service.buckets.length || service.name === S3_SERVICE) continue;
    if (service.name === ADMIN_IDENTITY)
      throw new Error(`service "${service.name}": the name is reserved for the S3 admin identity; rename the service`);
    const own = new Map<string, BucketDecl['access']>();
    for (const use of service.buckets) {
      const name = bucketName(prefix, use.name);
      if (!BUCKET.test(name))
        throw new Error(
          `service "${service.name}": bucket "${use.name}" becomes "${name}", which is not a valid bucket name; ` +
            'expected 3 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
        );
      // Declaring a bucket twice keeps the wider access.
      if (own.get(name) !== 'readwrite') own.set(name, use.access);
      if (!buckets.includes(name)) buckets.push(name);
    }
    consumers.push({
      service: service.name,
      buckets: [...own.keys()],
      identity: { name: service.name, actions: [...own].flatMap(([b, access]) => bucketActions(b, access)), ...keys(service.name) },
    });
  }
  // Bare `Admin` is unscoped: it may create buckets. Only the bucket Job holds these keys.
  const admin: S3Identity = { name: ADMIN_IDENTITY, actions: ['Admin', 'Read', 'List', 'Tagging', 'Write'], ...keys(ADMIN_IDENTITY) };
  return { admin, consumers, buckets };
}

export const planIdentities = (plan: S3IdentityPlan): S3Identity[] => [plan.admin, ...plan.consumers.map((c) => c.identity)];

/** The random ids the identities file embeds. */
export const identityValueIds = (plan: S3IdentityPlan): string[] => planIdentities(plan).flatMap((i) => [i.accessKey.id, i.secretKey.id]);

/** SeaweedFS's static identities file (`-s3.config`); with no `anonymous` identity, every request must be signed. */
export function renderIdentitiesFile(plan: S3IdentityPlan, values: Record<string, string>): string {
  const value = (id: string) => {
    const v = values[id];
    if (v === undefined) throw new Error(`s3 identities: no generated value for "${id}"`);
    return v;
  };
  const identities = planIdentities(plan).map((i) => ({
    name: i.name,
    credentials: [{ accessKey: value(i.accessKey.id), secretKey: value(i.secretKey.id) }],
    actions: i.actions,
  }));
  return `${JSON.stringify({ identities }, null, 2)}\n`;
}

/**
 * A digest of what the identities file grants (names, actions, which key ids), never of the keys
 * themselves. SeaweedFS reads the file at startup, so a change of it must roll the S3 pods.
 */
export function identitiesChecksum(plan: S3IdentityPlan): string {
  const structure = planIdentities(plan).map((i) => [i.name, i.actions, i.accessKey.id, i.secretKey.id]);
  return contentChecksum(structure);
}

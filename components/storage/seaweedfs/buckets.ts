// The bucket Job, which runs in both modes: it waits for the S3 endpoint (SeaweedFS's Service, or
// the external endpoint the environment brings) and creates each bucket some service declares that
// is missing, with the admin identity's keys (credentials.ts) or the operator's credentials Secret
// in external mode. The AWS CLI is configured for the endpoint's region and addressing style.
import { Construct } from 'constructs';
import type { ObjectStorageConfig } from '../../../environments/schema';
import { objectName } from '../../base/labels';
import { platformConfigMap, platformJob, secretEnv } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import type { ServiceDeclaration } from '../../platform/service';
import { S3_PORT, S3_REGION } from '../contract';
import { ADMIN_SECRET } from './credentials';
import type { S3IdentityPlan } from './identities';

type ExternalStorage = Extract<ObjectStorageConfig, { mode: 'external' }>;

/** amazon/aws-cli runs as root by default; any uid works with HOME on a writable /tmp. */
const AWS_CLI_USER = { uid: 1000, gid: 1000 };
const AWS_CONFIG_PATH = '/etc/aws-cli';

/** The port of an S3 endpoint URL, explicit or the scheme's. */
export function endpointPort(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/** Shell-safe: bucket names are checked against S3 naming rules, regions against this. */
const REGION = /^[a-z0-9-]+$/;

export function bucketScript(buckets: string[], createOptions: string): string {
  return [
    'set -eu',
    '# Waits for the endpoint to accept connections, then makes each bucket that is missing.',
    'until (exec 3<>"/dev/tcp/${S3_HOST}/${S3_PORT}") 2>/dev/null; do echo "waiting for S3 at ${S3_ENDPOINT}"; sleep 3; done',
    'ensure_bucket() {',
    '  tries=0',
    `  until aws s3api head-bucket --endpoint-url "$S3_ENDPOINT" --bucket "$1" >/dev/null 2>&1 || aws s3api create-bucket --endpoint-url "$S3_ENDPOINT" --bucket "$1"${createOptions} >/dev/null; do`,
    '    tries=$((tries + 1))',
    '    if [ "$tries" -ge 30 ]; then echo "bucket $1: S3 did not accept it after $tries tries" >&2; return 1; fi',
    '    echo "bucket $1: not yet (try $tries), retrying in 5s"; sleep 5',
    '  done',
    '  echo "bucket $1: present"',
    '}',
    ...buckets.map((b) => `ensure_bucket ${b}`),
    'echo "buckets complete"',
    '',
  ].join('\n');
}

export function buildBuckets(scope: Construct, ctx: BuildContext, self: ServiceDeclaration, plan: S3IdentityPlan): void {
  const os = ctx.config.objectStorage;
  const external = os.mode === 'external' ? (os as ExternalStorage) : undefined;
  const endpoint = external ? external.endpoint.replace(/\/+$/, '') : ctx.connect(self.name, self.name, S3_PORT.name).url();
  const url = new URL(endpoint);
  const region = external ? external.region : S3_REGION;
  if (!REGION.test(region)) throw new Error(`objectStorage.region: "${region}" is not a region name such as "eu-central-1"`);
  const pathStyle = external ? external.pathStyle : true;
  // us-east-1 is the one region where S3 rejects an explicit location constraint.
  const createOptions = region === 'us-east-1' ? '' : ` --create-bucket-configuration LocationConstraint=${region}`;
  const credentials = external ? external.credentialsSecret : ADMIN_SECRET;

  platformConfigMap(scope, ctx, self, 'buckets', 'aws', {
    config: ['[default]', `region = ${region}`, 's3 =', `  addressing_style = ${pathStyle ? 'path' : 'virtual'}`, ''].join('\n'),
  });
  platformJob(scope, ctx, self, {
    component: 'buckets',
    user: AWS_CLI_USER,
    containers: [
      {
        name: 'buckets',
        image: 'awsCli',
        command: ['/bin/bash', '-c', bucketScript(plan.buckets, createOptions)],
        env: [
          { name: 'HOME', value: '/tmp' },
          { name: 'AWS_CONFIG_FILE', value: `${AWS_CONFIG_PATH}/config` },
          { name: 'AWS_REGION', value: region },
          { name: 'AWS_PAGER', value: '' },
          { name: 'AWS_EC2_METADATA_DISABLED', value: 'true' },
          { name: 'S3_ENDPOINT', value: endpoint },
          { name: 'S3_HOST', value: url.hostname },
          { name: 'S3_PORT', value: String(endpointPort(url)) },
          secretEnv('AWS_ACCESS_KEY_ID', credentials, 'access-key'),
          secretEnv('AWS_SECRET_ACCESS_KEY', credentials, 'secret-key'),
        ],
        volumeMounts: [{ name: 'aws-config', mountPath: AWS_CONFIG_PATH, readOnly: true }],
        writablePaths: ['/tmp'],
      },
    ],
    volumes: [{ name: 'aws-config', configMap: { name: `${objectName(self.name, 'buckets')}-aws` } }],
  });
}

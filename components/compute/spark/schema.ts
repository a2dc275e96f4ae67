// Spark's stack config: local or standalone master, the standalone workers, where the jars Spark needs
// come from, and how long the history server keeps event logs.
import { z } from 'zod';
import { cidr } from '../../../environments/fields';

/** IPv4 ranges an external endpoint lives in (the same form as the storage endpoints' `cidrs`). */
export const endpointCidrs = z.array(cidr).min(1);

/** Maven Central: the default jar source, reachable only with internet access. */
export const MAVEN_CENTRAL = 'https://repo.maven.apache.org/maven2';

const jars = z.strictObject({
  repository: z
    .url({ protocol: /^https?$/ })
    .describe(
      'The Maven repository (layout `group/artifact/version/artifact-version.jar`) Spark pods fetch the Iceberg runtime, ' +
        'the Iceberg AWS bundle, hadoop-aws and the AWS SDK bundle from when they start, each checked against the SHA-1 ' +
        'the repository publishes beside it. Maven Central by default; without internet access (then required), an internal ' +
        'mirror (Nexus, Artifactory) that proxies or holds those artifacts.',
    ),
  cidrs: endpointCidrs.describe('Egress from the Spark pods is opened only to these ranges, on the repository URL port.'),
});

const history = z.strictObject({
  maxAgeDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .describe('Event logs of applications older than this are deleted by the history server (spark.history.fs.cleaner.maxAge).'),
  maxApplications: z
    .number()
    .int()
    .min(1)
    .max(100000)
    .describe('At most this many applications keep their event logs; the oldest finished ones go first (spark.history.fs.cleaner.maxNum).'),
});

export const sparkSchema = z.strictObject({
  master: z
    .enum(['local', 'standalone'])
    .describe(
      'Where the tasks run. `local`: in the Spark Connect server itself (`spark.master local[N]`, N from the sizing profile): one pod, ' +
        'the catalog, S3 and event logs unchanged (the laptop default). `standalone`: on `workers` under a standalone master.',
    ),
  workers: z
    .number()
    .int()
    .min(1)
    .max(100)
    .describe('Spark standalone workers (with `master: standalone` only); cores and memory of each come from the sizing profile.'),
  jars: jars.describe('Where the jars Spark needs beyond its image come from (pinned versions, verified checksums).'),
  history: history.describe(
    'The Spark History Server (host `history`, admins and engineers) serves the UI of past and running applications from their ' +
      'event logs, compacts the running ones and deletes old ones.',
  ),
});
export type SparkConfig = z.infer<typeof sparkSchema>;

export type Issue = (path: (string | number)[], input: unknown, message: string) => void;

/**
 * A package source (Maven repository, Python package index, git host) outside the cluster: without
 * internet egress it must be a mirror inside named private ranges, never a public host or 0.0.0.0/0.
 */
export function refineExternalSource(
  source: { url: string; cidrs: string[] },
  kind: string,
  publicHosts: string[],
  paths: { url: (string | number)[]; cidrs: (string | number)[] },
  issue: Issue,
): void {
  const host = new URL(source.url).hostname;
  if (publicHosts.includes(host))
    issue(paths.url, source.url, `must be an internal ${kind} when egress.allowInternet is false: ${host} is on the internet`);
  if (source.cidrs.includes('0.0.0.0/0'))
    issue(paths.cidrs, source.cidrs, 'may not contain "0.0.0.0/0" when egress.allowInternet is false: name the ranges the mirror lives in');
}

const MAVEN_CENTRAL_HOSTS = ['repo.maven.apache.org', 'repo1.maven.org'];

/** Contradictions with the rest of the stack (paths relative to `compute.spark`). */
export function refineSpark(spark: SparkConfig | undefined, stack: { allowInternet?: boolean }, issue: Issue): void {
  if (!spark?.jars || stack.allowInternet !== false) return;
  refineExternalSource(
    { url: spark.jars.repository, cidrs: spark.jars.cidrs },
    'Maven mirror',
    MAVEN_CENTRAL_HOSTS,
    { url: ['jars', 'repository'], cidrs: ['jars', 'cidrs'] },
    issue,
  );
}

// The Spark History Server: its own service (host `history`, admins and engineers behind
// forward-auth), Spark's HistoryServer class in the same pinned image, reading the event-log bucket
// over S3A with an identity of its own, cleaning and compacting it; sized to fit the laptop.
import { HISTORY_NATIVE_MI, HISTORY_PROFILES, HISTORY_SIZING } from '../../../../components/compute/spark-history/config';
import { S3A_JARS, fileName, repositoryPath } from '../../../../components/compute/spark/jars';
import { mebibytes } from '../../../../components/compute/spark/sizing';
import { ConfigError, loadPlatformConfig } from '../../../../environments/load';
import { SIZING_PROFILES } from '../../../../environments/schema';
import { buildFor, containerOf, envValue, find, objectsOf } from '../../../helpers/build';

const conf = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.split(' ')[0], l.split(' ').slice(1).join(' ')]),
  );

/**
 * Every spark.history.* property Spark 4.1 reads (core/src/main/scala/org/apache/spark/internal/
 * config/History.scala, documented in docs/monitoring.md): a misspelt key is silently ignored by
 * Spark, so the test holds the file to this list.
 */
const SPARK_HISTORY_PROPERTIES = [
  'spark.history.fs.logDirectory',
  'spark.history.ui.port',
  'spark.history.fs.update.interval',
  'spark.history.fs.cleaner.enabled',
  'spark.history.fs.cleaner.interval',
  'spark.history.fs.cleaner.maxAge',
  'spark.history.fs.cleaner.maxNum',
  'spark.history.fs.eventLog.rolling.maxFilesToRetain',
  'spark.history.store.path',
  'spark.history.store.maxDiskUsage',
  'spark.history.retainedApplications',
];

const k3d = buildFor('k3d');
const history = k3d.services.find((s) => s.declaration.name === 'spark-history')!;
const objects = objectsOf(k3d, 'spark-history');
const historyConf = conf(find(objects, 'ConfigMap', 'spark-history-config').data['history.conf']);
const server = containerOf(find(objects, 'Deployment', 'spark-history'), 'history');

describe('the history server declaration', () => {
  it('is its own compute service: the UI on 18080 at `history`, behind sign-in for admins and engineers only', () => {
    const decl = history.declaration;
    expect(decl.layer).toBe('compute');
    expect(decl.ports).toEqual([{ name: 'ui', port: 18080, http: true }]);
    expect(decl.publicHost).toEqual({ name: 'history', port: 'ui', signIn: 'forward-auth', allowedRoles: ['admin', 'engineer'] });
    const ingress = find(objects, 'Ingress', 'spark-history');
    expect(ingress.spec.rules[0].host).toBe('history.platform.localhost');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toBe('sign-in-spark-history@file');
    const dynamic = Object.values(find(objectsOf(k3d, 'traefik'), 'ConfigMap', 'traefik-dynamic').data as Record<string, string>).join();
    expect(dynamic).toMatch(/sign-in-spark-history:\s+forwardAuth:\s+address: \S+\?allowed_groups=platform-admin,platform-engineer\n/);
  });

  it('uses the Spark event-log bucket with write access (the cleaner deletes, compaction rewrites) under an S3 identity of its own', () => {
    expect(history.declaration.buckets).toEqual([{ name: 'spark-logs', access: 'readwrite' }]);
    const identity = k3d.services.flatMap((s) => s.secrets).find((p) => p.name === 'spark-history-s3')!;
    expect(identity.namespace).toBe('platform-compute');
    expect(envValue(server, 'AWS_ACCESS_KEY_ID').valueFrom.secretKeyRef).toEqual({ name: 'spark-history-s3', key: 'access-key' });
    expect(envValue(server, 'AWS_SECRET_ACCESS_KEY').valueFrom.secretKeyRef).toEqual({ name: 'spark-history-s3', key: 'secret-key' });
    const egress = find(objects, 'NetworkPolicy', 'spark-history-egress').spec.egress;
    expect(
      egress.some((r: any) => r.ports[0].port === 8333 && r.to[0].podSelector.matchLabels['app.kubernetes.io/name'] === 'seaweedfs'),
    ).toBe(true);
  });
});

describe('history.conf', () => {
  it('reads the bucket Spark writes its event log to, over S3A at the same endpoint as Spark', () => {
    const spark = conf(find(objectsOf(k3d, 'spark'), 'ConfigMap', 'spark-config').data['connect.conf']);
    expect(historyConf['spark.history.fs.logDirectory']).toBe(spark['spark.eventLog.dir']);
    for (const key of ['spark.hadoop.fs.s3a.endpoint', 'spark.hadoop.fs.s3a.endpoint.region', 'spark.hadoop.fs.s3a.path.style.access'])
      expect(historyConf[key]).toBe(spark[key]);
    expect(historyConf['spark.hadoop.fs.s3a.aws.credentials.provider']).toBe(
      'software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider',
    );
  });

  it('cleans the bucket by age and count, and compacts rolled logs, as the stack config says', () => {
    expect(historyConf).toMatchObject({
      'spark.history.fs.cleaner.enabled': 'true',
      'spark.history.fs.cleaner.maxAge': '7d',
      'spark.history.fs.cleaner.maxNum': '1000',
      'spark.history.fs.eventLog.rolling.maxFilesToRetain': '2',
      'spark.history.ui.port': '18080',
    });
    const other = buildFor('k3d', { compute: { spark: { history: { maxAgeDays: 30, maxApplications: 50 } } } });
    const changed = conf(find(objectsOf(other, 'spark-history'), 'ConfigMap', 'spark-history-config').data['history.conf']);
    expect(changed['spark.history.fs.cleaner.maxAge']).toBe('30d');
    expect(changed['spark.history.fs.cleaner.maxNum']).toBe('50');
  });

  it('names only properties Spark reads, and holds no secret', () => {
    const keys = Object.keys(historyConf).filter((k) => k.startsWith('spark.history.'));
    expect(keys.filter((k) => !SPARK_HISTORY_PROPERTIES.includes(k))).toEqual([]);
    expect(Object.keys(historyConf).filter((k) => /secret|access\.key|password/i.test(k))).toEqual([]);
  });

  it('rejects retention settings out of range, naming the key', () => {
    const problems = (() => {
      try {
        loadPlatformConfig({ environment: 'k3d', compute: { spark: { history: { maxAgeDays: 0, maxApplications: 1000 } } } });
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    })();
    expect(problems.some((p) => p.startsWith('compute.spark.history.maxAgeDays:'))).toBe(true);
  });
});

describe('the history server pod', () => {
  it("runs Spark's HistoryServer class in the Spark image, with its properties file", () => {
    const spark = containerOf(find(objectsOf(k3d, 'spark'), 'Deployment', 'spark-connect'), 'connect');
    expect(server.image).toBe(spark.image);
    expect(server.command).toEqual(['/opt/spark/bin/spark-class']);
    expect(server.args).toEqual(['org.apache.spark.deploy.history.HistoryServer', '--properties-file', '/etc/spark/conf/history.conf']);
  });

  it('fetches only the S3A jars and puts them on the daemon class path', () => {
    const fetch = containerOf(find(objects, 'Deployment', 'spark-history'), 'fetch-jars');
    expect(S3A_JARS.map((j) => j.artifact)).toEqual(['hadoop-aws', 'bundle']);
    expect(fetch.command.slice(2)).toEqual(S3A_JARS.map(repositoryPath));
    expect(envValue(server, 'SPARK_DAEMON_CLASSPATH').value).toBe(S3A_JARS.map((j) => `/opt/spark/extra-jars/${fileName(j)}`).join(':'));
  });

  it('is probed on the REST API version endpoint of its UI port', () => {
    for (const probe of [server.startupProbe, server.readinessProbe, server.livenessProbe])
      expect(probe.httpGet).toEqual({ path: '/api/v1/version', port: 18080 });
  });

  it('sets its heap with SPARK_DAEMON_MEMORY and keeps the parsed applications on disk', () => {
    expect(envValue(server, 'SPARK_DAEMON_MEMORY').value).toBe(`${HISTORY_PROFILES.small.heapMi}m`);
    expect(historyConf['spark.history.store.path']).toBe('/var/lib/spark-history');
    expect(server.volumeMounts.find((m: any) => m.mountPath === '/var/lib/spark-history').name).toBe('store');
  });
});

describe.each(SIZING_PROFILES)('the history server on the %s profile', (profile) => {
  it('fits its heap and off-heap room in the container limit', () => {
    const sizing = HISTORY_SIZING[profile];
    expect(HISTORY_PROFILES[profile].heapMi + HISTORY_NATIVE_MI).toBeLessThanOrEqual(mebibytes(sizing.memoryLimit ?? sizing.memory));
  });
});

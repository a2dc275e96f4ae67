// Spark: the declaration (one service, fixed ports, buckets, edges, the jar repository as the only
// external endpoint), the master, workers and Connect server, and the generated spark-defaults.
import type { PlatformBuild } from '../../../../components/platform/build';
import { allObjects } from '../../../../components/platform/build';
import { ICEBERG_CATALOG, SPARK_POLARIS_SECRET, SPARK_PORTS } from '../../../../components/compute/spark/spark';
import { SPARK_PROFILES } from '../../../../components/compute/spark/sizing';
import { cpuToMillicores } from '../../../../components/platform/quantity';
import { SPARK_JARS, classPath, fileName, repositoryPath } from '../../../../components/compute/spark/jars';
import { POLARIS_ROOT_SECRET_ID } from '../../../../components/storage/polaris/polaris';
import { S3_REGION } from '../../../../components/storage/contract';
import { ConfigError, loadPlatformConfig } from '../../../../environments/load';
import { refineSpark } from '../../../../components/compute/spark/schema';
import { policyContextFor } from '../../../../policies/context';
import { evaluate, EXEMPTION_PREFIX, mandatoryViolations } from '../../../../policies/engine';
import { RULES } from '../../../../policies/registry';
import { checkReferences } from '../../../../policies/validation/references';
import { validateSchema } from '../../../../policies/validation/schema';
import { AIRGAPPED_MIRRORS } from './mirrors';
import {
  buildFor,
  containerOf,
  ENVIRONMENT_OVERRIDES,
  envValue,
  find,
  objectsOf,
  plannedSecrets,
  userSecrets,
} from '../../../helpers/build';

const build = (environment: string, extra: Record<string, unknown> = {}): PlatformBuild =>
  buildFor(environment, environment === 'airgapped' ? { ...AIRGAPPED_MIRRORS, ...extra } : extra);

/** spark-defaults.conf as key -> value (Java properties: key, whitespace, value). */
function parseConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [key, ...rest] = line.split(' ');
    expect(out[key]).toBeUndefined();
    out[key] = rest.join(' ');
  }
  return out;
}

const k3d = build('k3d');
const objects = objectsOf(k3d, 'spark');
const spark = k3d.services.find((s) => s.declaration.name === 'spark')!;
const configMap = find(objects, 'ConfigMap', 'spark-config');
const connectConf = parseConf(configMap.data['connect.conf']);
/** The laptop with Spark standalone instead of its default local mode. */
const standaloneK3d = build('k3d', { compute: { spark: { master: 'standalone' } } });
const standaloneObjects = objectsOf(standaloneK3d, 'spark');
const standaloneConf = parseConf(find(standaloneObjects, 'ConfigMap', 'spark-config').data['connect.conf']);

describe('Spark declaration', () => {
  const decl = spark.declaration;

  it('is one service in the compute layer with every Spark port fixed and declared, Spark Connect on 15002', () => {
    expect(decl.layer).toBe('compute');
    // Local mode (the laptop's): the Connect server alone, with its driver and block-manager ports.
    expect(decl.ports.map((p) => [p.name, p.port])).toEqual([
      ['connect', 15002],
      ['ui', 4040],
      ['driver', 7079],
      ['blocks', 7080],
    ]);
    const standalone = standaloneK3d.services.find((s) => s.declaration.name === 'spark')!.declaration;
    expect(standalone.ports.map((p) => [p.name, p.port])).toEqual([
      ['connect', 15002],
      ['ui', 4040],
      ['driver', 7079],
      ['blocks', 7080],
      ['master', 7077],
      ['master-ui', 8080],
      ['worker', 7078],
      ['worker-ui', 8081],
    ]);
  });

  it('reaches Polaris, owns the warehouse and its event-log bucket, and shows its UI to engineers behind sign-in', () => {
    expect(decl.edges).toEqual([{ to: 'polaris', port: 'api' }]);
    expect(decl.buckets).toEqual([
      { name: 'warehouse', access: 'readwrite' },
      { name: 'spark-logs', access: 'readwrite' },
    ]);
    expect(decl.publicHost).toEqual({ name: 'compute', port: 'ui', signIn: 'forward-auth', allowedRoles: ['admin', 'engineer'] });
    expect(decl.metrics).toEqual({ port: 'ui', path: '/metrics/prometheus' });
  });

  it('opens egress outside the cluster only to the jar repository, on its port', () => {
    expect(decl.externalEndpoints).toEqual([{ cidrs: ['0.0.0.0/0'], ports: [443] }]);
    const mirror = build('airgapped').services.find((s) => s.declaration.name === 'spark')!.declaration;
    expect(mirror.externalEndpoints).toEqual([{ cidrs: ['10.20.0.0/16'], ports: [443] }]);
    const egress = find(objectsOf(build('airgapped'), 'spark'), 'NetworkPolicy', 'spark-egress');
    const blocks = egress.spec.egress.flatMap((r: any) => (r.to ?? []).filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock.cidr));
    expect(blocks).toEqual(['10.20.0.0/16']);
  });

  it('lets every Spark pod reach every Spark port (executors call back to the driver) and clients reach Connect only as declared', () => {
    const local = find(objects, 'NetworkPolicy', 'spark-ingress').spec.ingress[0];
    expect(local.ports.map((p: any) => p.port).sort((a: number, b: number) => a - b)).toEqual([4040, 7079, 7080, 15002]);
    const ingress = find(standaloneObjects, 'NetworkPolicy', 'spark-ingress');
    const self = ingress.spec.ingress[0];
    expect(self.from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'spark' });
    expect(self.ports.map((p: any) => p.port).sort((a: number, b: number) => a - b)).toEqual([
      4040, 7077, 7078, 7079, 7080, 8080, 8081, 15002,
    ]);
  });
});

describe('Spark objects', () => {
  it('runs one master as a StatefulSet behind a headless Service, its recovery state on a volume', () => {
    const service = find(standaloneObjects, 'Service', 'spark-master');
    expect(service.spec.clusterIP).toBe('None');
    const master = find(standaloneObjects, 'StatefulSet', 'spark-master');
    expect(master.spec.serviceName).toBe('spark-master');
    expect(master.spec.volumeClaimTemplates.map((c: any) => c.metadata.name)).toEqual(['recovery']);
    const c = containerOf(master, 'master');
    expect(c.args).toEqual(
      expect.arrayContaining(['org.apache.spark.deploy.master.Master', 'spark-master-0.spark-master.platform-compute.svc.cluster.local']),
    );
    expect(master.metadata.annotations[`${EXEMPTION_PREFIX}minimum-replicas`]).toMatch(/ZooKeeper/);
    const conf = parseConf(find(standaloneObjects, 'ConfigMap', 'spark-config').data['master.conf']);
    expect(conf['spark.deploy.recoveryMode']).toBe('FILESYSTEM');
    expect(conf['spark.deploy.recoveryDirectory']).toBe('/opt/spark/recovery');
  });

  it('runs the configured number of workers, each offering the profile cores and memory, registered at the master by pod IP', () => {
    const worker = find(standaloneObjects, 'Deployment', 'spark-worker');
    expect(worker.spec.replicas).toBe(1);
    const c = containerOf(worker, 'worker');
    expect(c.args).toEqual([
      'org.apache.spark.deploy.worker.Worker',
      '--host',
      '$(POD_IP)',
      '--port',
      '7078',
      '--webui-port',
      '8081',
      '--cores',
      '1',
      '--memory',
      '512m',
      '--work-dir',
      '/opt/spark/work',
      '--properties-file',
      '/etc/spark/conf/worker.conf',
      'spark://spark-master-0.spark-master.platform-compute.svc.cluster.local:7077',
    ]);
    expect(envValue(c, 'POD_IP').valueFrom.fieldRef.fieldPath).toBe('status.podIP');
    expect(find(objectsOf(build('eks', { compute: { spark: { workers: 5 } } }), 'spark'), 'Deployment', 'spark-worker').spec.replicas).toBe(
      5,
    );
  });

  it('serves Spark Connect (gRPC 15002) and its UI on the Service named after the service, probed on the gRPC port', () => {
    const service = find(objects, 'Service', 'spark');
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'spark', 'app.kubernetes.io/component': 'connect' });
    expect(service.spec.ports.map((p: any) => [p.name, p.port])).toEqual([
      ['connect', 15002],
      ['ui', 4040],
    ]);
    const connect = containerOf(find(objects, 'Deployment', 'spark-connect'), 'connect');
    expect(connect.readinessProbe.tcpSocket.port).toBe(15002);
    expect(connect.command).toEqual(['/bin/bash', '/etc/spark/conf/start-connect.sh']);
    expect(configMap.data['start-connect.sh']).toContain('--class org.apache.spark.sql.connect.service.SparkConnectServer');
  });

  it('runs every Spark container as the image user 185 with a read-only root and writable work, conf and temp directories', () => {
    for (const [kind, name, container, writable] of [
      ['StatefulSet', 'spark-master', 'master', ['/tmp']],
      ['Deployment', 'spark-worker', 'worker', ['/opt/spark/work', '/tmp']],
      ['Deployment', 'spark-connect', 'connect', ['/opt/spark/conf', '/tmp']],
    ] as const) {
      const workload = find(standaloneObjects, kind, name);
      expect(workload.spec.template.spec.securityContext).toMatchObject({ runAsUser: 185, runAsGroup: 185, fsGroup: 185 });
      const c = containerOf(workload, container);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      const mounts = c.volumeMounts.map((m: any) => m.mountPath);
      expect(mounts).toEqual(expect.arrayContaining([...writable]));
    }
  });

  it('gives Spark its own S3 identity from its Secret, and the catalog credential to the Connect server as files', () => {
    for (const name of ['spark-worker', 'spark-connect']) {
      const c = containerOf(find(standaloneObjects, 'Deployment', name), name.replace('spark-', ''));
      expect(envValue(c, 'AWS_ACCESS_KEY_ID')).toEqual({
        name: 'AWS_ACCESS_KEY_ID',
        valueFrom: { secretKeyRef: { name: 'spark-s3', key: 'access-key' } },
      });
      expect(envValue(c, 'AWS_SECRET_ACCESS_KEY').valueFrom.secretKeyRef).toEqual({ name: 'spark-s3', key: 'secret-key' });
      expect(envValue(c, 'AWS_REGION').value).toBe(S3_REGION);
    }
    const pod = find(objects, 'Deployment', 'spark-connect').spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'polaris').secret.secretName).toBe(SPARK_POLARIS_SECRET);
  });

  it('signs in to Polaris as its own principal, whose secret the Polaris bootstrap sets, never as root', () => {
    const plan = spark.secrets.find((s) => s.name === SPARK_POLARIS_SECRET)!;
    expect(SPARK_POLARIS_SECRET).toBe('spark-polaris');
    expect(plan.namespace).toBe('platform-compute');
    expect(plan.data['client-id']).toEqual({ kind: 'literal', value: 'spark' });
    expect(plan.data['client-secret']).toEqual({ kind: 'random', id: 'polaris/client/spark', length: 32 });
    expect(plan.data['client-secret']).not.toEqual({ kind: 'random', id: POLARIS_ROOT_SECRET_ID, length: 32 });
    const bootstrap = k3d.services.find((s) => s.declaration.name === 'polaris')!.secrets.find((s) => s.name === 'polaris-clients')!;
    expect(bootstrap.data.spark).toEqual(plan.data['client-secret']);
  });
});

describe('Spark in local mode, the laptop default', () => {
  it('runs the Connect server alone: no master, no workers, no recovery volume', () => {
    expect(k3d.config.compute.spark.master).toBe('local');
    expect(objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/spark-connect',
    ]);
    expect(spark.declaration.storage).toEqual({});
    expect(Object.keys(spark.declaration.resources)).toEqual(['connect']);
    expect(Object.keys(configMap.data).sort()).toEqual(['connect.conf', 'fetch-jars.sh', 'start-connect.sh']);
  });

  it('runs as many task slots as the container may use cores, in a heap that holds driver and tasks', () => {
    const connect = containerOf(find(objects, 'Deployment', 'spark-connect'), 'connect');
    expect(connectConf['spark.master']).toBe(`local[${cpuToMillicores(connect.resources.limits.cpu) / 1000}]`);
    expect(connectConf['spark.driver.memory']).toBe(`${SPARK_PROFILES.small.local.driverMemoryMi}m`);
    expect(connectConf['spark.executor.cores']).toBeUndefined();
    expect(connectConf['spark.executor.memory']).toBeUndefined();
  });

  it('keeps everything else a standalone driver has: the Iceberg catalog at Polaris, S3A, the event log', () => {
    const same = Object.keys(standaloneConf).filter(
      (k) => !k.startsWith('spark.executor.') && !['spark.master', 'spark.driver.memory'].includes(k),
    );
    expect(Object.fromEntries(same.map((k) => [k, connectConf[k]]))).toEqual(Object.fromEntries(same.map((k) => [k, standaloneConf[k]])));
    expect(connectConf['spark.eventLog.dir']).toBe('s3a://platform-spark-logs/');
    expect(connectConf['spark.sql.catalog.iceberg.type']).toBe('rest');
  });

  it('is standalone on the cluster profiles, and a stack may choose either', () => {
    expect(build('eks').config.compute.spark.master).toBe('standalone');
    expect(
      find(objectsOf(build('eks', { compute: { spark: { master: 'local' } } }), 'spark'), 'Deployment', 'spark-connect'),
    ).toBeDefined();
    expect(() => loadPlatformConfig({ environment: 'k3d', compute: { spark: { master: 'yarn' } } })).toThrow(/compute\.spark\.master/);
  });
});

describe('the jars Spark fetches', () => {
  it('fetches every jar for the driver and the Iceberg ones for executors, from the configured repository, before the JVM starts', () => {
    const connect = containerOf(find(objects, 'Deployment', 'spark-connect'), 'fetch-jars');
    expect(connect.command.slice(2)).toEqual(SPARK_JARS.map(repositoryPath));
    expect(envValue(connect, 'MAVEN_REPOSITORY').value).toBe('https://repo.maven.apache.org/maven2');
    const worker = containerOf(find(standaloneObjects, 'Deployment', 'spark-worker'), 'fetch-jars');
    expect(worker.command.slice(2)).toEqual([
      'org/apache/iceberg/iceberg-spark-runtime-4.1_2.13/1.11.0/iceberg-spark-runtime-4.1_2.13-1.11.0.jar',
      'org/apache/iceberg/iceberg-aws-bundle/1.11.0/iceberg-aws-bundle-1.11.0.jar',
    ]);
    const airgapped = containerOf(find(objectsOf(build('airgapped'), 'spark'), 'Deployment', 'spark-connect'), 'fetch-jars');
    expect(envValue(airgapped, 'MAVEN_REPOSITORY').value).toBe('https://maven.corp.internal/repository/maven-public');
  });

  it('puts the fetched jars on the driver and executor class paths, explicitly and in order', () => {
    expect(connectConf['spark.driver.extraClassPath']).toBe(classPath('/opt/spark/extra-jars', 'driver'));
    expect(connectConf['spark.driver.extraClassPath'].split(':')).toEqual(SPARK_JARS.map((j) => `/opt/spark/extra-jars/${fileName(j)}`));
    expect(connectConf['spark.executor.extraClassPath']).toBeUndefined();
    expect(standaloneConf['spark.executor.extraClassPath']).toBe(
      '/opt/spark/extra-jars/iceberg-spark-runtime-4.1_2.13-1.11.0.jar:/opt/spark/extra-jars/iceberg-aws-bundle-1.11.0.jar',
    );
  });

  it('pins hadoop-aws to the Hadoop version the image carries, which the fetch checks', () => {
    const hadoopAws = SPARK_JARS.find((j) => j.artifact === 'hadoop-aws')!;
    const fetch = containerOf(find(objects, 'Deployment', 'spark-connect'), 'fetch-jars');
    expect(envValue(fetch, 'HADOOP_VERSION').value).toBe(hadoopAws.version);
    expect(configMap.data['fetch-jars.sh']).toContain('$SPARK_HOME/jars/hadoop-client-api-$HADOOP_VERSION.jar');
  });
});

describe('spark-defaults of the Connect server', () => {
  it("wires the Iceberg REST catalog at Polaris: realm, warehouse, Spark's own principal role as scope, token endpoint", () => {
    const catalog = `spark.sql.catalog.${ICEBERG_CATALOG}`;
    expect(connectConf).toMatchObject({
      [catalog]: 'org.apache.iceberg.spark.SparkCatalog',
      [`${catalog}.type`]: 'rest',
      [`${catalog}.uri`]: 'http://polaris.platform-storage.svc.cluster.local:8181/api/catalog',
      [`${catalog}.oauth2-server-uri`]: 'http://polaris.platform-storage.svc.cluster.local:8181/api/catalog/v1/oauth/tokens',
      [`${catalog}.scope`]: 'PRINCIPAL_ROLE:spark',
      [`${catalog}.warehouse`]: k3d.config.polaris.catalog,
      [`${catalog}.header.Polaris-Realm`]: k3d.config.polaris.realm,
      'spark.sql.defaultCatalog': 'iceberg',
      'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    });
  });

  it('reads and writes table files with S3FileIO and the event log with S3A, both path-style at the platform S3 endpoint', () => {
    const endpoint = 'http://seaweedfs.platform-storage.svc.cluster.local:8333';
    expect(connectConf).toMatchObject({
      'spark.sql.catalog.iceberg.io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
      'spark.sql.catalog.iceberg.s3.endpoint': endpoint,
      'spark.sql.catalog.iceberg.s3.path-style-access': 'true',
      'spark.sql.catalog.iceberg.client.region': S3_REGION,
      'spark.hadoop.fs.s3a.endpoint': endpoint,
      'spark.hadoop.fs.s3a.path.style.access': 'true',
      'spark.hadoop.fs.s3a.aws.credentials.provider': 'software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider',
    });
  });

  it('writes the event log, rolled, to the declared spark-logs bucket', () => {
    expect(connectConf['spark.eventLog.enabled']).toBe('true');
    expect(connectConf['spark.eventLog.dir']).toBe('s3a://platform-spark-logs/');
    expect(connectConf['spark.eventLog.rolling.enabled']).toBe('true');
    // Closed rolled files are what the history server compacts (spark-history); 10 MiB is the least Spark takes.
    expect(connectConf['spark.eventLog.rolling.maxFileSize']).toBe('64m');
  });

  it('follows an external S3 store: its endpoint, region and addressing style', () => {
    const external = build('k3d', {
      objectStorage: {
        mode: 'external',
        endpoint: 'https://s3.eu-west-1.amazonaws.com',
        region: 'eu-west-1',
        pathStyle: false,
        credentialsSecret: 'bucket-admin',
        cidrs: ['0.0.0.0/0'],
      },
    });
    const conf = parseConf(find(objectsOf(external, 'spark'), 'ConfigMap', 'spark-config').data['connect.conf']);
    expect(conf['spark.sql.catalog.iceberg.s3.endpoint']).toBe('https://s3.eu-west-1.amazonaws.com');
    expect(conf['spark.sql.catalog.iceberg.s3.path-style-access']).toBe('false');
    expect(conf['spark.hadoop.fs.s3a.endpoint.region']).toBe('eu-west-1');
  });

  it('pins the driver and block-manager ports the NetworkPolicies allow, and fails rather than moving off them', () => {
    expect(connectConf).toMatchObject({
      'spark.connect.grpc.binding.port': String(SPARK_PORTS.connect.port),
      'spark.driver.port': String(SPARK_PORTS.driver.port),
      'spark.driver.blockManager.port': String(SPARK_PORTS.blocks.port),
      'spark.blockManager.port': String(SPARK_PORTS.blocks.port),
      'spark.ui.port': String(SPARK_PORTS.ui.port),
      'spark.port.maxRetries': '0',
      'spark.master': 'local[2]',
    });
    expect(standaloneConf['spark.master']).toBe('spark://spark-master-0.spark-master.platform-compute.svc.cluster.local:7077');
  });

  it('holds no secret: the credential is appended at start from the mounted Secret, and redacted from UI and logs', () => {
    for (const text of Object.values(configMap.data as Record<string, string>)) {
      // Only the printf template (%s:%s) may name the credential key.
      expect(text).not.toMatch(/\.credential\s+[^%\s]+:/);
      expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY=|fs\.s3a\.secret\.key/);
    }
    expect(configMap.data['start-connect.sh']).toContain('spark.sql.catalog.%s.credential');
    expect(connectConf['spark.redaction.regex']).toMatch(/credential/);
    const findings = evaluate([configMap], RULES, policyContextFor(k3d.config)).violations.filter(
      (v) => v.rule === 'no-secrets-in-configmaps',
    );
    expect(findings).toEqual([]);
  });
});

describe('Spark config', () => {
  const problems = (overrides: Record<string, unknown>): string[] => {
    try {
      loadPlatformConfig(overrides);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('rejects a jar repository that is not an http(s) URL and an empty range list, naming the keys', () => {
    const found = problems({ environment: 'k3d', compute: { spark: { jars: { repository: 'ftp://mirror', cidrs: [] } } } });
    expect(found.some((p) => p.startsWith('compute.spark.jars.repository:'))).toBe(true);
    expect(found.some((p) => p.startsWith('compute.spark.jars.cidrs:'))).toBe(true);
  });

  it('without internet egress, requires a jar mirror inside named ranges: Maven Central and 0.0.0.0/0 are errors', () => {
    const found: string[] = [];
    const issue = (path: (string | number)[], _input: unknown, message: string) => found.push(`${path.join('.')}: ${message}`);
    const config = loadPlatformConfig({ ...ENVIRONMENT_OVERRIDES.airgapped, ...AIRGAPPED_MIRRORS });
    refineSpark(
      { ...config.compute.spark, jars: { repository: 'https://repo1.maven.org/maven2', cidrs: ['0.0.0.0/0'] } },
      { allowInternet: false },
      issue,
    );
    expect(found).toEqual([
      'jars.repository: must be an internal Maven mirror when egress.allowInternet is false: repo1.maven.org is on the internet',
      'jars.cidrs: may not contain "0.0.0.0/0" when egress.allowInternet is false: name the ranges the mirror lives in',
    ]);
    found.length = 0;
    refineSpark(config.compute.spark, { allowInternet: false }, issue);
    refineSpark(loadPlatformConfig({ environment: 'k3d' }).compute.spark, { allowInternet: true }, issue);
    expect(found).toEqual([]);
  });
});

describe.each(['k3d', 'eks', 'airgapped'])('the whole %s platform with Spark', (environment) => {
  const whole = build(environment);
  const everything = [...allObjects(whole), ...plannedSecrets(whole)];

  it('is schema-valid, resolves every reference and has no mandatory policy finding', () => {
    expect(validateSchema(everything)).toEqual([]);
    expect(
      checkReferences(everything, { storageClasses: Object.values(whole.config.storageClasses), externalSecrets: userSecrets(whole) }),
    ).toEqual([]);
    expect(
      mandatoryViolations(evaluate(everything, RULES, policyContextFor(whole.config))).map((v) => `${v.rule} ${v.object}: ${v.message}`),
    ).toEqual([]);
  });
});

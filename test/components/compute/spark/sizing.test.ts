// Executor settings are consistent with the workers that run them, and every JVM fits its
// container, on every sizing profile: what the master schedules, the kernel also allows.
import {
  DAEMON_NATIVE_MI,
  jvmOverheadMi,
  mebibytes,
  MIN_SPARK_HEAP_MI,
  SPARK_PROFILES,
  sparkSizing,
} from '../../../../components/compute/spark/sizing';
import { cpuToMillicores } from '../../../../components/platform/quantity';
import { SIZING_PROFILES } from '../../../../environments/schema';
import { buildFor, containerOf, envValue, find, objectsOf } from '../../../helpers/build';

const conf = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.split(' ')[0], l.split(' ').slice(1).join(' ')]),
  );

describe.each(SIZING_PROFILES)('Spark on the %s profile', (profile) => {
  const { master, worker, connect, local } = SPARK_PROFILES[profile];
  const sizing = sparkSizing(3);
  const localSizing = sparkSizing(3, 'local');

  it('in local mode fits the heap, holding driver and tasks, and its overhead in the Connect container, with a task slot per core', () => {
    const c = localSizing.connect[profile];
    expect(Object.keys(localSizing)).toEqual(['connect']);
    expect(local.driverMemoryMi).toBeGreaterThanOrEqual(MIN_SPARK_HEAP_MI);
    expect(local.driverMemoryMi + jvmOverheadMi(local.driverMemoryMi)).toBeLessThanOrEqual(mebibytes(c.memoryLimit ?? c.memory));
    expect(local.cores * 1000).toBe(cpuToMillicores(c.cpuLimit!));
  });

  it("gives executors and the driver at least the 450 MiB heap Spark's memory manager requires", () => {
    // UnifiedMemoryManager: 1.5 times the 300 MiB it reserves, or the JVM refuses to start.
    expect(MIN_SPARK_HEAP_MI).toBe(450);
    expect(worker.executorMemoryMi).toBeGreaterThanOrEqual(MIN_SPARK_HEAP_MI);
    expect(connect.driverMemoryMi).toBeGreaterThanOrEqual(MIN_SPARK_HEAP_MI);
    expect(worker.cores).toBeGreaterThanOrEqual(1);
  });

  it("fits the worker daemon and its executor (heap and overhead) in the worker container's memory limit", () => {
    const limit = mebibytes(sizing.worker[profile].memoryLimit ?? sizing.worker[profile].memory);
    const used = worker.daemonHeapMi + DAEMON_NATIVE_MI + worker.executorMemoryMi + jvmOverheadMi(worker.executorMemoryMi);
    expect(used).toBeLessThanOrEqual(limit);
  });

  it("gives the executor no more cores than the worker container's CPU limit", () => {
    expect(worker.cores * 1000).toBeLessThanOrEqual(cpuToMillicores(sizing.worker[profile].cpuLimit!));
  });

  it('fits the driver heap and overhead in the Connect container, and the master daemon in its own', () => {
    const connectLimit = mebibytes(sizing.connect[profile].memoryLimit ?? sizing.connect[profile].memory);
    expect(connect.driverMemoryMi + jvmOverheadMi(connect.driverMemoryMi)).toBeLessThanOrEqual(connectLimit);
    const masterLimit = mebibytes(sizing.master[profile].memoryLimit ?? sizing.master[profile].memory);
    expect(master.daemonHeapMi + DAEMON_NATIVE_MI).toBeLessThanOrEqual(masterLimit);
  });
});

describe('the rendered executor settings', () => {
  it.each([
    ['k3d', 'small'],
    ['eks', 'large'],
  ] as const)('on %s (%s), standalone, ask for exactly what each worker offers', (environment, profile) => {
    const objects = objectsOf(buildFor(environment, { compute: { spark: { master: 'standalone' } } }), 'spark');
    const connect = conf(find(objects, 'ConfigMap', 'spark-config').data['connect.conf']);
    const worker = containerOf(find(objects, 'Deployment', 'spark-worker'), 'worker');
    const offered = { cores: worker.args[worker.args.indexOf('--cores') + 1], memory: worker.args[worker.args.indexOf('--memory') + 1] };
    expect(connect['spark.executor.cores']).toBe(offered.cores);
    expect(connect['spark.executor.memory']).toBe(offered.memory);
    expect(connect['spark.executor.memory']).toBe(`${SPARK_PROFILES[profile].worker.executorMemoryMi}m`);
    expect(connect['spark.driver.memory']).toBe(`${SPARK_PROFILES[profile].connect.driverMemoryMi}m`);
    expect(envValue(worker, 'SPARK_DAEMON_MEMORY').value).toBe(`${SPARK_PROFILES[profile].worker.daemonHeapMi}m`);
    expect(worker.resources.limits.memory).toBe(sparkSizing(1).worker[profile].memory);
  });

  it('keeps the laptop lean: Spark in local mode, one JVM, within 1.25 GiB of limits and 640 MiB of requests', () => {
    const objects = objectsOf(buildFor('k3d'), 'spark');
    const workloads = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind)) as any[];
    expect(workloads.map((w) => w.metadata.name)).toEqual(['spark-connect']);
    const c = containerOf(workloads[0], 'connect');
    expect(mebibytes(c.resources.limits.memory)).toBeLessThanOrEqual(1280);
    expect(mebibytes(c.resources.requests.memory)).toBeLessThanOrEqual(640);
    const conf = find(objects, 'ConfigMap', 'spark-config').data['connect.conf'];
    expect(conf).toContain(`spark.driver.memory ${SPARK_PROFILES.small.local.driverMemoryMi}m`);
  });
});

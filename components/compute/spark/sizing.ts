// Spark's sizing per profile and mode: the JVM heaps (driver, executors, daemons) and the containers
// that hold them, kept consistent (test/components/compute/spark/sizing.test.ts checks every case).
//
// Minimums, from Spark 4.1's sources and docs:
// - a heap below 450 MiB is refused: the memory manager reserves 300 MiB and asks 1.5 times that
//   (core/src/main/scala/org/apache/spark/memory/UnifiedMemoryManager.scala, RESERVED_SYSTEM_MEMORY_BYTES);
// - a container holds the heap plus the memory overhead, max(384 MiB, 10% of the heap)
//   (docs/configuration.md, spark.driver.memoryOverhead and spark.driver.minMemoryOverhead).
import type { SizingProfile } from '../../../environments/schema';
import type { ComponentSizing, Sized } from '../../platform/service';
import { memoryToBytes } from '../../platform/quantity';

/** `local`: the Connect server runs the tasks in its own JVM (`--master local[N]`); `standalone`: a master and workers. */
export type SparkMode = 'local' | 'standalone';

/** What a Spark JVM uses beyond its heap (metaspace, threads, direct buffers): Spark's own estimate, max(384 MiB, 10%). */
export const jvmOverheadMi = (heapMi: number): number => Math.max(384, Math.ceil(heapMi * 0.1));
/** The master and worker daemons are small JVMs: their heap (SPARK_DAEMON_MEMORY) plus this. */
export const DAEMON_NATIVE_MI = 128;
/** The least heap Spark's memory manager starts with (UnifiedMemoryManager: 1.5 x 300 MiB reserved). */
export const MIN_SPARK_HEAP_MI = 450;

export interface WorkerSizing {
  /** Task slots the worker offers; the Connect server's executor takes them all. */
  cores: number;
  /** The executor heap; also what the worker offers the master (SPARK_WORKER_MEMORY). */
  executorMemoryMi: number;
  daemonHeapMi: number;
}

export interface SparkProfile {
  master: { daemonHeapMi: number };
  worker: WorkerSizing;
  /** The driver of the standalone application. */
  connect: { driverMemoryMi: number };
  /** Local mode: the driver's heap holds the tasks too, so it gets what driver and executor had. */
  local: { cores: number; driverMemoryMi: number };
}

/**
 * Per profile: small is the least Spark runs with so it fits a laptop next to the platform (a
 * 768 MiB local heap leaves (768 - 300) x 0.6 = 280 MiB for execution and storage, spark.memory.fraction);
 * large is a cluster's.
 */
export const SPARK_PROFILES: Sized<SparkProfile> = {
  small: {
    master: { daemonHeapMi: 128 },
    worker: { cores: 1, executorMemoryMi: 512, daemonHeapMi: 128 },
    connect: { driverMemoryMi: 512 },
    local: { cores: 2, driverMemoryMi: 768 },
  },
  medium: {
    master: { daemonHeapMi: 256 },
    worker: { cores: 2, executorMemoryMi: 3072, daemonHeapMi: 256 },
    connect: { driverMemoryMi: 2048 },
    local: { cores: 2, driverMemoryMi: 3072 },
  },
  large: {
    master: { daemonHeapMi: 512 },
    worker: { cores: 4, executorMemoryMi: 6144, daemonHeapMi: 256 },
    connect: { driverMemoryMi: 4096 },
    local: { cores: 4, driverMemoryMi: 6144 },
  },
};

/** The Connect server's heap in a mode (spark.driver.memory). */
export const driverHeapMi = (profile: SizingProfile, mode: SparkMode): number =>
  mode === 'local' ? SPARK_PROFILES[profile].local.driverMemoryMi : SPARK_PROFILES[profile].connect.driverMemoryMi;

/**
 * The local Connect server: its limit holds heap and overhead; the request is what it uses idle
 * and in small queries (the heap grows on demand: spark-submit sets -Xmx only), so a laptop
 * reserves less than the peak.
 */
const LOCAL_CONNECT: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '250m', memory: '640Mi', cpuLimit: '2', memoryLimit: '1152Mi' },
  medium: { replicas: 1, cpu: '500m', memory: '3456Mi', cpuLimit: '2' },
  large: { replicas: 1, cpu: '1', memory: '7Gi', cpuLimit: '4' },
};

/** Container sizing per component; the memory limits must hold the JVMs above (spark-config tests check every profile). */
export function sparkSizing(workers: number, mode: SparkMode = 'standalone'): Record<string, Sized<ComponentSizing>> {
  if (mode === 'local') return { connect: LOCAL_CONNECT };
  return {
    master: {
      small: { replicas: 1, cpu: '100m', memory: '384Mi', cpuLimit: '500m' },
      medium: { replicas: 1, cpu: '100m', memory: '768Mi', cpuLimit: '1' },
      large: { replicas: 1, cpu: '250m', memory: '1Gi', cpuLimit: '1' },
    },
    worker: {
      small: { replicas: workers, cpu: '250m', memory: '1152Mi', cpuLimit: '1' },
      medium: { replicas: workers, cpu: '1', memory: '4Gi', cpuLimit: '2' },
      large: { replicas: workers, cpu: '2', memory: '8Gi', cpuLimit: '4' },
    },
    connect: {
      small: { replicas: 1, cpu: '250m', memory: '1Gi', cpuLimit: '1' },
      medium: { replicas: 1, cpu: '500m', memory: '3Gi', cpuLimit: '2' },
      large: { replicas: 1, cpu: '1', memory: '6Gi', cpuLimit: '4' },
    },
  };
}

export const mebibytes = (quantity: string): number => Math.floor(memoryToBytes(quantity) / 2 ** 20);

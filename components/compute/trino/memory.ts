// Trino's JVM heap and query memory, derived from a node's container memory limit so that the
// documented invariants hold on every profile:
// - the heap (-Xmx) is 70 to 85% of the memory (installation/deployment.html, "JVM config"), and
//   what is left covers code cache, metaspace, thread stacks and direct buffers;
// - query.max-memory-per-node + memory.heap-headroom-per-node stay below the heap, or the node
//   refuses to start (admin/properties-resource-management.html, both default to 30% of the heap);
// - query.max-total-memory is greater than query.max-memory (same page).
import { memoryToBytes } from '../../platform/quantity';

const MIB = 2 ** 20;
/** The share of the container given to the heap where the container is large enough. */
const HEAP_SHARE = 0.75;
/** Off-heap floor: the 256M code cache plus as much again for metaspace, thread stacks, GC structures and direct buffers. */
export const MIN_NON_HEAP_MIB = 512;
/** The documented range for -Xmx as a share of the node's memory. */
export const HEAP_SHARE_RANGE = { min: 0.7, max: 0.85 } as const;
/** query.max-memory-per-node and memory.heap-headroom-per-node, each as a share of the heap (Trino's defaults). */
const QUERY_SHARE = 0.3;
const HEADROOM_SHARE = 0.3;

export interface NodeMemory {
  containerMiB: number;
  heapMiB: number;
  /** -XX:ReservedCodeCacheSize: the image's 256M, the documented 512M on large heaps. */
  codeCacheMiB: number;
  maxMemoryPerNodeMiB: number;
  heapHeadroomMiB: number;
}

export interface ClusterMemory {
  maxMemoryMiB: number;
  maxTotalMemoryMiB: number;
}

/** A node's memory settings from its container memory limit (such as "8Gi"). */
export function nodeMemory(memoryLimit: string): NodeMemory {
  const containerMiB = Math.floor(memoryToBytes(memoryLimit) / MIB);
  const nonHeap = Math.max(MIN_NON_HEAP_MIB, Math.ceil(containerMiB * (1 - HEAP_SHARE)));
  const heapMiB = containerMiB - nonHeap;
  if (heapMiB < containerMiB * HEAP_SHARE_RANGE.min) {
    const needed = Math.ceil(MIN_NON_HEAP_MIB / (1 - HEAP_SHARE_RANGE.min));
    throw new Error(
      `trino: a node with ${memoryLimit} of memory cannot give ${HEAP_SHARE_RANGE.min * 100}% to the heap and keep ${MIN_NON_HEAP_MIB}Mi off-heap; give it at least ${needed}Mi`,
    );
  }
  return {
    containerMiB,
    heapMiB,
    codeCacheMiB: heapMiB >= 8192 ? 512 : 256,
    maxMemoryPerNodeMiB: Math.floor(heapMiB * QUERY_SHARE),
    heapHeadroomMiB: Math.floor(heapMiB * HEADROOM_SHARE),
  };
}

/**
 * Cluster-wide limits for one query: what the nodes that run tasks can hold at the smallest
 * cluster size (a query above it fails on any size), and twice that including revocable memory.
 */
export function clusterMemory(taskNode: NodeMemory, taskNodes: number): ClusterMemory {
  const maxMemoryMiB = taskNode.maxMemoryPerNodeMiB * taskNodes;
  return { maxMemoryMiB, maxTotalMemoryMiB: maxMemoryMiB * 2 };
}

/** A data size as Trino's properties take it (airlift DataSize: MB is 2^20 bytes). */
export const dataSize = (mib: number): string => `${mib}MB`;

// Kubernetes quantities as numbers, for sizing totals and derived tuning.
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** "250m" -> 250, "2" -> 2000. */
export function cpuToMillicores(cpu: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(cpu);
  if (!match) throw new Error(`cpu quantity: received "${cpu}"; expected cores such as "2" or millicores such as "250m"`);
  return match[2] ? Number(match[1]) : Math.round(Number(match[1]) * 1000);
}

/** "512Mi" -> 536870912. */
export function memoryToBytes(memory: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(memory);
  if (!match) throw new Error(`memory quantity: received "${memory}"; expected a size such as "512Mi" or "2Gi"`);
  const unit = match[2];
  return Math.round(Number(match[1]) * (unit ? (BINARY[unit] ?? DECIMAL[unit]) : 1));
}

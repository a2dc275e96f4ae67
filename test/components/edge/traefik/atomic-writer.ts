// The kubelet's update of a projected volume, on a real directory: kubernetes
// pkg/volume/util/atomic_writer.go (AtomicWriter.Write, steps 5-11). The files live in a hidden
// `..<timestamp>` directory, `..data` links to it, each top-level name links through `..data`;
// an update writes a new timestamped directory, renames `..data_tmp` onto `..data` and removes
// the old directory. Used to show what Traefik's file provider sees of a renewal.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** File path in the volume to its content, as the kubelet computes it from the volume's sources. */
export type Payload = Record<string, string>;

/** Objects the sources name: ConfigMaps and Secrets by name, key to value; a missing one is absent. */
export interface SourceData {
  configMaps: Record<string, Record<string, string>>;
  secrets: Record<string, Record<string, string>>;
}

interface KeyToPath {
  key: string;
  path: string;
}

function project(
  kind: string,
  source: { name: string; items?: KeyToPath[]; optional?: boolean },
  data: Record<string, string> | undefined,
): Payload {
  if (!data) {
    if (source.optional) return {};
    throw new Error(`${kind} ${source.name} is missing and not optional: the kubelet would not start the pod`);
  }
  const items = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
  return Object.fromEntries(items.map(({ key, path: p }) => [p, data[key]]));
}

/** The payload of a projected volume (pkg/volume/projected): every source's items, merged. */
export function projectedPayload(volume: any, data: SourceData): Payload {
  const payload: Payload = {};
  for (const source of volume.projected.sources) {
    if (source.configMap) Object.assign(payload, project('ConfigMap', source.configMap, data.configMaps[source.configMap.name]));
    else if (source.secret) Object.assign(payload, project('Secret', source.secret, data.secrets[source.secret.name]));
    else throw new Error(`unsupported projected source ${JSON.stringify(source)}`);
  }
  return payload;
}

const DATA = '..data';
const DATA_TMP = '..data_tmp';

/** Go's `time.Format("..2006_01_02_15_04_05.")` in UTC. */
const timestampPrefix = (at: Date): string => `..${at.toISOString().slice(0, 19).replace(/[-T:]/g, '_')}.`;

/** One AtomicWriter.Write; `at` stands for the kubelet's clock (renewals are weeks apart). */
export function atomicWrite(target: string, payload: Payload, at: Date): void {
  for (const p of Object.keys(payload))
    if (path.isAbsolute(p) || p.split('/').includes('..') || p.startsWith('..')) throw new Error(`invalid payload path ${p}`);
  const dataPath = path.join(target, DATA);
  const oldTsDir = fs.existsSync(dataPath) ? fs.readlinkSync(dataPath) : '';
  const oldPaths = oldTsDir ? fs.readdirSync(path.join(target, oldTsDir)) : [];
  // (5) a new timestamped directory, (6) the payload written into it.
  const tsDir = fs.mkdtempSync(path.join(target, timestampPrefix(at)));
  fs.chmodSync(tsDir, 0o755);
  for (const [p, content] of Object.entries(payload)) {
    fs.mkdirSync(path.dirname(path.join(tsDir, p)), { recursive: true });
    fs.writeFileSync(path.join(tsDir, p), content, { mode: 0o440 });
  }
  // (7) user-visible links for new top-level names.
  const topLevel = new Set(Object.keys(payload).map((p) => p.split('/')[0]));
  for (const name of topLevel) if (!present(path.join(target, name))) fs.symlinkSync(path.join(DATA, name), path.join(target, name));
  // (8) + (9) the atomic swap.
  fs.symlinkSync(path.basename(tsDir), path.join(target, DATA_TMP));
  fs.renameSync(path.join(target, DATA_TMP), dataPath);
  // (10) top-level names no longer in the payload, (11) the old directory.
  for (const name of oldPaths) if (!topLevel.has(name)) fs.rmSync(path.join(target, name), { force: true });
  if (oldTsDir) fs.rmSync(path.join(target, oldTsDir), { recursive: true, force: true });
}

/** Like the kubelet's Readlink check: the name exists, dangling or not. */
function present(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

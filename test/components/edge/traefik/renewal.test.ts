// A renewed certificate reaches Traefik without a restart, every time: the rendered pod's volume is
// laid out and updated as the kubelet does it (atomic-writer.ts), and Traefik's file provider is run
// over it with its own flags, watches, event filter and walk (file-provider.ts). inotify semantics
// are Linux's, where the pods run; elsewhere fs.watch is another mechanism, so the suite is skipped.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify, parse } from 'yaml';
import { traefikDefinition, DYNAMIC_FILE } from '../../../../components/edge/traefik/traefik';
import type { PlatformBuild } from '../../../../components/platform/build';
import { buildFor, containerOf, find } from '../../../helpers/build';
import { atomicWrite, projectedPayload, SourceData } from './atomic-writer';
import { FileProvider } from './file-provider';

const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

const build = (env: string): PlatformBuild => buildFor(env, {}, [traefikDefinition]);
const traefikObjects = (b: PlatformBuild) => b.services.find((s) => s.declaration.name === 'traefik')!.objects;

/** Placeholders, not key material: only their identity matters. */
const certificate = (n: number) => ({ 'tls.crt': `test certificate #${n}`, 'tls.key': `test key #${n}` });
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The Traefik pod of a build, its `dynamic` volume laid out in a temp dir as the kubelet would. */
function podOf(b: PlatformBuild, change: (spec: { args: string[]; volume: any }) => void = () => {}) {
  const deployment = find(traefikObjects(b), 'Deployment', 'traefik');
  const container = containerOf(deployment, 'traefik');
  const volume = structuredClone(deployment.spec.template.spec.volumes.find((v: any) => v.name === 'dynamic'));
  const args: string[] = [...container.args];
  change({ args, volume });
  const mount = container.volumeMounts.find((m: any) => m.name === 'dynamic').mountPath;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'traefik-volume-'));
  const host = (p: string): string => {
    const inside = path.relative(mount, p);
    if (inside === '..' || inside.startsWith('../') || path.isAbsolute(inside))
      throw new Error(`${p} is outside the volume mounted at ${mount}`);
    return path.join(root, inside);
  };
  const configMap = find(traefikObjects(b), 'ConfigMap', 'traefik-dynamic');
  const secret = volume.projected.sources.find((s: any) => s.secret).secret;
  const data: SourceData = { configMaps: { [configMap.metadata.name]: { ...configMap.data } }, secrets: {} };
  return { root, host, args, volume, data, secretName: secret.name, optional: secret.optional === true };
}

type Pod = ReturnType<typeof podOf>;

/** Kubelet start-up, then Traefik's: the Secret exists unless cert-manager has yet to issue it. */
function start(pod: Pod): FileProvider {
  if (!pod.optional) pod.data.secrets[pod.secretName] = certificate(0);
  atomicWrite(pod.root, projectedPayload(pod.volume, pod.data), day(0));
  return new FileProvider(pod.args, pod.host).start();
}

describeOnLinux('certificate renewals reach Traefik through the kubelet volume update', () => {
  let traefik: FileProvider | undefined;
  let root: string | undefined;
  afterEach(() => {
    traefik?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    traefik = root = undefined;
  });

  it.each(['eks', 'k3d', 'airgapped'])('%s: serves each of several renewals in turn, with no restart', async (env) => {
    const pod = podOf(build(env));
    root = pod.root;
    traefik = start(pod);
    expect(traefik.loaded.served).toBe(pod.optional ? undefined : certificate(0)['tls.crt']);
    // cert-manager's first issue, then renewals weeks apart; each one is a `..data` swap.
    for (const n of [1, 2, 3, 4]) {
      pod.data.secrets[pod.secretName] = certificate(n);
      atomicWrite(pod.root, projectedPayload(pod.volume, pod.data), day(75 * n));
      await until(() => traefik!.loaded.served === certificate(n)['tls.crt']);
      expect({ renewal: n, served: traefik.loaded.served }).toEqual({ renewal: n, served: certificate(n)['tls.crt'] });
      expect(traefik.loaded.files).toHaveLength(1);
    }
    // One inotify watch, on the volume root: a directory the kubelet writes in but never replaces.
    expect(traefik.watchItems()).toEqual([pod.root]);
  });

  it('reloads an edited dynamic file too, still reading it once', async () => {
    const pod = podOf(build('eks'));
    root = pod.root;
    traefik = start(pod);
    const name = Object.keys(pod.data.configMaps)[0];
    const doc = parse(pod.data.configMaps[name][DYNAMIC_FILE]);
    for (const n of [1, 2]) {
      doc.http = { middlewares: { [`edit-${n}`]: { headers: { customResponseHeaders: { 'X-Edit': `${n}` } } } } };
      pod.data.configMaps[name][DYNAMIC_FILE] = stringify(doc);
      atomicWrite(pod.root, projectedPayload(pod.volume, pod.data), day(n));
      await until(() => `edit-${n}` in traefik!.loaded.middlewares);
      expect(Object.keys(traefik.loaded.middlewares)).toEqual([`edit-${n}`]);
      expect(traefik.loaded.files).toHaveLength(1);
    }
  });
});

// Controls: the harness sees the failures the wiring avoids, so the passes above mean something.
describeOnLinux('the harness reproduces what the wiring avoids', () => {
  let root: string | undefined;
  let traefik: FileProvider | undefined;
  afterEach(() => {
    traefik?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    traefik = root = undefined;
  });

  const asNamedFile = ({ args, volume }: { args: string[]; volume: any }) => {
    const i = args.findIndex((a) => a.startsWith('--providers.file.directory='));
    args[i] = `--providers.file.filename=${args[i].split('=')[1]}/${DYNAMIC_FILE}`;
    delete volume.projected.sources.find((s: any) => s.configMap).configMap.items;
  };

  it('with `filename`, the first swap reloads and the watch is lost: the next renewal is never served', async () => {
    const pod = podOf(build('k3d'), asNamedFile);
    root = pod.root;
    traefik = start(pod);
    pod.data.secrets[pod.secretName] = certificate(1);
    atomicWrite(pod.root, projectedPayload(pod.volume, pod.data), day(75));
    await until(() => traefik!.loaded.served === certificate(1)['tls.crt']);
    expect(traefik.loaded.served).toBe(certificate(1)['tls.crt']);
    pod.data.secrets[pod.secretName] = certificate(2);
    atomicWrite(pod.root, projectedPayload(pod.volume, pod.data), day(150));
    await until(() => traefik!.loaded.served === certificate(2)['tls.crt'], 500);
    expect(traefik.loaded.served).toBe(certificate(1)['tls.crt']);
  });

  it('with the dynamic file at the volume root, the directory mode reads it twice', () => {
    const pod = podOf(build('k3d'), ({ volume }) => {
      delete volume.projected.sources.find((s: any) => s.configMap).configMap.items;
    });
    root = pod.root;
    traefik = start(pod);
    expect(traefik.loaded.files.map((f) => path.relative(pod.root, f))).toEqual([
      expect.stringMatching(/^\.\.2026_01_01_00_00_00\.\w+\/dynamic\.yml$/),
      'dynamic.yml',
    ]);
  });
});

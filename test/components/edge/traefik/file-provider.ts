// Traefik's file provider as far as reloads go (traefik/traefik v3.6.24, pkg/provider/file/file.go),
// run against a real directory. Node's fs.watch is inotify on Linux, as fsnotify is there: the same
// watches (Provide), the same event filter (addWatcher), the same walk (loadFileConfigFromDirectory),
// and the certificate files read on every reload (loadFileConfig). No Traefik binary is needed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

interface Flags {
  directory?: string;
  filename?: string;
  watch: boolean;
}

function flagsOf(args: string[]): Flags {
  const value = (name: string) => args.find((a) => a.startsWith(`--providers.file.${name}=`))?.split('=')[1];
  const flags = { directory: value('directory'), filename: value('filename'), watch: value('watch') === 'true' };
  if (!flags.directory === !flags.filename) throw new Error(`set one of providers.file.directory and .filename: ${args}`);
  return flags;
}

/** Go's filepath.Ext: the suffix from the last dot of the name (`..data` has `.data`). */
const goExt = (name: string): string => (name.lastIndexOf('.') < 0 ? '' : name.slice(name.lastIndexOf('.')));
const isFileSupported = (name: string): boolean => ['.toml', '.yaml', '.yml'].includes(goExt(path.basename(name)).toLowerCase());

/** os.ReadDir: sorted by name, entries typed without following symlinks (Dirent does the same). */
const readDir = (dir: string): fs.Dirent[] =>
  fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export interface Loaded {
  /** Files read as dynamic configuration, in order. */
  files: string[];
  /** What the default TLS store serves: the certificate file's content, or undefined for Traefik's own. */
  served?: string;
  /** The merged routers and middlewares (first of a name wins, as in the directory mode). */
  middlewares: Record<string, unknown>;
}

export class FileProvider {
  private readonly flags: Flags;
  private watchers: fs.FSWatcher[] = [];
  loaded: Loaded = { files: [], middlewares: {} };
  reloads = 0;

  /** `host` maps a path inside the container to where the test laid the volume out. */
  constructor(
    args: string[],
    private readonly host: (containerPath: string) => string,
  ) {
    this.flags = flagsOf(args);
  }

  /** Provide: the directory and its top-level config files, or the file's directory and the file. */
  watchItems(): string[] {
    const { directory, filename } = this.flags;
    if (directory) {
      const dir = this.host(directory);
      const files = readDir(dir).filter((e) => !e.isDirectory() && isFileSupported(e.name));
      return [dir, ...files.map((e) => path.join(dir, e.name))];
    }
    return [path.dirname(this.host(filename!)), this.host(filename!)];
  }

  /** addWatcher: in filename mode only events named like the file reload; in directory mode, all. */
  acceptsEvent(name: string | null): boolean {
    if (this.flags.directory) return true;
    return name !== null && path.basename(name) === path.basename(this.flags.filename!);
  }

  /** buildConfiguration, then what the TLS manager is given: certificate contents read now. */
  load(): Loaded {
    const files = this.flags.directory ? this.walk(this.host(this.flags.directory)) : [this.host(this.flags.filename!)];
    const loaded: Loaded = { files, middlewares: {} };
    let store: { certFile: string } | undefined;
    for (const file of files) {
      const doc = parse(fs.readFileSync(file, 'utf8')) ?? {};
      store ??= doc.tls?.stores?.default?.defaultCertificate;
      for (const [name, m] of Object.entries(doc.http?.middlewares ?? {})) loaded.middlewares[name] ??= m;
    }
    // file.go logs a read error and keeps the store without the certificate: Traefik serves its own.
    if (store && fs.existsSync(this.host(store.certFile))) loaded.served = fs.readFileSync(this.host(store.certFile), 'utf8');
    return loaded;
  }

  /** loadFileConfigFromDirectory: descends into directories, skips unsupported names, no other filter. */
  private walk(dir: string): string[] {
    return readDir(dir).flatMap((e) => {
      const item = path.join(dir, e.name);
      if (e.isDirectory()) return this.walk(item);
      return isFileSupported(e.name) ? [item] : [];
    });
  }

  /** Start as Traefik does: watches first (when `watch`), then the first load. */
  start(): this {
    if (this.flags.watch)
      for (const item of this.watchItems()) {
        const watcher = fs.watch(item, (_event, name) => {
          if (!this.acceptsEvent(name)) return;
          this.reloads += 1;
          this.loaded = this.load();
        });
        // A watch whose inode is gone is dropped, as inotify drops it; not an error of the provider.
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      }
    this.loaded = this.load();
    return this;
  }

  stop(): void {
    for (const watcher of this.watchers) watcher.close();
  }
}

// The one image catalogue. Every image the platform runs, or that a service starts at run time,
// is listed here by key, pinned by tag; a registry mirror and a digest lock file apply to all.
import * as fs from 'node:fs';
import type { PlatformConfig } from '../environments/schema';

export interface ImageSpec {
  registry: string;
  repository: string;
  tag: string;
  /** Why this image, where the choice is not obvious. */
  note?: string;
}

export const IMAGE_CATALOGUE = {
  postgres: {
    registry: 'docker.io',
    repository: 'imresamu/postgis',
    tag: '17-3.6.1-bundle0-bookworm',
    note: 'PostgreSQL 17 with PostGIS 3.6 and pgvector, built by the docker-postgis maintainer on the official postgres image',
  },
  seaweedfs: { registry: 'docker.io', repository: 'chrislusf/seaweedfs', tag: '4.44' },
  polaris: { registry: 'docker.io', repository: 'apache/polaris', tag: '1.7.0' },
  polarisAdminTool: {
    registry: 'docker.io',
    repository: 'apache/polaris-admin-tool',
    tag: '1.7.0',
    note: 'bootstrap is idempotent from 1.7.0: an already bootstrapped realm is skipped with exit 0',
  },
  awsCli: { registry: 'docker.io', repository: 'amazon/aws-cli', tag: '2.27.49' },
  curl: { registry: 'docker.io', repository: 'curlimages/curl', tag: '8.14.1' },
  traefik: {
    registry: 'docker.io',
    repository: 'library/traefik',
    tag: 'v3.6.24',
    note: 'newest v3.6 patch tagged upstream (2026-07-24); v3.6 is still patched alongside v3.7',
  },
  keycloak: { registry: 'quay.io', repository: 'keycloak/keycloak', tag: '26.4.2' },
  keycloakConfigCli: {
    registry: 'docker.io',
    repository: 'adorsys/keycloak-config-cli',
    tag: '6.4.0-26.1.0',
    note: 'applies the realm file on every deploy (idempotent reconcile), built against the Keycloak 26 admin API',
  },
  opa: { registry: 'docker.io', repository: 'openpolicyagent/opa', tag: '1.10.0-static' },
  oauth2Proxy: { registry: 'quay.io', repository: 'oauth2-proxy/oauth2-proxy', tag: 'v7.14.3' },
  openmetadata: { registry: 'docker.io', repository: 'openmetadata/server', tag: '1.10.4' },
  opensearch: { registry: 'docker.io', repository: 'opensearchproject/opensearch', tag: '2.19.3' },
  lldap: { registry: 'docker.io', repository: 'lldap/lldap', tag: 'v0.6.2-alpine-rootless' },
  k3s: {
    registry: 'docker.io',
    repository: 'rancher/k3s',
    tag: 'v1.31.5-k3s1',
    note: 'the k3d node image; its tag follows k3d.k3sVersion',
  },
} as const satisfies Record<string, ImageSpec>;

export type ImageKey = keyof typeof IMAGE_CATALOGUE;

export const sourceRef = (spec: ImageSpec): string => `${spec.registry}/${spec.repository}:${spec.tag}`;

export interface ImageLock {
  /** Source reference (`registry/repository:tag`) to manifest digest (`sha256:...`). */
  images: Record<string, string>;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function readImageLock(path: string): ImageLock {
  if (!fs.existsSync(path))
    throw new Error(
      `images.lockFile: "${path}" does not exist; images.digestPinning is on, so every image needs a digest. ` +
        'Run `npm run images -- lock --env <env>` where a registry is reachable, or set images.digestPinning to false',
    );
  const lock = JSON.parse(fs.readFileSync(path, 'utf8')) as ImageLock;
  const bad = Object.entries(lock.images ?? {}).filter(([, digest]) => !DIGEST.test(digest));
  if (!lock.images || bad.length)
    throw new Error(
      `images.lockFile: "${path}" is not a lock file: expected { "images": { "<ref>": "sha256:<64 hex>" } }${bad.length ? `; bad entries: ${bad.map(([r]) => r).join(', ')}` : ''}`,
    );
  return lock;
}

/** Resolves catalogue keys to the references pods use in one environment. */
export class ImageResolver {
  private readonly catalogue: Record<string, ImageSpec>;

  constructor(
    private readonly settings: PlatformConfig['images'],
    private readonly lock?: ImageLock,
    overrides: Partial<Record<ImageKey, Partial<ImageSpec>>> = {},
  ) {
    this.catalogue = Object.fromEntries(
      Object.entries(IMAGE_CATALOGUE).map(([key, spec]) => [key, { ...spec, ...overrides[key as ImageKey] }]),
    );
    if (settings.digestPinning) {
      if (!lock) throw new Error('images.digestPinning is on but no lock file was loaded');
      const missing = Object.values(this.catalogue)
        .map(sourceRef)
        .filter((ref) => !lock.images[ref]);
      if (missing.length)
        throw new Error(
          `images.lockFile: no digest for ${missing.join(', ')}; run \`npm run images -- lock\` again after changing the catalogue`,
        );
    }
  }

  spec(key: ImageKey): ImageSpec {
    return this.catalogue[key];
  }

  /** The reference as pulled: mirrored when a mirror is set, with `@sha256:` when pinning. */
  ref(key: ImageKey): string {
    const spec = this.catalogue[key];
    const host = this.settings.registryMirror ?? spec.registry;
    const digest = this.settings.digestPinning ? `@${this.lock!.images[sourceRef(spec)]}` : '';
    return `${host}/${spec.repository}:${spec.tag}${digest}`;
  }

  get pullPolicy(): PlatformConfig['images']['pullPolicy'] {
    return this.settings.pullPolicy;
  }

  /** Every image with its upstream source and the reference used here, for mirroring. */
  list(): { key: ImageKey; source: string; target: string }[] {
    return (Object.keys(this.catalogue) as ImageKey[]).map((key) => ({
      key,
      source: sourceRef(this.catalogue[key]),
      target: this.ref(key),
    }));
  }
}

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
  trino: {
    registry: 'docker.io',
    repository: 'trinodb/trino',
    tag: '483',
    note: 'newest release (2026-07-17) whose settings were verified: native S3 is `fs.s3.enabled` (480 named it `fs.native-s3.enabled`), groups come only from a group provider (480 removed the OAuth2 groups field)',
  },
  curl: { registry: 'docker.io', repository: 'curlimages/curl', tag: '8.14.1' },
  traefik: {
    registry: 'docker.io',
    repository: 'library/traefik',
    tag: 'v3.6.24',
    note: 'newest v3.6 patch tagged upstream (2026-07-24); v3.6 is still patched alongside v3.7',
  },
  keycloak: {
    registry: 'quay.io',
    repository: 'keycloak/keycloak',
    tag: '26.8.1',
    note: 'newest 26.x patch (26.8.0 released 2026-10-01; upgrading/changes-26_8_1.adoc)',
  },
  keycloakConfigCli: {
    registry: 'docker.io',
    repository: 'adorsys/keycloak-config-cli',
    tag: '6.5.1-26.5.5',
    note: 'newest release (2026-05-22), built against the newest Keycloak it publishes (26.5.5); same major as the server, which is all its version check compares, and it ignores unknown fields in server responses since 6.5.0',
  },
  opa: {
    registry: 'docker.io',
    repository: 'openpolicyagent/opa',
    tag: '1.21.1-static',
    note: 'the statically linked build (entrypoint /opa, uid 1000); newest release found upstream (1.21.x)',
  },
  oauth2Proxy: {
    registry: 'quay.io',
    repository: 'oauth2-proxy/oauth2-proxy',
    tag: 'v7.15.5',
    note: 'newest patch (official chart 10.7.1, 2026-10); v7.15.2 fixed critical auth bypasses present up to v7.15.1',
  },
  openmetadata: {
    registry: 'docker.io',
    repository: 'openmetadata/server',
    tag: '1.13.6',
    note: 'newest patch of the 1.13 line (2026-09-11), whose configuration the upstream chart 1.13.1 documents; 2.0.x changes session and LLM configuration',
  },
  opensearch: {
    registry: 'docker.io',
    repository: 'opensearchproject/opensearch',
    tag: '3.3.2',
    note: 'OpenMetadata 1.12+ needs OpenSearch 3.x; 3.3.2 is the version its openmetadata-dependencies chart 1.13.1 ships',
  },
  lldap: {
    registry: 'docker.io',
    repository: 'lldap/lldap',
    tag: 'v0.6.3-alpine-rootless',
    note: 'rootless: runs as the image user lldap (1000); v0.6.3 fixes unbounded memory on crafted LDAP queries',
  },
  spark: {
    registry: 'docker.io',
    repository: 'apache/spark',
    tag: '4.1.2-scala2.13-java21-python3-ubuntu',
    note: 'the newest Spark line Iceberg 1.11 ships a runtime for (4.1, Scala 2.13); Spark Connect is in its distribution (apache/spark-docker versions.json)',
  },
  python: {
    registry: 'docker.io',
    repository: 'library/python',
    tag: '3.12.13-slim-trixie',
    note: "Python 3 on Debian slim: Trino's group sync (standard library only), and dbt Core with the Trino adapter, installed at pinned versions when a run starts (no official image bundles dbt-trino)",
  },
  gitSync: {
    registry: 'registry.k8s.io',
    repository: 'git-sync/git-sync',
    tag: 'v4.7.1',
    note: 'clones a dbt project from git once per run (--one-time)',
  },
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

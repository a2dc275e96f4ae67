// A user's own Pulumi program: only the storage and compute layers (and the edge that serves their
// hosts) on a cluster the organisation already runs, with its identity provider (Keycloak), its
// sign-in proxy (oauth2-proxy) and its OPA outside the platform. The platform reaches them at the
// endpoints given here and opens egress only to their ranges; the OIDC client Secrets of the
// services that sign in (`trino-oidc`, `dbt-oidc`, ...) come from the clients registered in that
// Keycloak (`operatorSecretsOf(build)` lists them).
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ComputeLayer, EdgeLayer, loadPlatformConfig, Platform, StorageLayer } from '../../index';
import type { ExternalServices } from '../../index';

/** The organisation's shared services: base URLs and the address ranges they live in. */
export const ORGANISATION_SERVICES: ExternalServices = {
  keycloak: { url: 'https://sso.corp.example.com', cidrs: ['10.20.0.0/16'] },
  'oauth2-proxy': { url: 'http://sign-in.corp.example.com:4180', cidrs: ['10.20.0.0/16'] },
  opa: { url: 'http://opa.corp.example.com:8181', cidrs: ['10.30.0.0/16'] },
};

export function storageAndCompute(external: ExternalServices = ORGANISATION_SERVICES) {
  const config = loadPlatformConfig({
    environment: 'eks',
    domain: 'data.corp.example.com',
    tls: { mode: 'cert-manager', clusterIssuer: 'corp-issuer' },
    // The realm the organisation's Keycloak holds the platform's roles and clients in.
    governance: { realm: 'corp' },
  });
  const platform = new Platform(config, { external });
  const opts = { provider: new k8s.Provider('existing-cluster', { enableServerSideApply: true }) };
  const storage = new StorageLayer('storage', { platform }, opts);
  // A layer may bring its own slice of the config: here Trino scales between one and four workers.
  const compute = new ComputeLayer(
    'compute',
    {
      platform,
      config: {
        compute: { ...config.compute, trino: { ...config.compute.trino, workers: { ...config.compute.trino.workers, min: 1, max: 4 } } },
      },
    },
    opts,
  );
  const edge = new EdgeLayer('edge', { platform }, opts);
  const build = platform.build();
  return {
    namespaces: [storage.namespace, compute.namespace, edge.namespace],
    secrets: pulumi.output([...storage.secretNames, ...compute.secretNames, ...edge.secretNames]),
    services: build.services.map((s) => s.declaration.name),
  };
}

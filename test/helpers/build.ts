// Shared test helpers: configs per environment, builds, and object lookup.
import { buildModel, PlatformBuild } from '../../components/platform/build';
import { buildPlatform } from '../../stacks/build';
import { LAYER_DEFINITIONS } from '../../stacks/charts';
import { PLACEMENTS } from '../../components/platform/layers';
import type { KubeObject } from '../../components/platform/kube-object';
import type { ServiceDefinition } from '../../components/platform/service';
import { readImageLock } from '../../components/images';
import { operatorSecretsOf } from '../../components/operator-secrets';
import { loadPlatformConfig } from '../../environments/load';
import type { PlatformConfig } from '../../environments/schema';
import * as path from 'node:path';

/** Test data: fake digests, plainly marked as such inside the file. */
export const TEST_LOCK_FILE = path.join(__dirname, '../fixtures/images.lock.test-data.json');

export const ENVIRONMENT_OVERRIDES: Record<string, Record<string, unknown>> = {
  k3d: { environment: 'k3d' },
  eks: { environment: 'eks', domain: 'data.example.com', tls: { mode: 'cert-manager', clusterIssuer: 'letsencrypt' } },
  airgapped: {
    environment: 'airgapped',
    domain: 'data.corp.internal',
    tls: { mode: 'provided', secretName: 'wildcard-tls' },
    images: { registryMirror: 'registry.corp.internal:5000', lockFile: TEST_LOCK_FILE },
    compute: {
      spark: { jars: { repository: 'https://maven.corp.internal/repository/maven-public', cidrs: ['10.0.0.0/8'] } },
      dbt: { packageIndex: { url: 'https://pypi.corp.internal/simple', cidrs: ['10.0.0.0/8'] } },
    },
  },
};

export const ENVIRONMENTS = Object.keys(ENVIRONMENT_OVERRIDES);

export function configFor(environment: string, extra: Record<string, unknown> = {}): PlatformConfig {
  return loadPlatformConfig({ ...ENVIRONMENT_OVERRIDES[environment], ...extra });
}

export function buildFor(environment: string, extra: Record<string, unknown> = {}, definitions?: ServiceDefinition[]): PlatformBuild {
  const config = configFor(environment, extra);
  const lock = config.images.digestPinning ? readImageLock(config.images.lockFile!) : undefined;
  return definitions ? buildModel(config, definitions, { lock }) : buildPlatform(config, { lock });
}

export function objectsOf(build: PlatformBuild, service: string): KubeObject[] {
  const found = build.services.find((s) => s.declaration.name === service);
  if (!found) throw new Error(`service ${service} is not in the build`);
  return found.objects;
}

export function find(objects: KubeObject[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

export function containerOf(workload: any, name: string): any {
  const pod = workload.spec.template.spec;
  const found = [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

export const envValue = (container: any, name: string) => container.env?.find((e: any) => e.name === name);

/** Secrets as the delivery paths create them: names and keys, no values needed to check references. */
export function plannedSecrets(build: PlatformBuild): KubeObject[] {
  const secrets: KubeObject[] = build.services.flatMap((s) =>
    s.secrets.map((plan) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: plan.name, namespace: plan.namespace },
      data: Object.fromEntries(Object.keys(plan.data).map((k) => [k, ''])),
    })),
  );
  if (build.tls?.mode === 'self-signed') {
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: build.tls.secretName, namespace: build.tls.namespace },
      data: { 'tls.crt': '', 'tls.key': '', 'ca.crt': '' },
    });
    if (build.tls.caSecretName)
      secrets.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: build.tls.caSecretName, namespace: build.tls.namespace },
        data: { 'ca.crt': '' },
      });
  }
  return secrets;
}

/** Secrets the user brings, by config. */
export const userSecrets = (build: PlatformBuild) => operatorSecretsOf(build);

/** Every service of every layer, in layer order: for tests that build the platform with a service added or swapped. */
export const SERVICE_DEFINITIONS: ServiceDefinition[] = PLACEMENTS.flatMap((p) => LAYER_DEFINITIONS[p].services);

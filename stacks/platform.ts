// The Pulumi program: validate the stack config, build the model, and register every layer. Stack
// outputs are the public URLs, namespaces, Secret names and, for self-signed TLS, the CA certificate.
import * as path from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { buildPlatform, PlatformBuild } from '../components/platform/build';
import { PLACEMENTS } from '../components/platform/layers';
import { publicHostName } from '../components/platform/routes';
import { readImageLock } from '../components/images';
import { configEntriesToOverrides, loadPlatformConfig } from '../environments/load';
import { PlatformLayer } from './layer';
import { PlatformCredentials } from './secrets';
import { selfSignedCertificate } from './tls';

/** Stack config values arrive as strings; structured ones as JSON. */
function parseConfigValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function stackConfigOverrides(): Record<string, unknown> {
  const entries = Object.entries(pulumi.runtime.allConfig()).map(([key, raw]): [string, unknown] => [key, parseConfigValue(raw)]);
  return configEntriesToOverrides(entries, `stack "${pulumi.getStack()}"`);
}

export interface PlatformOutputs {
  environment: string;
  urls: Record<string, string>;
  namespaces: string[];
  secrets: pulumi.Output<string[]>;
  caCertificate?: pulumi.Output<string>;
}

export function deployPlatform(overrides = stackConfigOverrides()): PlatformOutputs {
  // Every check runs before the first resource is registered: bad config creates nothing.
  const config = loadPlatformConfig(overrides, `stack "${pulumi.getStack()}"`);
  const lock = config.images.digestPinning ? readImageLock(path.resolve(config.images.lockFile!)) : undefined;
  const build: PlatformBuild = buildPlatform(config, { lock });

  const provider = new k8s.Provider('kubernetes', { enableServerSideApply: true });
  const credentials = new PlatformCredentials(build.services.flatMap((s) => s.secrets));
  let caCertificate: pulumi.Output<string> | undefined;
  const layers: PlatformLayer[] = [];
  for (const placement of PLACEMENTS) {
    const services = build.services.filter((s) => s.declaration.layer === placement);
    const namespace = build.namespaces.find((n) => n.placement === placement);
    if (!services.length) continue;
    const extraSecrets: NonNullable<ConstructorParameters<typeof PlatformLayer>[0]['extraSecrets']> = [];
    if (build.tls?.mode === 'self-signed' && namespace?.name === build.tls.namespace) {
      const material = selfSignedCertificate(build.tls, credentials);
      caCertificate = material.caCertificate;
      extraSecrets.push({
        name: build.tls.secretName,
        namespace: build.tls.namespace,
        type: 'kubernetes.io/tls',
        stringData: pulumi.secret(
          pulumi
            .all([material.certificate, material.privateKey, material.caCertificate])
            .apply(([crt, key, ca]) => ({ 'tls.crt': crt, 'tls.key': key, 'ca.crt': ca })),
        ),
      });
      if (build.tls.caSecretName)
        extraSecrets.push({
          name: build.tls.caSecretName,
          namespace: build.tls.namespace,
          type: 'Opaque',
          stringData: { 'ca.crt': material.caCertificate },
        });
    }
    layers.push(
      new PlatformLayer({ placement, namespace, services, credentials, provider, protectStateful: config.protect, extraSecrets }),
    );
  }

  const urls: Record<string, string> = {};
  for (const s of build.services)
    if (s.declaration.publicHost) urls[s.declaration.name] = `https://${publicHostName(s.declaration.publicHost, config.domain)}`;
  return {
    environment: config.environment,
    urls,
    namespaces: build.namespaces.map((n) => n.name),
    secrets: pulumi.output(layers.flatMap((l) => l.secretNames)),
    caCertificate,
  };
}

import { buildPlatform, allObjects } from '../../components/platform/build';
import { loadPlatformConfig } from '../../environments/load';
import { postgresDefinition } from '../../components/storage/postgres';
import { seaweedfsDefinition } from '../../components/storage/seaweedfs';
import { withDefaults, ServiceDefinition } from '../../components/platform/service';
import { checkReferences } from '../../policies/validation/references';
import { validateSchema } from '../../policies/validation/schema';
import { podSecurityLevel, podSpecOf } from '../../policies/pod-security';
import { resolveSecretData, randomIds } from '../../components/platform/secrets';
import * as fs from 'fs';
const stub = (name: string, layer: any, extra: any = {}): ServiceDefinition => ({ name, enabled: () => true, declare: () => withDefaults({ name, layer, description: 's', images: [], ports: [{ name: 'http', port: 8080 }], resources: {}, ...extra }), build: () => {} });
test.each([
  ['k3d', { environment: 'k3d' }],
  ['eks', { environment: 'eks', domain: 'data.example.com', tls: { mode: 'cert-manager', clusterIssuer: 'letsencrypt' } }],
  ['airgapped', { environment: 'airgapped', domain: 'data.corp.internal', tls: { mode: 'provided', secretName: 'wildcard-tls' }, images: { registryMirror: 'registry.corp.internal:5000', digestPinning: false, pullPolicy: 'IfNotPresent' } }],
  ['ext', { environment: 'eks', domain: 'data.example.com', tls: { mode: 'cert-manager', clusterIssuer: 'letsencrypt' }, objectStorage: { mode: 'external', endpoint: 'https://s3.eu-central-1.amazonaws.com', region: 'eu-central-1', pathStyle: false, credentialsSecret: 's3-admin', cidrs: ['0.0.0.0/0'] } }],
])('%s', (name, o) => {
  const b = buildPlatform(loadPlatformConfig(o as any), { definitions: [postgresDefinition('platform'), postgresDefinition('warehouse'), seaweedfsDefinition, stub('traefik', 'edge'), stub('demo-consumer', 'compute', { buckets: [{ name: 'warehouse', access: 'readwrite' }] })] });
  const objs = allObjects(b);
  const plans = b.services.flatMap((s) => s.secrets);
  const values: Record<string, string> = {};
  for (const p of plans) for (const r of randomIds(p)) values[r.id] = 'V' + r.id.replace(/\W/g, '');
  const secrets = plans.map((p) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: p.name, namespace: p.namespace }, data: Object.fromEntries(Object.entries(resolveSecretData(p, values)).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) }));
  const sc = b.config.storageClasses;
  const ext = name === 'ext' ? [{ namespace: 'platform-storage', name: 's3-admin' }] : [];
  console.log(name, JSON.stringify(checkReferences([...objs, ...secrets] as any, { storageClasses: [sc.standard, sc.fast], externalSecrets: ext }), null, 1));
  console.log(name, JSON.stringify(validateSchema(objs as any).slice(0, 10), null, 1));
  for (const o of objs) { const p = podSpecOf(o as any); if (p) console.log(o.metadata.name, podSecurityLevel(p)); }
  fs.writeFileSync(`/tmp/sw/${name}.json`, JSON.stringify(b.services.find((s) => s.declaration.name === 'seaweedfs'), null, 1));
  fs.writeFileSync(`/tmp/sw/${name}-secrets.json`, JSON.stringify(secrets.map(s => ({...s, data: Object.fromEntries(Object.entries(s.data).map(([k,v]) => [k, Buffer.from(v,'base64').toString()]))})), null, 1));
});

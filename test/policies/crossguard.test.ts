// The rules through the CrossGuard path: the pack's validation functions called with arguments
// shaped as the engine builds them (type tokens, inputs with secrets wrapped, pack config).
import { Secret } from '@pulumi/policy';
import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXEMPTED_FINDINGS_POLICY, kubeObjectOf, packPolicies, unwrapSecrets } from '../../policies/crossguard';
import { validateResource, validateStack } from './crossguard-harness';
import { EXEMPTION_PREFIX, EXEMPTION_RULE_ID } from '../../policies/engine';
import { RULES } from '../../policies/registry';

const policies = packPolicies();
const resourcePolicy = (name: string) => policies.find((p) => p.name === name) as ResourceValidationPolicy;
const stackPolicy = (name: string) => policies.find((p) => p.name === name) as StackValidationPolicy;

const hostNetworkPod = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'apps', annotations },
  spec: { hostNetwork: true, containers: [{ name: 'web', image: 'docker.io/library/nginx:1.27' }] },
});

describe('the CrossGuard pack', () => {
  it('has one policy per rule, plus the exemption policies, with unique names', () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining([...RULES.map((r) => r.id), EXEMPTED_FINDINGS_POLICY, EXEMPTION_RULE_ID]));
  });

  it('reports a violation on a typed Kubernetes resource as the engine passes it', () => {
    expect(validateResource(resourcePolicy('pss-host-namespaces'), 'kubernetes:core/v1:Pod', hostNetworkPod())).toEqual([
      'spec.hostNetwork is true',
    ]);
  });

  it('ignores resources that are not Kubernetes objects', () => {
    expect(validateResource(resourcePolicy('pss-host-namespaces'), 'random:index/randomPassword:RandomPassword', { length: 32 })).toEqual(
      [],
    );
  });

  it('derives kind and apiVersion from the type token when inputs omit them', () => {
    expect(kubeObjectOf('kubernetes:apps/v1:Deployment', { metadata: { name: 'a' } })).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
    });
    expect(kubeObjectOf('kubernetes:core/v1:Secret', { metadata: { name: 'a' } })).toMatchObject({ apiVersion: 'v1', kind: 'Secret' });
    expect(kubeObjectOf('kubernetes:cert-manager.io/v1:Certificate', { metadata: { name: 'a' } })).toMatchObject({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
    });
  });

  it('unwraps secret values, both as the SDK Secret and in their serialized form', () => {
    const wrapped = {
      stringData: {
        password: new Secret('s3cret'),
        other: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'x' },
      },
    };
    expect(unwrapSecrets(wrapped)).toEqual({ stringData: { password: 's3cret', other: 'x' } });
  });

  it('sees through secret-wrapped fields when judging an object', () => {
    const pod = hostNetworkPod();
    const props = { ...pod, spec: { ...pod.spec, hostNetwork: new Secret(true) } };
    expect(validateResource(resourcePolicy('pss-host-namespaces'), 'kubernetes:core/v1:Pod', props)).toEqual(['spec.hostNetwork is true']);
  });

  it('moves an exempted finding to the advisory exempted-findings policy, with its reason', () => {
    const pod = hostNetworkPod({ [`${EXEMPTION_PREFIX}pss-host-namespaces`]: 'node exporter reads host interfaces' });
    expect(validateResource(resourcePolicy('pss-host-namespaces'), 'kubernetes:core/v1:Pod', pod)).toEqual([]);
    const exempted = validateStack(stackPolicy(EXEMPTED_FINDINGS_POLICY), [{ type: 'kubernetes:core/v1:Pod', props: pod }]);
    expect(exempted.map((e) => e.message)).toEqual([
      'pss-host-namespaces on v1 Pod apps/web: spec.hostNetwork is true (exempted: node exporter reads host interfaces)',
    ]);
    expect(stackPolicy(EXEMPTED_FINDINGS_POLICY).enforcementLevel).toBe('advisory');
  });

  it('makes an exemption without a reason a mandatory violation', () => {
    const pod = hostNetworkPod({ [`${EXEMPTION_PREFIX}pss-host-namespaces`]: ' ' });
    const found = validateStack(stackPolicy(EXEMPTION_RULE_ID), [{ type: 'kubernetes:core/v1:Pod', props: pod }]);
    expect(found.map((f) => f.message)).toEqual([expect.stringMatching(/exemption from "pss-host-namespaces" gives no reason/)]);
    expect(found[0].urn).toMatch(/^urn:pulumi:/);
    expect(validateResource(resourcePolicy('pss-host-namespaces'), 'kubernetes:core/v1:Pod', pod)).toEqual(['spec.hostNetwork is true']);
  });

  it('keeps the entry file one line and the pack config per environment current', () => {
    const root = path.join(__dirname, '../../policies');
    expect(fs.readFileSync(path.join(root, 'index.ts'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(fs.readFileSync(path.join(root, 'PulumiPolicy.yaml'), 'utf8')).toMatch(/^runtime: nodejs$/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const rootPkg = JSON.parse(fs.readFileSync(path.join(root, '../package.json'), 'utf8'));
    for (const [name, version] of Object.entries(pkg.dependencies))
      expect({ name, version }).toEqual({ name, version: rootPkg.dependencies[name] });
  });
});

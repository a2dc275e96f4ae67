// `check` on a partial set: references to objects the cluster or an operator may provide are
// advisory, saying why; with --complete (the platform's render) they are mandatory. Everything else
// a set names stays mandatory either way.
import * as path from 'node:path';
import type { KubeObject } from '../../components/platform/kube-object';
import { checkObjects, loadObjects } from '../../policies/check';
import { evaluate } from '../../policies/engine';
import { ruleById } from '../../policies/registry';
import { PROVIDED_OUTSIDE } from '../../policies/validation/references';
import { configFor } from '../helpers/build';
import { FIXTURE_CONTEXTS } from './fixture-contexts';

const FIXTURES = path.join(__dirname, '../fixtures/policies/references');
const config = configFor('k3d');
const references = (complete: boolean, file = 'pass.partial.cluster-provided.yaml') =>
  checkObjects(loadObjects([path.join(FIXTURES, file)]), config, { complete }).violations.filter((v) => v.rule === 'references');

/** The kind each provided-object finding is about, from its message ("IngressClass \"nginx\" not found"). */
const kindOf = (message: string) => /(\w+) "[^"]+" (?:not found|is not available)/.exec(message)?.[1];

describe('check of a partial set', () => {
  it('reports each missing cluster-provided object as advisory, low, saying why and how to make it mandatory', () => {
    const found = references(false);
    expect(new Set(found.map((v) => kindOf(v.message)))).toEqual(new Set(Object.keys(PROVIDED_OUTSIDE)));
    for (const v of found) {
      expect(v).toEqual(expect.objectContaining({ enforcement: 'advisory', severity: 'low' }));
      expect(v.message).toMatch(/\(advisory: no \w+ of that name is among these manifests, .*--complete makes it mandatory\)$/);
    }
  });

  it('makes the same references mandatory with --complete, with the plain message', () => {
    const found = references(true);
    expect(new Set(found.map((v) => kindOf(v.message)))).toEqual(new Set(Object.keys(PROVIDED_OUTSIDE)));
    for (const v of found) {
      expect(v).toEqual(expect.objectContaining({ enforcement: 'mandatory', severity: 'high' }));
      expect(v.message).not.toContain('advisory');
    }
  });

  it('keeps references to objects written with the workload mandatory: ConfigMaps, ServiceAccounts, keys of a Secret that is there', () => {
    for (const file of [
      'fail.partial.configmap-missing.yaml',
      'fail.partial.replication-controller.yaml',
      'fail.partial.secret-key-missing.yaml',
    ])
      expect(references(false, file).filter((v) => v.enforcement === 'mandatory').length).toBeGreaterThan(0);
  });

  it('accepts the built-in PriorityClasses and checks others', () => {
    const pod = (priorityClassName: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'kube-system' },
      spec: { priorityClassName, containers: [{ name: 'web', image: 'nginx:1.27' }] },
    });
    const found = (name: string) =>
      checkObjects([pod(name)], config, { complete: true })
        .violations.filter((v) => v.rule === 'references')
        .map((v) => v.message);
    expect(found('system-node-critical')).toEqual([]);
    expect(found('batch-low')).toEqual(['spec.priorityClassName: PriorityClass "batch-low" not found']);
  });
});

describe('rule findings about objects provided outside the set', () => {
  // A Secret among the objects makes pod-references-exist judge Secret references.
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'apps' }, stringData: { a: 'b' } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', envFrom: [{ secretRef: { name: 'made-elsewhere' } }] }] },
    },
  ];
  const rule = ruleById('pod-references-exist');

  it('are mandatory when the set is complete (a Pulumi stack, the platform render)', () => {
    const [v] = evaluate(objects, [rule], FIXTURE_CONTEXTS.k3d).violations;
    expect(v).toEqual(expect.objectContaining({ enforcement: 'mandatory', severity: 'high' }));
    expect(v.message).toBe('container "web" envFrom[0]: Secret "made-elsewhere" not found in namespace "apps"');
  });

  it('are advisory and low in a partial set, saying why', () => {
    const [v] = evaluate(objects, [rule], { ...FIXTURE_CONTEXTS.k3d, partial: true }).violations;
    expect(v).toEqual(expect.objectContaining({ enforcement: 'advisory', severity: 'low' }));
    expect(v.message).toMatch(/^container "web" envFrom\[0\]: Secret "made-elsewhere" not found in namespace "apps" \(advisory: /);
  });

  it('through check: the missing Secret fails only with --complete', () => {
    const mandatory = (complete: boolean) =>
      checkObjects(objects, config, { complete }).violations.filter(
        (v) => v.enforcement === 'mandatory' && v.message.includes('made-elsewhere'),
      );
    expect(mandatory(false)).toEqual([]);
    expect(
      mandatory(true)
        .map((v) => v.rule)
        .sort(),
    ).toEqual(['pod-references-exist', 'references']);
  });
});

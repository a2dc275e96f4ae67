import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENTS } from '../../environments/schema';
import { coverage } from '../../policies/coverage';
import { packConfigText, policiesReference } from '../../policies/reference';
import { RULES } from '../../policies/registry';
import { loadEnvironment } from '../../render/render-environment';

const ROOT = path.join(__dirname, '../..');

describe('the rule registry', () => {
  it('gives every rule a unique kebab-case id and complete metadata', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(ENVIRONMENTS.map((e) => rule.enforcement[e])).not.toContain(undefined);
    }
  });

  it('covers all 17 Pod Security Standards controls', () => {
    expect(coverage(RULES).pss.missing).toEqual([]);
  });

  it('covers every kube-linter default check', () => {
    expect(coverage(RULES).kubeLinterDefaults.missing).toEqual([]);
  });

  it('covers all 18 Polaris danger checks', () => {
    expect(coverage(RULES).polarisDanger.missing).toEqual([]);
  });

  it('covers at least 60 of the 75 deduplicated controls', () => {
    expect(coverage(RULES).crosswalk.covered.length).toBeGreaterThanOrEqual(60);
  });

  it('has a current docs/policies.md and pack configs (run `npm run docs` when this fails)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs/policies.md'), 'utf8')).toBe(policiesReference());
    for (const env of ENVIRONMENTS)
      expect(fs.readFileSync(path.join(ROOT, `policies/config/${env}.json`), 'utf8')).toBe(
        packConfigText(loadEnvironment(env, path.join(ROOT, `Pulumi.${env}.yaml`))),
      );
  });
});

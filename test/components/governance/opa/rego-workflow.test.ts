// The users' GitHub workflow runs the Rego unit tests in OPA itself, the version the platform
// deploys, over the data they are written against (CI here runs them in regocheck: rego-engine.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGE_CATALOGUE } from '../../../../components/images';

const ROOT = path.join(__dirname, '../../../..');
const workflow = fs.readFileSync(path.join(ROOT, '.github/workflows/platform.yml'), 'utf8');

describe('the Rego tests in CI', () => {
  it('set up OPA with the official action, pinned, at the version of the deployed OPA image', () => {
    const deployed = IMAGE_CATALOGUE.opa.tag.replace(/-static$/, '');
    const setups = [...workflow.matchAll(/uses: open-policy-agent\/setup-opa@(\S+)\n\s+with:\n\s+version: (\S+)/g)];
    expect(setups.length).toBeGreaterThanOrEqual(2);
    for (const [, action, version] of setups) expect([action, version]).toEqual([expect.stringMatching(/^v\d+\.\d+\.\d+$/), deployed]);
  });

  it('run opa test on the policies with the access model they are written against', () => {
    expect(workflow).toContain('run: opa test components/governance/opa/rego test/fixtures/opa-decisions/access-model.json -v');
    expect(fs.existsSync(path.join(ROOT, 'test/fixtures/opa-decisions/access-model.json'))).toBe(true);
  });
});

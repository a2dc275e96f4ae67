// Every environment's full render is clean: no mandatory finding, from the rules and from `check`
// as CI runs it (schema and references too, with --complete: the render is the whole deployment).
// Advisory findings and exemptions are listed with their reasons in the test output.
import { allObjects } from '../../components/platform/build';
import { checkObjects } from '../../policies/check';
import { policyContextFor } from '../../policies/context';
import { evaluate, mandatoryViolations } from '../../policies/engine';
import { RULES } from '../../policies/registry';
import { buildFor, ENVIRONMENTS, plannedSecrets } from '../helpers/build';

describe.each(ENVIRONMENTS)('the %s render against every rule', (environment) => {
  const build = buildFor(environment);
  const report = evaluate([...allObjects(build), ...plannedSecrets(build)], RULES, policyContextFor(build.config));

  it('has no mandatory finding', () => {
    expect(mandatoryViolations(report).map((v) => `${v.rule} ${v.object}: ${v.message}`)).toEqual([]);
  });

  it('passes check --complete: schema, references (cluster-provided ones mandatory) and every rule', () => {
    const checked = checkObjects([...allObjects(build), ...plannedSecrets(build)], build.config, { complete: true });
    expect(mandatoryViolations(checked).map((v) => `${v.rule} ${v.object}: ${v.message}`)).toEqual([]);
  });

  it('lists its advisory findings and exemptions', () => {
    const advisory = report.violations.filter((v) => v.enforcement === 'advisory');
    console.info(
      `${environment}: ${advisory.length} advisory findings\n` +
        advisory.map((v) => `  ${v.rule} ${v.object}: ${v.message}${v.exemption ? ` [exempted: ${v.exemption}]` : ''}`).join('\n'),
    );
    for (const v of advisory.filter((x) => x.exemption)) expect(v.exemption!.length).toBeGreaterThan(10);
  });
});

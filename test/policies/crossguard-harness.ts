// Calls the pack's validation functions with arguments shaped as the engine builds them.
import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import type { PackConfig } from '../../policies/crossguard';

export function validateResource(
  policy: ResourceValidationPolicy,
  type: string,
  props: Record<string, any>,
  config: PackConfig = { environment: 'eks' },
): string[] {
  const found: string[] = [];
  const args = {
    type,
    props,
    urn: `urn:pulumi:eks::analytics-platform::${type}::x`,
    name: 'x',
    opts: {},
    stackTags: new Map(),
    getConfig: () => config,
    isType: () => false,
    asType: () => undefined,
    notApplicable: () => {
      throw new Error('n/a');
    },
  };
  (policy.validateResource as any)(args, (message: string) => found.push(message));
  return found;
}

export function validateStack(
  policy: StackValidationPolicy,
  resources: { type: string; props: Record<string, any> }[],
  config: PackConfig = { environment: 'eks' },
): { message: string; urn?: string }[] {
  const found: { message: string; urn?: string }[] = [];
  const args = {
    resources: resources.map((r, i) => ({
      ...r,
      urn: `urn:pulumi:eks::analytics-platform::${r.type}::r${i}`,
      name: `r${i}`,
      opts: {},
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    })),
    stackTags: new Map(),
    getConfig: () => config,
    notApplicable: () => {
      throw new Error('n/a');
    },
  };
  (policy.validateStack as any)(args, (message: string, urn?: string) => found.push({ message, urn }));
  return found;
}

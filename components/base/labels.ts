import type { BuildContext } from '../platform/context';
import type { ServiceDeclaration } from '../platform/service';

export const PART_OF = 'analytics-platform';

/** Readable, stable names: the service itself for its main component, `<service>-<component>` otherwise. */
export const objectName = (service: string, component: string): string => (component === 'server' ? service : `${service}-${component}`);

export function selectorLabels(decl: ServiceDeclaration, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': decl.name, 'app.kubernetes.io/component': component };
}

export function standardLabels(ctx: BuildContext, decl: ServiceDeclaration, component: string, version?: string): Record<string, string> {
  return {
    ...selectorLabels(decl, component),
    'app.kubernetes.io/instance': ctx.config.prefix,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': PART_OF,
    ...(version ? { 'app.kubernetes.io/version': version.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 63) } : {}),
  };
}

// A policy rule: a pure function over one Kubernetes object (or over the whole set, for rules that
// relate objects), with the metadata that says what it covers and how hard it is enforced where.
import type { EnvironmentName } from '../../environments/schema';
import type { KubeObject } from '../../components/platform/kube-object';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Enforcement = 'mandatory' | 'advisory' | 'disabled';
export type Category =
  'pod-security' | 'workload' | 'images' | 'resources' | 'reliability' | 'network' | 'rbac' | 'references' | 'secrets' | 'metadata';

/** The public controls a rule covers, by catalogue (ids as each catalogue spells them). */
export interface Controls {
  /** Pod Security Standards controls, e.g. "baseline/host-namespaces", "restricted/volume-types". */
  pss?: string[];
  kubeLinter?: string[];
  polaris?: string[];
  kyverno?: string[];
  checkov?: string[];
  cis?: string[];
  /** Rows of the deduplicated crosswalk in reference/policy-controls.md (C.7). */
  crosswalk: number[];
}

/** What a rule may know about the environment it judges. */
export interface PolicyContext {
  environment: EnvironmentName;
  /** Registries images may come from (the mirror where one is set). Empty: any. */
  allowedRegistries: string[];
  digestPinning: boolean;
  /** The pull policy images must use (pre-loaded images on k3d and airgapped). */
  pullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  allowInternetEgress: boolean;
  /** Secrets the operator provides outside the objects judged (a provided TLS certificate). */
  externalSecrets: { namespace: string; name: string; keys?: string[] }[];
  /**
   * The objects are part of a deployment, not all of it (`check` without --complete): a finding about
   * a missing object that may be provided outside the set (StackFinding.provided) is advisory.
   * Unset: the objects are the whole deployment (a Pulumi stack, the platform's render).
   */
  partial?: boolean;
}

export interface RuleMetadata {
  /** Stable, kebab-case; used in exemption annotations. */
  id: string;
  title: string;
  /** Why the rule exists: what goes wrong without it. */
  rationale: string;
  severity: Severity;
  category: Category;
  controls: Controls;
  enforcement: Record<EnvironmentName, Enforcement>;
}

export interface ObjectRule extends RuleMetadata {
  scope: 'object';
  /** Problems with one object, each a sentence naming what is wrong and where. */
  check(object: KubeObject, ctx: PolicyContext): string[];
}

export interface StackFinding {
  object: KubeObject;
  message: string;
  /**
   * Set when the finding is that an object of this kind is missing and the cluster or an operator
   * may provide it outside the set (validation/references.ts PROVIDED_OUTSIDE): advisory in a partial set.
   */
  provided?: string;
}

export interface StackRule extends RuleMetadata {
  scope: 'stack';
  check(objects: KubeObject[], ctx: PolicyContext): StackFinding[];
}

export type Rule = ObjectRule | StackRule;

/** Enforcement shorthands. */
export const everywhere = (level: Enforcement): Record<EnvironmentName, Enforcement> => ({ k3d: level, eks: level, airgapped: level });
export const mandatory = everywhere('mandatory');
export const advisory = everywhere('advisory');

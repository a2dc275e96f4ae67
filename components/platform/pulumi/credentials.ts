// Pulumi's side of the secret plan: one RandomPassword per random id, kept secret in state, and
// each planned Secret built from them. Values exist only in Pulumi state and in the cluster.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { randomIds, resolveSecretData, SecretPlan } from '../secrets';

/** Holds the generated passwords, so that services in different layers can share one. */
export class PlatformCredentials extends pulumi.ComponentResource {
  private readonly passwords = new Map<string, random.RandomPassword>();

  constructor(plans: SecretPlan[], opts?: pulumi.ComponentResourceOptions) {
    super('analytics-platform:platform:Credentials', 'credentials', {}, opts);
    for (const plan of plans)
      for (const { id, length } of randomIds(plan)) {
        if (this.passwords.has(id)) continue;
        // Letters and digits only: these end up in URLs, JDBC strings and config files.
        this.passwords.set(id, new random.RandomPassword(id, { length, special: false }, { parent: this }));
      }
    this.registerOutputs({});
  }

  /** The Secret object's stringData for a plan, as a secret Output. */
  data(plan: SecretPlan): pulumi.Output<Record<string, string>> {
    const ids = [
      ...new Set(
        randomIds(plan)
          .map((r) => r.id)
          .concat(templateIds(plan)),
      ),
    ];
    const values = ids.map((id) => {
      const password = this.passwords.get(id);
      if (!password) throw new Error(`secret ${plan.namespace}/${plan.name}: no generated value for "${id}"`);
      return password.result;
    });
    return pulumi.secret(
      pulumi.all(values).apply((resolved) => resolveSecretData(plan, Object.fromEntries(ids.map((id, i) => [id, resolved[i]])))),
    );
  }
}

function templateIds(plan: SecretPlan): string[] {
  return Object.values(plan.data).flatMap((source) => (source.kind === 'template' ? source.ids : []));
}

export function secretObject(plan: SecretPlan, credentials: PlatformCredentials): k8s.core.v1.SecretArgs {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: plan.name,
      namespace: plan.namespace,
      labels: { 'app.kubernetes.io/part-of': 'analytics-platform', 'app.kubernetes.io/managed-by': 'analytics-platform' },
    },
    type: plan.type ?? 'Opaque',
    stringData: credentials.data(plan),
  };
}

// RBAC: what Roles and ClusterRoles grant, and to whom their bindings grant it (crosswalk rows 62-68).
// Rules about a permission report twice: on the role that grants it (the place to narrow it or to
// justify it with an exemption) and on every binding that hands it to subjects, so a new binding to
// an exempted role is still seen. Bindings resolve to the built-in user-facing ClusterRoles by their
// built-in meaning (whatever a same-named ClusterRole among the objects says), else to roles among
// the objects; a binding to a role that is neither (system:*) is not judged.
import type { KubeObject } from '../../components/platform/kube-object';
import { namespaceOf, selects, type LabelSelector } from './relations';
import { mandatory, type ObjectRule, type Rule, type StackFinding, type StackRule } from './types';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** A rule with where it comes from, for messages ("rules[2]", "rules[0] of aggregated ClusterRole x"). */
interface SourcedRule {
  rule: PolicyRule;
  where: string;
}

/** A kind of access: any of these verbs on any of these resources in any of these API groups. */
interface Access {
  groups: string[];
  resources: string[];
  verbs: string[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = ['get', 'list', 'watch'];

// RBAC resource matching: exact, "*", or "*/sub" (a subresource of any resource); a wanted "x/*" matches every subresource of x.
function resourceMatches(granted: string, wanted: string): boolean {
  if (granted === '*' || granted === wanted) return true;
  if (wanted.endsWith('/*')) return granted.startsWith(wanted.slice(0, -1));
  const sub = wanted.split('/')[1];
  return sub !== undefined && granted === `*/${sub}`;
}

/** The part of `rule` that grants `access`: "get, list on secrets", or undefined. */
function grantOf(rule: PolicyRule, access: Access): string | undefined {
  if (!(rule.apiGroups ?? []).some((g) => g === '*' || access.groups.includes(g))) return undefined;
  const resources = (rule.resources ?? []).filter((r) => access.resources.some((w) => resourceMatches(r, w)));
  const verbs = (rule.verbs ?? []).filter((v) => v === '*' || access.verbs.includes(v));
  if (!resources.length || !verbs.length) return undefined;
  const names = rule.resourceNames?.length ? ` (resourceNames ${rule.resourceNames.join(', ')})` : '';
  return `${verbs.join(', ')} on ${resources.join(', ')}${names}`;
}

/** Every grant of any of the accesses, once each, as "rules[1] grants get, list on secrets". */
const grantsOf =
  (...accesses: Access[]) =>
  (rules: SourcedRule[]): string[] => [
    ...new Set(
      rules.flatMap(({ rule, where }) =>
        accesses.flatMap((access) => {
          const grant = grantOf(rule, access);
          return grant ? [`${where} grants ${grant}`] : [];
        }),
      ),
    ),
  ];

/**
 * The built-in user-facing ClusterRoles, as far as these rules care: summarised from the Kubernetes
 * bootstrap policy (kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles): edit
 * reads and writes Secrets, runs pods as any ServiceAccount of the namespace (impersonate) and execs
 * into them; admin adds Roles and RoleBindings; view reads neither Secrets nor RBAC.
 */
const EDIT: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/attach',
      'pods/exec',
      'pods/portforward',
      'pods/proxy',
      'secrets',
      'configmaps',
      'services',
      'serviceaccounts',
      'replicationcontrollers',
    ],
    verbs: [...READ, ...WRITE],
  },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: [...READ, ...WRITE] },
];
const BUILTIN_CLUSTER_ROLES: Record<string, PolicyRule[]> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  admin: [...EDIT, { apiGroups: [RBAC_GROUP], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] }],
  edit: EDIT,
  view: [
    { apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'configmaps', 'services', 'deployments', 'statefulsets', 'jobs'], verbs: READ },
  ],
};

const rulesOf = (role: KubeObject): PolicyRule[] => (Array.isArray(role.rules) ? (role.rules as PolicyRule[]) : []);
const isRole = (o: KubeObject) => o.kind === 'Role' || o.kind === 'ClusterRole';
const isBinding = (o: KubeObject) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding';

/** A role's own rules and, for an aggregated ClusterRole, those of the ClusterRoles it selects. */
function effectiveRules(role: KubeObject, objects: KubeObject[]): SourcedRule[] {
  const own = rulesOf(role).map((rule, i) => ({ rule, where: `rules[${i}]` }));
  const selectors = ((role.aggregationRule as { clusterRoleSelectors?: LabelSelector[] } | undefined)?.clusterRoleSelectors ?? []).filter(
    (s) => Object.keys(s.matchLabels ?? {}).length || (s.matchExpressions ?? []).length,
  );
  if (role.kind !== 'ClusterRole' || !selectors.length) return own;
  const aggregated = objects.filter((o) => o !== role && o.kind === 'ClusterRole' && selectors.some((s) => selects(s, o.metadata.labels)));
  return [
    ...own,
    ...aggregated.flatMap((o) =>
      rulesOf(o).map((rule, i) => ({ rule, where: `rules[${i}] of aggregated ClusterRole "${o.metadata.name}"` })),
    ),
  ];
}

interface RoleRef {
  kind?: string;
  name?: string;
}

/**
 * The ClusterRoles whose rules the API server aggregates into a built-in one: those labelled
 * rbac.authorization.k8s.io/aggregate-to-<name>, and for admin and edit the next role down (the
 * built-in edit carries aggregate-to-admin, view carries aggregate-to-edit).
 */
const AGGREGATES_INTO: Record<string, string[]> = { admin: ['admin', 'edit', 'view'], edit: ['edit', 'view'], view: ['view'] };

function aggregatedInto(name: string, objects: KubeObject[]): SourcedRule[] {
  const labels = (AGGREGATES_INTO[name] ?? []).map((n) => `${RBAC_GROUP}/aggregate-to-${n}`);
  return objects
    .filter((o) => o.kind === 'ClusterRole' && labels.some((l) => o.metadata.labels?.[l] === 'true'))
    .flatMap((o) => rulesOf(o).map((rule, i) => ({ rule, where: `rules[${i}] of ClusterRole "${o.metadata.name}", aggregated into it` })));
}

/**
 * The role a binding refers to: its label and rules, or undefined when it is not known here.
 * A ClusterRole ref to a built-in user-facing role (cluster-admin, admin, edit, view) is always judged
 * as the built-in, with what objects here aggregate into it: a same-named ClusterRole among the
 * objects does not replace it (the API server reconciles its bootstrap roles back at every start).
 */
function resolve(binding: KubeObject, objects: KubeObject[]): { label: string; rules: SourcedRule[] } | undefined {
  const ref = (binding.roleRef as RoleRef | undefined) ?? {};
  const ns = namespaceOf(binding);
  const builtin = ref.kind === 'ClusterRole' && ref.name && Object.hasOwn(BUILTIN_CLUSTER_ROLES, ref.name) ? ref.name : undefined;
  if (builtin) {
    const shadowed = objects.some((o) => o.kind === 'ClusterRole' && o.metadata.name === builtin);
    return {
      label: `built-in ClusterRole "${builtin}"${shadowed ? ` (the ClusterRole "${builtin}" among the objects does not replace it)` : ''}`,
      rules: [...BUILTIN_CLUSTER_ROLES[builtin].map((rule, i) => ({ rule, where: `rules[${i}]` })), ...aggregatedInto(builtin, objects)],
    };
  }
  const found = objects.find(
    (o) =>
      o.kind === ref.kind &&
      o.metadata.name === ref.name &&
      (ref.kind === 'ClusterRole' || (binding.kind === 'RoleBinding' && namespaceOf(o) === ns)),
  );
  if (found) return { label: `${found.kind} "${found.metadata.name}"`, rules: effectiveRules(found, objects) };
  return undefined;
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

function subjectsOf(binding: KubeObject): string {
  const subjects = (binding.subjects as Subject[] | undefined) ?? [];
  if (!subjects.length) return 'no subject';
  return subjects
    .map((s) => {
      const ns = s.kind === 'ServiceAccount' ? (s.namespace ?? namespaceOf(binding)) : undefined;
      return `${s.kind} ${ns ? `${ns}/` : ''}${s.name}`;
    })
    .join(', ');
}

type Metadata = Omit<StackRule, 'scope' | 'check'>;

/**
 * A rule over a kind of permission: each Role/ClusterRole granting it is reported, and each binding
 * that grants it to subjects (including through built-in ClusterRoles, which are not among the objects).
 */
function permissionRule(meta: Metadata, find: (rules: SourcedRule[]) => string[]): StackRule {
  return {
    ...meta,
    scope: 'stack',
    check(objects) {
      const findings: StackFinding[] = [];
      for (const role of objects.filter(isRole))
        for (const grant of find(effectiveRules(role, objects))) findings.push({ object: role, message: grant });
      for (const binding of objects.filter(isBinding)) {
        const role = resolve(binding, objects);
        if (!role) continue;
        for (const grant of find(role.rules))
          findings.push({ object: binding, message: `binds ${subjectsOf(binding)} to ${role.label}, whose ${grant}` });
      }
      return findings;
    },
  };
}

/** Every verb on every resource of every group: the cluster-admin shape (verbs "*" or all seven). */
function isAdminRule(rule: PolicyRule): boolean {
  const verbs = rule.verbs ?? [];
  const allVerbs = verbs.includes('*') || ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'].every((v) => verbs.includes(v));
  return (rule.apiGroups ?? []).includes('*') && (rule.resources ?? []).includes('*') && allVerbs;
}

const clusterAdminBinding: StackRule = {
  id: 'rbac-no-cluster-admin-binding',
  scope: 'stack',
  title: 'No binding grants cluster-admin or an equivalent all-powerful role',
  rationale:
    'A subject bound to cluster-admin (or to a role granting every verb on every resource) owns the cluster: one leaked token of it is a full compromise. Services get roles naming exactly what they use. ' +
    'A binding to the ClusterRole cluster-admin (likewise admin, edit, view, in every RBAC rule) is judged as the built-in role, whatever a same-named ClusterRole among the objects says: the API server keeps and reconciles its own.',
  severity: 'critical',
  category: 'rbac',
  controls: {
    kubeLinter: ['cluster-admin-role-binding'],
    polaris: ['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole'],
    crosswalk: [62],
  },
  enforcement: mandatory,
  check(objects) {
    return objects.filter(isBinding).flatMap((binding) => {
      const role = resolve(binding, objects);
      const admin = role?.rules.find(({ rule }) => isAdminRule(rule));
      return role && admin
        ? [
            {
              object: binding,
              message: `binds ${subjectsOf(binding)} to ${role.label}, whose ${admin.where} grants every verb on every resource`,
            },
          ]
        : [];
    });
  },
};

const noWildcards: ObjectRule = {
  id: 'rbac-no-wildcards',
  scope: 'object',
  title: 'Roles name their API groups, resources and verbs: no wildcards',
  rationale:
    'A wildcard grants whatever the API server serves, including resources and verbs added later by upgrades or CRDs: access grows without anyone deciding it.',
  severity: 'high',
  category: 'rbac',
  controls: { kubeLinter: ['wildcard-in-rules'], checkov: ['CKV_K8S_49'], crosswalk: [63] },
  enforcement: mandatory,
  check(object) {
    if (!isRole(object)) return [];
    return rulesOf(object).flatMap((rule, i) =>
      (['apiGroups', 'resources', 'verbs'] as const).flatMap((field) =>
        (rule[field] ?? []).filter((v) => v.includes('*')).map((v) => `rules[${i}].${field} contains the wildcard "${v}"`),
      ),
    );
  },
};

const secretsAccess = permissionRule(
  {
    id: 'rbac-secrets-access',
    title: 'Roles do not grant access to Secrets',
    rationale:
      'Reading Secrets reads every credential they hold (database passwords, S3 keys, TLS keys, ServiceAccount tokens), so it is an escalation to every identity in reach. A component that must read them (an ingress controller loading TLS certificates) carries an exemption saying why, on its role and on its binding.',
    severity: 'high',
    category: 'rbac',
    controls: { kubeLinter: ['access-to-secrets'], checkov: ['CKV2_K8S_5'], crosswalk: [64] },
    enforcement: mandatory,
  },
  grantsOf({ groups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] }),
);

const podCreate = permissionRule(
  {
    id: 'rbac-pod-create',
    title: 'Roles do not grant creating pods or pod controllers',
    rationale:
      'Whoever creates a pod chooses its ServiceAccount, volumes and image, so it gains every Secret and identity of the namespace. Components that launch pods by design (notebook spawners, Airflow and Spark executors) carry an exemption saying why.',
    severity: 'high',
    category: 'rbac',
    controls: { kubeLinter: ['access-to-create-pods'], crosswalk: [65] },
    enforcement: mandatory,
  },
  grantsOf(
    { groups: [''], resources: ['pods', 'replicationcontrollers'], verbs: ['create'] },
    { groups: ['apps', 'extensions'], resources: ['deployments', 'statefulsets', 'replicasets', 'daemonsets'], verbs: ['create'] },
    { groups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['create'] },
  ),
);

const podExecAttach = permissionRule(
  {
    id: 'rbac-pod-exec-attach',
    title: 'Roles do not grant exec or attach into pods, or the kubelet proxy',
    rationale:
      'pods/exec and pods/attach (opened with get or create) run commands inside other workloads with their identity and data; nodes/proxy reaches the kubelet API, which does the same on any pod of the node.',
    severity: 'high',
    category: 'rbac',
    controls: {
      polaris: [
        'clusterrolePodExecAttach',
        'rolePodExecAttach',
        'clusterrolebindingPodExecAttach',
        'rolebindingClusterRolePodExecAttach',
        'rolebindingRolePodExecAttach',
      ],
      checkov: ['CKV2_K8S_2'],
      crosswalk: [65],
    },
    enforcement: mandatory,
  },
  grantsOf({ groups: [''], resources: ['pods/exec', 'pods/attach', 'nodes/proxy'], verbs: ['get', 'create'] }),
);

const impersonate = permissionRule(
  {
    id: 'rbac-impersonate',
    title: 'Roles do not grant impersonation',
    rationale: 'The impersonate verb lets a subject act as any user, group or ServiceAccount it names, with all of their rights.',
    severity: 'critical',
    category: 'rbac',
    controls: { checkov: ['CKV2_K8S_3'], crosswalk: [66] },
    enforcement: mandatory,
  },
  grantsOf({
    groups: ['', 'authentication.k8s.io'],
    resources: ['users', 'groups', 'serviceaccounts', 'uids', 'userextras/*'],
    verbs: ['impersonate'],
  }),
);

const bindEscalate = permissionRule(
  {
    id: 'rbac-bind-escalate',
    title: 'Roles do not grant the bind or escalate verbs',
    rationale:
      'The API server stops a subject from granting rights it does not hold, unless it may "bind" roles (grant any role it can name) or "escalate" them (add any rule to a role it can edit): both are a path to cluster-admin.',
    severity: 'critical',
    category: 'rbac',
    controls: { checkov: ['CKV_K8S_157', 'CKV_K8S_158', 'CKV2_K8S_1'], crosswalk: [67] },
    enforcement: mandatory,
  },
  grantsOf(
    { groups: [RBAC_GROUP], resources: ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'], verbs: ['bind'] },
    { groups: [RBAC_GROUP], resources: ['roles', 'clusterroles'], verbs: ['escalate'] },
  ),
);

const WEBHOOKS: Access = {
  groups: ['admissionregistration.k8s.io'],
  resources: [
    'mutatingwebhookconfigurations',
    'validatingwebhookconfigurations',
    'validatingadmissionpolicies',
    'validatingadmissionpolicybindings',
    'mutatingadmissionpolicies',
    'mutatingadmissionpolicybindings',
  ],
  verbs: WRITE,
};
const CSR_APPROVAL: Access = {
  groups: ['certificates.k8s.io'],
  resources: ['certificatesigningrequests/approval'],
  verbs: ['update', 'patch'],
};
const SIGNER_APPROVE: Access = { groups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] };
const SERVICE_STATUS: Access = { groups: [''], resources: ['services/status'], verbs: ['update', 'patch'] };

const clusterControl = permissionRule(
  {
    id: 'rbac-cluster-control',
    title: 'Roles do not control admission webhooks, approve certificate requests or write Service status',
    rationale:
      'Writing admission webhook configurations or policies switches off or rewrites every admission check; approving CertificateSigningRequests mints client certificates for any identity; writing services/status sets load-balancer IPs that intercept cluster traffic (CVE-2020-8554).',
    severity: 'high',
    category: 'rbac',
    controls: { checkov: ['CKV_K8S_155', 'CKV_K8S_156', 'CKV2_K8S_4'], crosswalk: [68] },
    enforcement: mandatory,
  },
  (rules) => {
    // Approving a CSR takes both the approval subresource and the signer's approve verb.
    const approval = grantsOf(CSR_APPROVAL)(rules);
    const signer = grantsOf(SIGNER_APPROVE)(rules);
    const csr =
      approval.length && signer.length ? [`${[...approval, ...signer].join('; ')} (together: approving CertificateSigningRequests)`] : [];
    return [...grantsOf(WEBHOOKS)(rules), ...csr, ...grantsOf(SERVICE_STATUS)(rules)];
  },
);

export const rbacRules: Rule[] = [
  clusterAdminBinding,
  noWildcards,
  secretsAccess,
  podCreate,
  podExecAttach,
  impersonate,
  bindEscalate,
  clusterControl,
];

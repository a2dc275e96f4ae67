// dbt's stack config: when it runs, which project, where dbt itself is installed from, what it targets.
import { z } from 'zod';
import { endpointCidrs, Issue, refineExternalSource } from '../spark/schema';

const objectName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes object name: lowercase letters, digits and "-"')
  .max(63);
const sqlName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lowercase letters, digits and "_"');

const project = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('sample') }).describe('The bundled sample project: seeds in `raw`, staging models, marts in `curated`.'),
  z.strictObject({
    mode: z.literal('git'),
    url: z
      .url({ protocol: /^https$/ })
      // Credentials in the URL would land in the clone container's arguments: they go in credentialsSecret.
      // The error shows the URL with them redacted.
      .superRefine((u, ctx) => {
        if (/^https:\/\/[^/]*@/.test(u))
          ctx.addIssue({
            code: 'custom',
            input: u.replace(/^https:\/\/[^/]*@/, 'https://***@'),
            message: 'a URL without credentials; put them in credentialsSecret',
          });
      })
      .describe('`git`: the repository, cloned over HTTPS at each run.'),
    ref: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/, 'a branch, tag or commit')
      .describe('`git`: the branch, tag or commit to run; a tag or commit makes runs reproducible.'),
    path: z
      .string()
      .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a relative directory such as "transform" or "."')
      .refine((p) => !p.split('/').includes('..'), 'may not leave the repository')
      .describe('`git`: the directory holding dbt_project.yml, relative to the repository root.'),
    credentialsSecret: objectName
      .optional()
      .describe('`git`: a Secret (compute namespace) with keys `username` and `password` (an access token) for a private repository.'),
    cidrs: endpointCidrs.describe('`git`: egress from the dbt pods is opened only to these ranges, on the URL port, for the clone.'),
  }),
]);

const packageIndex = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .describe(
      'The Python package index (PEP 503 "simple" API) dbt Core and the Trino adapter are installed from, at pinned ' +
        'versions, when a run starts: no official image bundles the Trino adapter. PyPI by default; without internet ' +
        'access (then required), an internal mirror (devpi, Nexus, Artifactory) serving them and their dependencies.',
    ),
  cidrs: endpointCidrs.describe('Egress from the dbt pods is opened only to these ranges, on the index URL port.'),
});

export const dbtSchema = z.strictObject({
  schedule: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'five cron fields such as "0 2 * * *"')
    .describe(
      'The CronJob schedule of the run, in cron syntax, in UTC. Run it now with `kubectl create job --from=cronjob/dbt-build <name>`.',
    ),
  project: project.describe('Where the dbt project comes from: the bundled sample or a git repository.'),
  packageIndex: packageIndex.describe('Where dbt is installed from at each run.'),
  target: z
    .strictObject({
      catalog: sqlName.describe('The Trino catalog models are built in (the Iceberg catalog on Polaris).'),
      schema: sqlName.describe('The default schema of models that name none.'),
      threads: z.number().int().min(1).max(32).describe('Models dbt builds at once.'),
    })
    .describe('The dbt target on Trino.'),
});
export type DbtConfig = z.infer<typeof dbtSchema>;

const PYPI_HOSTS = ['pypi.org', 'files.pythonhosted.org'];
const PUBLIC_GIT_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org'];

/** Contradictions with the rest of the stack (paths relative to `compute.dbt`). */
export function refineDbt(dbt: DbtConfig | undefined, stack: { allowInternet?: boolean }, issue: Issue): void {
  if (!dbt || stack.allowInternet !== false) return;
  if (dbt.packageIndex)
    refineExternalSource(
      dbt.packageIndex,
      'package index',
      PYPI_HOSTS,
      { url: ['packageIndex', 'url'], cidrs: ['packageIndex', 'cidrs'] },
      issue,
    );
  if (dbt.project?.mode === 'git')
    refineExternalSource(dbt.project, 'git host', PUBLIC_GIT_HOSTS, { url: ['project', 'url'], cidrs: ['project', 'cidrs'] }, issue);
}

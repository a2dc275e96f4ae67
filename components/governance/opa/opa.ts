// OPA: the policy decision point Trino's OPA access control and the NL-to-SQL assistant ask
// (decision paths in ./contract OPA_DECISIONS). The Rego in ./rego and the access model compiled
// from config (./access-model) are two ConfigMaps, loaded as files when OPA starts; a checksum of
// both on the pod template rolls the pods when either changes. Every decision is logged to stdout;
// health and Prometheus metrics are on the diagnostic address, apart from the decision API.
// Internal only: no public host; clients declare an edge to its `http` port.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { contentChecksum, platformConfigMap, platformDeployment, platformService } from '../../base/workload';
import type { BuildContext } from '../../platform/context';
import { ComponentSizing, ServiceDeclaration, ServiceDefinition, Sized, withDefaults } from '../../platform/service';
import { ACCESS_DATA_FILE, ACCESS_DATA_PATH, compileAccessModel, renderAccessData } from './access-model';
import { OPA_PORTS, OPA_SERVICE } from '../contract';

/** Published OPA images run as uid:gid 1000:1000 since v0.50.0 (OPA CHANGELOG, "OPA Published Images Update"). */
const OPA_USER = { uid: 1000, gid: 1000 };
const POLICY_DIR = '/policies';
const DATA_DIR = '/data';
const REGO_SOURCES = path.join(__dirname, 'rego');
export const CHECKSUM_ANNOTATION = 'checksum/opa-policies-and-data';

/**
 * Data stays small (one document) and every decision is a few set lookups: lean everywhere, replicas
 * for availability. OPA documents no minimum; it holds policies and data in memory, so memory
 * follows their size (openpolicyagent.org/docs/policy-performance, "Resource Utilization").
 */
const SERVER_SIZING: Sized<ComponentSizing> = {
  small: { replicas: 1, cpu: '50m', memory: '96Mi', cpuLimit: '500m', memoryLimit: '192Mi' },
  medium: { replicas: 2, cpu: '100m', memory: '128Mi', cpuLimit: '1', memoryLimit: '256Mi' },
  large: { replicas: 3, cpu: '250m', memory: '256Mi', cpuLimit: '2', memoryLimit: '512Mi' },
};

function declare(): ServiceDeclaration {
  return withDefaults({
    name: OPA_SERVICE,
    layer: 'governance',
    description: 'Open Policy Agent: access decisions, row filters and column masks for Trino; the assistant gate (internal only)',
    images: ['opa'],
    ports: [
      { ...OPA_PORTS.http, http: true },
      { ...OPA_PORTS.diagnostics, http: true },
    ],
    metrics: { port: OPA_PORTS.diagnostics.name, path: '/metrics' },
    resources: { server: SERVER_SIZING },
  });
}

/** The policy modules, by file name, as shipped beside this file; their unit tests (`*_test.rego`) stay out of the server. */
export function regoModules(): Record<string, string> {
  const names = fs
    .readdirSync(REGO_SOURCES)
    .filter((f) => f.endsWith('.rego') && !f.endsWith('_test.rego'))
    .sort();
  return Object.fromEntries(names.map((name) => [name, fs.readFileSync(path.join(REGO_SOURCES, name), 'utf8')]));
}

/**
 * `opa run` loads the named files, not the mounted directories: a ConfigMap volume also holds a
 * hidden timestamped directory with the same files, which a directory load would read again. The data
 * file's `<dotted-path>:` prefix puts it at data.access_model ("Non-bundle data file and directory
 * paths can be prefixed with the desired destination in the data document", `opa run --help`).
 */
export function opaArgs(modules: string[]): string[] {
  return [
    'run',
    '--server',
    // OPA 1.x listens on localhost:8181 unless told otherwise.
    `--addr=:${OPA_PORTS.http.port}`,
    // /health and /metrics only (`--diagnostic-addr`: "read-only diagnostic listening address ... for /health and /metric APIs").
    `--diagnostic-addr=:${OPA_PORTS.diagnostics.port}`,
    // Only the decisions of the contract, health and metrics: policies and data are read-only (rego/system.authz.rego).
    '--authorization=basic',
    '--log-format=json',
    '--log-level=info',
    // Every decision (input, path, result) as a JSON line on stdout, for the log pipeline.
    '--set=decision_logs.console=true',
    // No release check against api.github.com (https://www.openpolicyagent.org/docs/privacy; named so since OPA PR #8191).
    '--skip-version-check',
    // Keep answering while the endpoints controller removes a terminating pod, so Trino sees no refused decisions.
    '--shutdown-wait-period=5',
    ...modules.map((name) => `${POLICY_DIR}/${name}`),
    `${ACCESS_DATA_PATH}:${DATA_DIR}/${ACCESS_DATA_FILE}`,
  ];
}

const checksum = (files: Record<string, string>): string => contentChecksum(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));

function build(scope: Construct, ctx: BuildContext, self: ServiceDeclaration): void {
  const modules = regoModules();
  const data = { [ACCESS_DATA_FILE]: renderAccessData(compileAccessModel(ctx.config)) };
  const policies = platformConfigMap(scope, ctx, self, 'server', 'policies', modules);
  const dataMap = platformConfigMap(scope, ctx, self, 'server', 'data', data);
  const diagnostics = OPA_PORTS.diagnostics.name;
  platformService(scope, ctx, self, { component: 'server', ports: [OPA_PORTS.http.name, diagnostics] });
  platformDeployment(scope, ctx, self, {
    component: 'server',
    user: OPA_USER,
    // OPA reads its files only at start.
    annotations: { [CHECKSUM_ANNOTATION]: checksum({ ...modules, ...data }) },
    containers: [
      {
        name: 'opa',
        image: 'opa',
        args: opaArgs(Object.keys(modules)),
        ports: [OPA_PORTS.http.name, diagnostics],
        volumeMounts: [
          { name: 'policies', mountPath: POLICY_DIR, readOnly: true },
          { name: 'data', mountPath: DATA_DIR, readOnly: true },
        ],
        // Policies and data are loaded before the server listens: up means ready to decide.
        readiness: { http: { path: '/health', port: diagnostics }, periodSeconds: 5 },
        liveness: { http: { path: '/health', port: diagnostics }, periodSeconds: 20, failureThreshold: 3 },
      },
    ],
    volumes: [
      { name: 'policies', configMap: { name: policies.name } },
      { name: 'data', configMap: { name: dataMap.name } },
    ],
  });
}

export const opaDefinition: ServiceDefinition = {
  name: OPA_SERVICE,
  enabled: () => true,
  declare,
  build,
};

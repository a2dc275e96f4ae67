// Probe rules: long-running containers say when they are alive and when they are ready, and the
// probes point at ports the container actually declares.
import { mandatory, type ObjectRule } from './types';
import { perContainer, type Container } from './workload';

const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

const livenessAndReadiness: ObjectRule = {
  id: 'liveness-and-readiness-probes',
  scope: 'object',
  title: 'Long-running containers have liveness and readiness probes',
  rationale:
    'Without a readiness probe a Service sends traffic to a pod that is still starting or has lost its backend; without a liveness probe a deadlocked process is never restarted. ' +
    'Jobs, CronJobs and init containers run to completion and are not judged.',
  severity: 'medium',
  category: 'reliability',
  controls: {
    kubeLinter: ['no-liveness-probe', 'no-readiness-probe'],
    polaris: ['livenessProbeMissing', 'readinessProbeMissing'],
    kyverno: ['require-probes'],
    checkov: ['CKV_K8S_8', 'CKV_K8S_9'],
    crosswalk: [35, 36],
  },
  enforcement: mandatory,
  check(object) {
    if (RUN_TO_COMPLETION.has(object.kind)) return [];
    return perContainer(
      object,
      (c) => {
        const gaps = [...(c.livenessProbe ? [] : ['livenessProbe']), ...(c.readinessProbe ? [] : ['readinessProbe'])];
        return gaps.length ? `no ${gaps.join(' and no ')}` : undefined;
      },
      false,
    ).filter((m) => !m.startsWith('ephemeral'));
  },
};

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** The port a probe targets, with how it is addressed (httpGet/tcpSocket/grpc). */
function probeTarget(probe: Record<string, any> | undefined): { via: string; port: number | string } | undefined {
  if (probe?.httpGet?.port !== undefined) return { via: 'httpGet', port: probe.httpGet.port };
  if (probe?.tcpSocket?.port !== undefined) return { via: 'tcpSocket', port: probe.tcpSocket.port };
  if (probe?.grpc?.port !== undefined) return { via: 'grpc', port: probe.grpc.port };
  return undefined;
}

function undeclaredProbePorts(c: Container): string | undefined {
  const tcp = ((c.ports ?? []) as Record<string, any>[]).filter((p) => !p.protocol || p.protocol === 'TCP');
  const problems = PROBES.flatMap((kind) => {
    const target = probeTarget(c[kind]);
    if (!target) return [];
    const declared = tcp.some((p) => (typeof target.port === 'number' ? p.containerPort === target.port : p.name === target.port));
    return declared ? [] : [`${kind} ${target.via} port ${JSON.stringify(target.port)} is not a declared TCP containerPort`];
  });
  return problems.length ? problems.join('; ') : undefined;
}

const probePortsExposed: ObjectRule = {
  id: 'probe-ports-exposed',
  scope: 'object',
  title: 'Probes target ports the container declares',
  rationale:
    'A probe aimed at a port the container does not declare usually means the port was renamed or moved: the probe then fails forever (restart loop, never ready) or, for a named port, the pod is rejected.',
  severity: 'medium',
  category: 'reliability',
  controls: { kubeLinter: ['liveness-port', 'readiness-port', 'startup-port'], crosswalk: [37] },
  enforcement: mandatory,
  check: (object) => perContainer(object, undeclaredProbePorts, false),
};

export const probeRules: ObjectRule[] = [livenessAndReadiness, probePortsExposed];

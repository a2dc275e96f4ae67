// The workers' preStop hook: ask the local Trino to shut down gracefully, then hold the hook until
// the Trino process exits, so the kubelet's SIGTERM comes only after the worker drained (or the
// termination grace period ends). Bash built-ins only (/dev/tcp, printf, read, kill): the image
// has bash (run-trino is a bash script) but need not carry curl or coreutils.

export interface DrainHook {
  /** Trino's plain HTTP port on the pod. */
  port: number;
  /** The management user, allowed to shut the worker down (trino/config.ts, workerRules). */
  user: string;
  /** The Trino process to wait for: PID 1 of the container. */
  pid?: number;
  /** Where failures are written: the container's stderr, so they reach its log. */
  log?: string;
}

/** How long the hook waits for Trino's answer, and how often it checks whether Trino exited. */
const ANSWER_SECONDS = 30;
const POLL_SECONDS = 5;

/**
 * admin/graceful-shutdown.html: `PUT /v1/info/state` with the JSON string "SHUTTING_DOWN" as a user
 * the access control lets write system information. Any answer but 200 (or none) is logged and
 * ends the hook at once, as a failed request would: the worker is then stopped without draining.
 */
export function drainScript({ port, user, pid = 1, log = '/proc/1/fd/2' }: DrainHook): string {
  if (!/^[-._a-zA-Z0-9]+$/.test(user)) throw new Error(`trino drain hook: user "${user}" must be a plain name`);
  const request = [
    'PUT /v1/info/state HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    `X-Trino-User: ${user}`,
    'Content-Type: application/json',
    'Content-Length: %s',
    'Connection: close',
    '',
    '%s',
  ].join('\\r\\n');
  return [
    'set -u',
    `log() { printf 'trino drain: %s\\n' "$*" >${log}; }`,
    `if ! { exec 3<>/dev/tcp/127.0.0.1/${port}; } 2>/dev/null; then`,
    `  log 'cannot connect to Trino on port ${port}'`,
    '  exit 1',
    'fi',
    `body='"SHUTTING_DOWN"'`,
    `printf '${request}' "\${#body}" "$body" >&3`,
    `status=''`,
    `read -r -t ${ANSWER_SECONDS} status <&3 || true`,
    'exec 3<&-',
    `status=\${status%$'\\r'}`,
    'case $status in',
    `  'HTTP/1.'[01]' 200' | 'HTTP/1.'[01]' 200 '*) ;;`,
    `  *) log "shutdown request refused: \${status:-no answer}"; exit 1 ;;`,
    'esac',
    // A pipe we hold both ends of never has data nor ends: `read -t` on it is a sleep.
    'exec 4<> <(:)',
    `while kill -0 ${pid} 2>/dev/null; do read -r -t ${POLL_SECONDS} -u 4 _ || true; done`,
    '',
  ].join('\n');
}

// What a service's build sees: the validated config, images, sizing, the other services'
// declarations, and the registries it adds secrets and TLS needs to. Another service's address is
// only had through `connect`, which needs the edge: an address in a config file always has a
// network rule behind it.
import type { PlatformConfig } from '../../environments/schema';
import type { ImageResolver } from '../images';
import { effectiveEdges, ExternalServices } from './graph';
import { namespaceName } from './layers';
import type { SecretPlan } from './secrets';
import type { TlsPlan } from './tls';
import type { ComponentSizing, PortDecl, ServiceDeclaration } from './service';

/** Where a service's port is reached: in-cluster DNS or an external endpoint. */
export interface Address {
  host: string;
  port: number;
  /** `<scheme>://<host>:<port>`; an external endpoint's configured URL as given (its scheme and path). */
  url(scheme?: string): string;
}

/** A service used through an address that declares no edge to it. */
export class UndeclaredConnectionError extends Error {
  constructor(from: string, to: string, port: string) {
    super(
      `service "${from}" uses the address of "${to}" (port "${port}") but declares no edge to it: ` +
        `add { to: '${to}', port: '${port}' } to the edges of "${from}"`,
    );
    this.name = 'UndeclaredConnectionError';
  }
}

export class BuildContext {
  readonly secrets: SecretPlan[] = [];
  /** Set by the edge service: how the platform certificate is obtained. */
  tls?: TlsPlan;
  /** Every connection whose address a build asked for: `from>to:port`. */
  readonly connections = new Set<string>();

  constructor(
    readonly config: PlatformConfig,
    readonly images: ImageResolver,
    readonly services: ServiceDeclaration[],
    /** Services this platform does not run, reached at an endpoint outside it. */
    readonly external: ExternalServices = {},
  ) {}

  namespaceOf(service: string): string {
    return namespaceName(this.config.prefix, this.declaration(service).layer);
  }

  declaration(service: string): ServiceDeclaration {
    const decl = this.services.find((s) => s.name === service);
    if (!decl) throw new Error(`service "${service}" is not enabled in this environment`);
    return decl;
  }

  /** Whether the platform runs the service or reaches it outside. */
  reaches(service: string): boolean {
    return this.services.some((s) => s.name === service) || service in this.external;
  }

  port(service: string, portName: string): PortDecl {
    const port = this.declaration(service).ports.find((p) => p.name === portName);
    if (!port) throw new Error(`service "${service}" declares no port "${portName}"`);
    return port;
  }

  /**
   * The address `from` uses to reach `to` on its port `portName`: the Service named after `to` in
   * its namespace, or `to`'s external endpoint. Needs an edge (declared or implied) from `from` to
   * that port; a service reaches its own ports without one. The use is recorded.
   */
  connect(from: string, to: string, portName: string): Address {
    if (from !== to) {
      const edges = effectiveEdges(this.declaration(from), this.config, this.services, this.external);
      if (!edges.some((e) => e.to === to && e.port === portName)) throw new UndeclaredConnectionError(from, to, portName);
      this.connections.add(`${from}>${to}:${portName}`);
    }
    const outside = this.external[to];
    if (outside && !this.services.some((s) => s.name === to)) {
      const url = new URL(outside.url);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      return { host: url.hostname, port, url: () => outside.url.replace(/\/+$/, '') };
    }
    const host = this.ownHost(to, to);
    const port = this.port(to, portName).port;
    return { host, port, url: (scheme = 'http') => `${scheme}://${host}:${port}` };
  }

  /** The in-cluster DNS name of one of a service's own objects: a Service (`name`) or a pod behind a headless one (`pod.name`). */
  ownHost(service: string, ...labels: string[]): string {
    return `${labels.join('.')}.${this.namespaceOf(service)}.svc.cluster.local`;
  }

  /** The names a service's own Service answers to in the cluster: every form clients use, fully qualified first. */
  serviceDnsNames(service: string): string[] {
    const ns = this.namespaceOf(service);
    return [this.ownHost(service, service), `${service}.${ns}.svc`, `${service}.${ns}`, service];
  }

  sizing(service: string, component: string): ComponentSizing {
    const sized = this.declaration(service).resources[component];
    if (!sized) throw new Error(`service "${service}" declares no resources for component "${component}"`);
    return sized[this.config.sizing];
  }

  addSecret(plan: SecretPlan): void {
    if (this.secrets.some((s) => s.name === plan.name && s.namespace === plan.namespace))
      throw new Error(`secret ${plan.namespace}/${plan.name} is planned twice`);
    this.secrets.push(plan);
  }
}

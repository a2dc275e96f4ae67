// What a service's build sees: the validated config, images, sizing, the other services'
// declarations, and the registries it adds secrets and TLS needs to.
import type { PlatformConfig } from '../../environments/schema';
import type { ImageResolver } from '../images';
import { namespaceName } from './layers';
import type { SecretPlan } from './secrets';
import type { TlsPlan } from './tls';
import type { ComponentSizing, PortDecl, ServiceDeclaration } from './service';

export interface Endpoint {
  host: string;
  port: number;
}

export class BuildContext {
  readonly secrets: SecretPlan[] = [];
  /** Set by the edge service: how the platform certificate is obtained. */
  tls?: TlsPlan;

  constructor(
    readonly config: PlatformConfig,
    readonly images: ImageResolver,
    readonly services: ServiceDeclaration[],
  ) {}

  namespaceOf(service: string): string {
    return namespaceName(this.config.prefix, this.declaration(service).layer);
  }

  declaration(service: string): ServiceDeclaration {
    const decl = this.services.find((s) => s.name === service);
    if (!decl) throw new Error(`service "${service}" is not enabled in this environment`);
    return decl;
  }

  port(service: string, portName: string): PortDecl {
    const port = this.declaration(service).ports.find((p) => p.name === portName);
    if (!port) throw new Error(`service "${service}" declares no port "${portName}"`);
    return port;
  }

  /** The in-cluster address of a service's port: the Service named after it in its namespace. */
  endpoint(service: string, portName: string): Endpoint {
    return { host: `${service}.${this.namespaceOf(service)}.svc.cluster.local`, port: this.port(service, portName).port };
  }

  url(service: string, portName: string, scheme = 'http'): string {
    const { host, port } = this.endpoint(service, portName);
    return `${scheme}://${host}:${port}`;
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

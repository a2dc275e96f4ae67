// A service declared once, as typed data. Everything that connects services (network rules,
// routes, credentials, buckets, databases, sizing) is derived from these declarations.
import type { Construct } from 'constructs';
import { PLATFORM_ROLES, PlatformRole } from '../governance/schema';
import type { SizingProfile } from '../../environments/schema';
import type { ImageKey } from '../images';
import type { Placement } from './layers';
import type { BuildContext } from './context';

/** How users sign in at the service's public host. */
export type SignIn = 'native-oidc' | 'forward-auth' | 'none';

export interface PortDecl {
  name: string;
  port: number;
  /** Served over HTTP (probes, routes, scrape) rather than a binary protocol. */
  http?: boolean;
  /** Only this component serves the port to other services; the service's other pods take it from their own kind only. */
  servedBy?: string;
}

/** "This service opens connections to `to` on its port `port`." Undeclared connections are denied. */
export interface EdgeDecl {
  to: string;
  port: string;
  /** A connection to a service of another layer that may be off: made when it is enabled, dropped (no error) when not. */
  ifEnabled?: boolean;
}

export interface PublicHostDecl {
  /** The functional name: the host is `<name>.<domain>`. */
  name: string;
  port: string;
  signIn: SignIn;
  /** `forward-auth`: who may pass the edge (oauth2-proxy allowed groups); every role when absent. */
  allowedRoles?: PlatformRole[];
  /** `native-oidc`: the paths on the host the identity provider may redirect back to (the app's callback). */
  redirectPaths?: string[];
}

export interface MetricsDecl {
  port: string;
  path: string;
}

export type PostgresInstanceName = 'platform' | 'warehouse';

/** A database the service uses; the storage layer creates it and a role for the service alone. */
export interface DatabaseDecl {
  instance: PostgresInstanceName;
  database: string;
  /** `owner`: the service's role owns the database; `read`: SELECT on every table in it. */
  access: 'owner' | 'read';
  extensions?: string[];
}

/** A bucket the service uses; the storage layer creates it and an S3 identity scoped to it. */
export interface BucketDecl {
  name: string;
  access: 'read' | 'readwrite';
}

export interface ComponentSizing {
  replicas: number;
  cpu: string;
  memory: string;
  /** Defaults to four times the request. */
  cpuLimit?: string;
  /** Defaults to the request: memory is not compressible. */
  memoryLimit?: string;
}

export type Sized<T> = Record<SizingProfile, T>;

export interface VolumeDecl {
  size: string;
  storageClass: 'standard' | 'fast';
}

export interface ServiceDeclaration {
  name: string;
  layer: Placement;
  description: string;
  images: ImageKey[];
  ports: PortDecl[];
  edges: EdgeDecl[];
  publicHost?: PublicHostDecl;
  metrics?: MetricsDecl;
  /** Per component (`server`, `bootstrap`, ...), per sizing profile. */
  resources: Record<string, Sized<ComponentSizing>>;
  /** Persistent volumes per component. */
  storage: Record<string, VolumeDecl>;
  databases: DatabaseDecl[];
  buckets: BucketDecl[];
  /**
   * The service acts as itself against other services (OAuth2 client credentials): the identity
   * provider gives its client a service account holding these platform roles and, for services that
   * read the directory, these realm-management roles (`view-users`, `query-groups`, ...).
   */
  serviceAccount?: {
    roles: PlatformRole[];
    realmManagement: string[];
    /** The lifespan of its access tokens when one token must outlive the realm's default (a batch run). */
    accessTokenSeconds?: number;
  };
  /** Pods that call the Kubernetes API (ingress controllers, spawners): all of them, or only these components. */
  watchesApiServer?: boolean | string[];
  /** Endpoints outside the cluster the service must reach, opened only as allowed by egress config. */
  externalEndpoints: { cidrs: string[]; ports: number[] }[];
}

/** A service's definition: when it is on, what it declares, and how its objects are built. */
export interface ServiceDefinition {
  name: string;
  enabled: (ctx: Pick<BuildContext, 'config'>) => boolean;
  declare: (ctx: Pick<BuildContext, 'config'>) => ServiceDeclaration;
  build: (scope: Construct, ctx: BuildContext, self: ServiceDeclaration) => void;
}

export function withDefaults(
  decl: Omit<ServiceDeclaration, 'edges' | 'storage' | 'databases' | 'buckets' | 'externalEndpoints'> &
    Partial<Pick<ServiceDeclaration, 'edges' | 'storage' | 'databases' | 'buckets' | 'externalEndpoints'>>,
): ServiceDeclaration {
  return { edges: [], storage: {}, databases: [], buckets: [], externalEndpoints: [], ...decl };
}

/** Who may pass a host's sign-in: the roles it names, or every platform role. */
export const allowedRolesOf = (host: PublicHostDecl): PlatformRole[] => host.allowedRoles ?? [...PLATFORM_ROLES];

// How other layers meet the edge: the service that terminates TLS for every public host and the
// ports its public Service exposes. Public hosts themselves are declared by each service
// (`publicHost`) and routed by the platform (platform/routes.ts); nothing else of the edge is shared.
import { EDGE_SERVICE } from '../platform/graph';

export const TRAEFIK_SERVICE = EDGE_SERVICE;
/** The public Service's ports, each named after the entrypoint it maps to. */
export const TRAEFIK_PUBLIC_PORTS = { web: { name: 'web', port: 80 }, websecure: { name: 'websecure', port: 443 } } as const;

// The platform object: the shared model (validated config, image resolver, services reached
// outside) that layers register into. Once every layer is in, `build()` declares the services,
// checks the graph and derives the cross-layer wiring (network policies at both ends, routes and
// TLS, OIDC clients, credentials), then hands each layer its objects in the style it was made in.
import { z } from 'zod';
import { cidr } from '../../environments/fields';
import { formatIssue } from '../../environments/issues';
import type { PlatformConfig } from '../../environments/schema';
import type { ImageLock } from '../images';
import { buildModel, BuiltNamespace, BuiltService, PlatformBuild } from './build';
import type { ExternalServices } from './graph';
import { Placement, PLACEMENTS } from './layers';
import type { ServiceDefinition } from './service';

/** A layer: its placement (namespace), its slice of the stack config, and its services in build order. */
export interface LayerDefinition<S extends z.ZodObject = z.ZodObject> {
  placement: Placement;
  /** The layer's keys of the stack config, validated when a layer is given its own. */
  schema: S;
  services: ServiceDefinition[];
}

/** What every layer class takes, in both styles: the platform it joins and, optionally, its own config slice. */
export interface LayerProps<C> {
  platform: Platform;
  /** Replaces the platform config's keys of this layer; the platform config's own when absent. */
  config?: C;
}

/** The objects of one layer, handed to the layer class that registered it. */
export interface BuiltLayer {
  placement: Placement;
  namespace?: BuiltNamespace;
  services: BuiltService[];
  build: PlatformBuild;
}

export interface PlatformOptions {
  lock?: ImageLock;
  /** Services this platform does not run, reached outside it: `{ opa: { url, cidrs } }`. */
  external?: ExternalServices;
}

const externalSchema = z.record(
  z.string().regex(/^[a-z][-a-z0-9]*$/, 'a service name'),
  z.strictObject({
    url: z.url({ protocol: /^https?$/ }),
    cidrs: z.array(cidr).min(1),
  }),
);

export class PlatformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformError';
  }
}

export class Platform {
  private current: PlatformConfig;
  private readonly layers: { definition: LayerDefinition; onBuilt: (layer: BuiltLayer) => void }[] = [];
  private built?: PlatformBuild;
  readonly external: ExternalServices;

  constructor(
    config: PlatformConfig,
    private readonly options: PlatformOptions = {},
  ) {
    this.current = config;
    const external = z.strictObject({ external: externalSchema }).safeParse({ external: options.external ?? {} }, { reportInput: true });
    if (!external.success) throw new PlatformError(`external services: ${external.error.issues.map(formatIssue).join('; ')}`);
    this.external = external.data.external;
  }

  get config(): PlatformConfig {
    return this.current;
  }

  /** The placements registered so far, in data-flow order. */
  get placements(): Placement[] {
    return PLACEMENTS.filter((p) => this.layers.some((l) => l.definition.placement === p));
  }

  /**
   * Adds a layer. Its config slice, when given, is validated against the layer's schema and replaces
   * those keys; `onBuilt` receives the layer's objects when the platform is built.
   */
  register<S extends z.ZodObject>(
    definition: LayerDefinition<S>,
    slice: z.infer<S> | undefined,
    onBuilt: (layer: BuiltLayer) => void,
  ): void {
    if (this.built)
      throw new PlatformError(`the ${definition.placement} layer joins a platform that is already built: add every layer first`);
    if (this.layers.some((l) => l.definition.placement === definition.placement))
      throw new PlatformError(`the ${definition.placement} layer is added twice to one platform`);
    if (slice !== undefined) {
      const parsed = definition.schema.safeParse(slice, { reportInput: true });
      if (!parsed.success)
        throw new PlatformError(`${definition.placement} layer config: ${parsed.error.issues.map(formatIssue).join('; ')}`);
      this.current = { ...this.current, ...(parsed.data as object) };
    }
    this.layers.push({ definition, onBuilt });
  }

  /** Builds the model of every registered layer once, and hands each layer its objects. */
  build(): PlatformBuild {
    if (this.built) return this.built;
    const ordered = PLACEMENTS.flatMap((p) => this.layers.filter((l) => l.definition.placement === p));
    const misplaced = ordered.flatMap(({ definition }) =>
      definition.services
        .filter((s) => s.enabled({ config: this.current }))
        .map((s) => s.declare({ config: this.current }))
        .filter((d) => d.layer !== definition.placement)
        .map((d) => `service "${d.name}" declares layer "${d.layer}" but is listed in the ${definition.placement} layer`),
    );
    if (misplaced.length) throw new PlatformError(misplaced.join('; '));
    const build = buildModel(
      this.current,
      ordered.flatMap((l) => l.definition.services),
      { lock: this.options.lock, external: this.external },
    );
    this.built = build;
    for (const { definition, onBuilt } of ordered)
      onBuilt({
        placement: definition.placement,
        namespace: build.namespaces.find((n) => n.placement === definition.placement),
        services: build.services.filter((s) => s.declaration.layer === definition.placement),
        build,
      });
    return build;
  }
}

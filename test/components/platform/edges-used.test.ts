// Every declared edge is one a service's build uses: with any one of them removed from its
// declaration, the build fails, naming the service, the target and the port. Together with the build
// refusing edges no build asks the address of, the declared edges are exactly the connections made.
import { PlatformModelError } from '../../../components/platform/build';
import { UndeclaredConnectionError } from '../../../components/platform/context';
import type { EdgeDecl, ServiceDefinition } from '../../../components/platform/service';
import { withDefaults } from '../../../components/platform/service';
import { buildFor, configFor, ENVIRONMENTS, SERVICE_DEFINITIONS } from '../../helpers/build';

interface EdgeCase {
  title: string;
  environment: string;
  service: string;
  edge: EdgeDecl;
}

const sameEdge = (a: EdgeDecl, b: EdgeDecl) => a.to === b.to && a.port === b.port;

/** Every declared edge of every service each environment builds; an `ifEnabled` edge only while its target runs. */
function edgeCases(environment: string): EdgeCase[] {
  const build = buildFor(environment);
  const running = new Set(build.services.map((s) => s.declaration.name));
  return build.services.flatMap(({ declaration }) =>
    declaration.edges
      .filter((edge) => !edge.ifEnabled || running.has(edge.to))
      .map((edge) => ({
        title: `${environment}: ${declaration.name} without its edge to ${edge.to}:${edge.port}`,
        environment,
        service: declaration.name,
        edge,
      })),
  );
}

/** Every service as it is, but `service` declares all its edges except `edge`; its objects are built the same way. */
function withoutEdge(service: string, edge: EdgeDecl): ServiceDefinition[] {
  const original = SERVICE_DEFINITIONS.find((d) => d.name === service);
  if (!original) throw new Error(`no definition of service ${service}`);
  const trimmed: ServiceDefinition = {
    ...original,
    declare: (ctx) => {
      const declaration = original.declare(ctx);
      return { ...declaration, edges: declaration.edges.filter((e) => !sameEdge(e, edge)) };
    },
  };
  return SERVICE_DEFINITIONS.map((d) => (d === original ? trimmed : d));
}

function buildError(run: () => unknown): Error | undefined {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

const CASES = ENVIRONMENTS.flatMap(edgeCases);

describe('removing any edge a service uses fails the build', () => {
  it.each(ENVIRONMENTS)('%s: has declared edges to remove, so the cases below are not vacuous', (environment) => {
    expect(CASES.filter((c) => c.environment === environment).length).toBeGreaterThan(0);
  });

  it('builds every environment as declared (the failures below are the removal, nothing else)', () => {
    for (const environment of ENVIRONMENTS) expect(() => buildFor(environment, {}, SERVICE_DEFINITIONS)).not.toThrow();
  });

  test.each(CASES)('$title', ({ environment, service, edge }) => {
    const definitions = withoutEdge(service, edge);
    // The edge is gone from the declaration the build sees, and nothing else changed.
    const definition = definitions.find((d) => d.name === service)!;
    expect(definition.declare({ config: configFor(environment) }).edges.some((e) => sameEdge(e, edge))).toBe(false);

    const error = buildError(() => buildFor(environment, {}, definitions));
    expect(error).toBeDefined();
    // Named as the service that lost the edge, and the target and port it still asks for.
    expect(error!.message).toContain(`service "${service}"`);
    expect(error!.message).toContain(`"${edge.to}" (port "${edge.port}")`);
  });
});

describe('the build refuses an edge without a use, and a use without an edge', () => {
  const standIn = (edges: EdgeDecl[], build: ServiceDefinition['build']): ServiceDefinition => ({
    name: 'stand-in',
    enabled: () => true,
    declare: () =>
      withDefaults({ name: 'stand-in', layer: 'compute', description: 'a stand-in service', images: [], ports: [], edges, resources: {} }),
    build,
  });

  it('fails when a declared edge is never used through connect', () => {
    const definitions = [...SERVICE_DEFINITIONS, standIn([{ to: 'opa', port: 'http' }], () => undefined)];
    const error = buildError(() => buildFor('k3d', {}, definitions));
    expect(error).toBeInstanceOf(PlatformModelError);
    expect(error!.message).toContain(
      'service "stand-in": declares an edge to "opa" (port "http") but never asks for its address (ctx.connect)',
    );
  });

  it('fails when connect is called without an edge', () => {
    const definitions = [...SERVICE_DEFINITIONS, standIn([], (_scope, ctx) => void ctx.connect('stand-in', 'opa', 'http'))];
    const error = buildError(() => buildFor('k3d', {}, definitions));
    expect(error).toBeInstanceOf(UndeclaredConnectionError);
    expect(error!.message).toContain('service "stand-in" uses the address of "opa" (port "http") but declares no edge to it');
  });

  it('builds the same stand-in when its edge is declared and used', () => {
    const definitions = [
      ...SERVICE_DEFINITIONS,
      standIn([{ to: 'opa', port: 'http' }], (_scope, ctx) => void ctx.connect('stand-in', 'opa', 'http')),
    ];
    expect(() => buildFor('k3d', {}, definitions)).not.toThrow();
  });
});

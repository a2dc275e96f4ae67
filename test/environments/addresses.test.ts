// IP addresses in config are range-checked: IPv4 octets 0-255 and prefix lengths 0-32, wherever a
// CIDR or an address is taken (egress, external endpoints, package sources, the Platform's
// `external` option), so 300.1.2.3/8 never reaches a NetworkPolicy.
import { Platform, PlatformError } from '../../components/platform/platform';
import { ConfigError, loadPlatformConfig } from '../../environments/load';
import { cidr, hostOrIp } from '../../environments/fields';

function problems(overrides: Record<string, unknown>): string[] {
  try {
    loadPlatformConfig(overrides);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const CIDR_EXPECTED = 'an IPv4 CIDR such as "10.0.0.0/8": four numbers 0-255, then "/" and a prefix length 0-32';

describe('CIDR fields', () => {
  it.each(['300.1.2.3/8', '10.0.0.256/32', '256.0.0.0/1', '10.0.0.0/33', '10.0.0/8', '010.0.0.0/8'])('refuses %s', (value) => {
    expect(cidr.safeParse(value).success).toBe(false);
  });

  it.each(['0.0.0.0/0', '10.0.0.0/8', '255.255.255.255/32', '192.168.1.0/24'])('accepts %s', (value) => {
    expect(cidr.safeParse(value).success).toBe(true);
  });

  it('names the key, the value and the allowed form in egress.apiServerCidrs', () => {
    expect(problems({ environment: 'k3d', egress: { apiServerCidrs: ['300.1.2.3/8'] } })).toEqual([
      `egress.apiServerCidrs.0: received "300.1.2.3/8"; ${CIDR_EXPECTED}`,
    ]);
  });

  it('checks the cidrs of external endpoints and package sources', () => {
    const external = {
      mode: 'external',
      host: 'db.corp',
      port: 5432,
      adminSecret: 'pg-admin',
      sslMode: 'require',
      cidrs: ['10.300.0.0/16'],
    };
    expect(problems({ environment: 'k3d', postgres: { warehouse: external } })).toEqual([
      `postgres.warehouse.cidrs.0: received "10.300.0.0/16"; ${CIDR_EXPECTED}`,
    ]);
    expect(
      problems({
        environment: 'k3d',
        compute: { spark: { jars: { repository: 'https://maven.corp.internal/m2', cidrs: ['999.0.0.0/8'] } } },
      }),
    ).toEqual([`compute.spark.jars.cidrs.0: received "999.0.0.0/8"; ${CIDR_EXPECTED}`]);
  });
});

describe('host-or-address fields', () => {
  it.each(['300.1.2.3', '10.0.0.256', '1.2.3'])('refuses the address %s', (value) => {
    expect(hostOrIp.safeParse(value).success).toBe(false);
  });

  it.each(['db.corp', '10.1.2.3', 'db-1', 'pg.10.example'])('accepts %s', (value) => {
    expect(hostOrIp.safeParse(value).success).toBe(true);
  });

  it('names the key of an external database host out of range', () => {
    const external = {
      mode: 'external',
      host: '300.1.2.3',
      port: 5432,
      adminSecret: 'pg-admin',
      sslMode: 'require',
      cidrs: ['10.0.0.0/8'],
    };
    expect(problems({ environment: 'k3d', postgres: { platform: external } })).toEqual([
      'postgres.platform.host: received "300.1.2.3"; a host name, or an IPv4 address of four numbers 0-255',
    ]);
  });
});

describe("the Platform's external option", () => {
  it('refuses an external service whose cidrs are out of range', () => {
    const config = loadPlatformConfig({ environment: 'k3d' });
    expect(
      () => new Platform(config, { external: { opa: { url: 'http://opa.corp:8181', cidrs: ['10.30.0.0/16', '300.1.2.3/8'] } } }),
    ).toThrow(new PlatformError(`external services: external.opa.cidrs.1: received "300.1.2.3/8"; ${CIDR_EXPECTED}`));
    expect(() => new Platform(config, { external: { opa: { url: 'http://opa.corp:8181', cidrs: ['10.30.0.0/16'] } } })).not.toThrow();
  });
});

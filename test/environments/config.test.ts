import * as fs from 'node:fs';
import { tempDir } from '../helpers/temp-dirs';
import * as path from 'node:path';
import { ConfigError, loadPlatformConfig, mergeOverrides, overridesForEnvironment, readStackFile } from '../../environments/load';

/** The problems a config produces, or [] when it is valid. */
function problems(overrides: Record<string, unknown>): string[] {
  try {
    loadPlatformConfig(overrides);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const eks = { environment: 'eks', domain: 'data.example.com', tls: { mode: 'cert-manager', clusterIssuer: 'letsencrypt' } };
const airgapped = {
  environment: 'airgapped',
  domain: 'data.corp.internal',
  tls: { mode: 'provided', secretName: 'wildcard-tls' },
  images: { registryMirror: 'registry.corp.internal:5000', digestPinning: false },
  compute: {
    spark: { jars: { repository: 'https://maven.corp.internal/repository/maven-public', cidrs: ['10.0.0.0/8'] } },
    dbt: { packageIndex: { url: 'https://pypi.corp.internal/simple', cidrs: ['10.0.0.0/8'] } },
  },
};

describe('valid configs', () => {
  it('accepts each profile with only the settings it cannot default', () => {
    expect(problems({ environment: 'k3d' })).toEqual([]);
    expect(problems(eks)).toEqual([]);
    expect(problems(airgapped)).toEqual([]);
  });

  it('applies stack overrides on top of the profile without losing sibling defaults', () => {
    const config = loadPlatformConfig({ environment: 'k3d', images: { registryMirror: 'mirror.local:5000' } });
    expect(config.images).toEqual({ registryMirror: 'mirror.local:5000', digestPinning: false, pullPolicy: 'IfNotPresent' });
    expect(config.domain).toBe('platform.localhost');
  });

  it('replaces a whole object when its mode changes, so the other mode keys do not leak in', () => {
    const merged = mergeOverrides(
      { postgres: { platform: { mode: 'internal', storageSize: '5Gi' } } },
      { postgres: { platform: { mode: 'external', host: 'db.corp' } } },
    );
    expect(merged).toEqual({ postgres: { platform: { mode: 'external', host: 'db.corp' } } });
  });
});

describe('bad config fails with the key path, the value received and what is allowed', () => {
  it('names an unknown environment and lists the allowed ones', () => {
    expect(problems({ environment: 'gke' })).toEqual(['environment: received "gke"; expected one of "k3d", "eks", "airgapped"']);
  });

  it('rejects unknown keys at the top level and inside objects', () => {
    expect(problems({ environment: 'k3d', domian: 'x.y' })).toEqual([
      'domian: unknown key (received "x.y"); remove it or check its spelling',
    ]);
    expect(problems({ environment: 'k3d', tls: { mode: 'self-signed', issuer: 'x' } })).toEqual([
      'tls.issuer: unknown key (received "x"); remove it or check its spelling',
    ]);
  });

  it('rejects wrong types, naming the expected type', () => {
    expect(problems({ environment: 'k3d', protect: 'yes' })).toEqual(['protect: received "yes"; expected boolean']);
    expect(problems({ environment: 'k3d', egress: { apiServerCidrs: '10.0.0.0/8' } })).toEqual([
      'egress.apiServerCidrs: received "10.0.0.0/8"; expected array',
    ]);
  });

  it('rejects values outside an enumeration, listing the allowed values', () => {
    expect(problems({ environment: 'k3d', sizing: 'huge' })).toEqual([
      'sizing: received "huge"; expected one of "small", "medium", "large"',
    ]);
    expect(problems({ environment: 'k3d', tls: { mode: 'letsencrypt' } })).toEqual([
      'tls.mode: received "letsencrypt"; expected one of "self-signed", "provided", "cert-manager"',
    ]);
  });

  it('rejects malformed strings with a description of the expected form', () => {
    expect(problems({ environment: 'k3d', domain: 'Platform_Local' })).toEqual([
      'domain: received "Platform_Local"; a lowercase domain with at least two labels, such as "platform.localhost"',
    ]);
    expect(problems({ environment: 'k3d', egress: { apiServerCidrs: ['10.0.0.0/33'] } })[0]).toMatch(
      /^egress\.apiServerCidrs\.0: received "10\.0\.0\.0\/33"; an IPv4 CIDR/,
    );
    expect(problems({ environment: 'k3d', postgres: { platform: { storageSize: '5GB' } } })).toEqual([
      'postgres.platform.storageSize: received "5GB"; a storage size such as "10Gi"',
    ]);
  });

  it('reports required keys a profile leaves to the stack', () => {
    expect(problems({ environment: 'eks' })).toEqual([
      'domain: required, but not set (expected string)',
      'tls: required, but not set (expected object)',
    ]);
  });

  it('reports every missing key of an external database at once', () => {
    const found = problems({ environment: 'k3d', postgres: { platform: { mode: 'external', host: 'db.corp' } } });
    expect(found).toEqual([
      'postgres.platform.port: required, but not set (expected number)',
      'postgres.platform.adminSecret: required, but not set (expected string)',
      'postgres.platform.sslMode: required, but not set (expected one of "disable", "require", "verify-ca", "verify-full")',
      'postgres.platform.cidrs: required, but not set (expected array)',
    ]);
  });

  it('rejects an unknown mode of a switchable component', () => {
    expect(problems({ environment: 'k3d', objectStorage: { mode: 'minio' } })).toEqual([
      'objectStorage.mode: received "minio"; expected mode to be one of "internal", "external"',
    ]);
  });
});

describe('contradictory settings are errors', () => {
  it('airgapped without a registry mirror', () => {
    expect(problems({ ...airgapped, images: { digestPinning: false } })).toEqual([
      'images.registryMirror: received nothing; required when environment is "airgapped": no public registry is reachable',
    ]);
  });

  it('airgapped with internet egress', () => {
    expect(problems({ ...airgapped, egress: { allowInternet: true } })).toEqual([
      'egress.allowInternet: received true; must be false when environment is "airgapped"',
    ]);
  });

  it('TLS mode provided without a certificate Secret, and a Secret name with another mode', () => {
    expect(problems({ environment: 'k3d', tls: { mode: 'provided' } })).toEqual([
      'tls.secretName: received nothing; required when tls.mode is "provided": the Secret holding the wildcard certificate',
    ]);
    expect(problems({ environment: 'k3d', tls: { mode: 'self-signed', secretName: 'mine' } })).toEqual([
      'tls.secretName: received "mine"; only allowed when tls.mode is "provided" (tls.mode is "self-signed")',
    ]);
  });

  it('TLS mode cert-manager without a ClusterIssuer', () => {
    expect(problems({ ...eks, tls: { mode: 'cert-manager' } })).toEqual([
      'tls.clusterIssuer: received nothing; required when tls.mode is "cert-manager": the ClusterIssuer that signs the certificate',
    ]);
  });

  it('digest pinning without a lock file', () => {
    expect(problems({ environment: 'k3d', images: { digestPinning: true } })).toEqual([
      'images.lockFile: received nothing; required when images.digestPinning is true: the lock file written by `npm run images -- lock`',
    ]);
  });

  it('k3d settings outside the k3d environment', () => {
    expect(
      problems({ ...eks, k3d: { clusterName: 'x', servers: 1, agents: 0, k3sVersion: 'v1.31.5-k3s1', httpPort: 80, httpsPort: 443 } })[0],
    ).toMatch(/^k3d: received .*; only allowed when environment is "k3d" \(environment is "eks"\)$/);
  });

  it('object storage replication the volume servers cannot hold', () => {
    expect(problems({ ...eks, objectStorage: { volumeServers: 1 } })).toEqual([
      'objectStorage.volumeServers: received 1; must be at least 2 for replication "001"',
    ]);
    expect(problems({ environment: 'k3d', objectStorage: { replication: '001' } })).toEqual([
      'objectStorage.replication: received "001"; must be "000" when objectStorage.topology is "single" (one volume server)',
    ]);
    expect(problems({ ...eks, objectStorage: { replication: '010' } })[0]).toMatch(
      /^objectStorage\.replication: received "010"; only server-level replication/,
    );
  });

  it('an external endpoint open to the whole internet when egress is closed', () => {
    const external = { mode: 'external', host: 'db.corp', port: 5432, adminSecret: 'pg-admin', sslMode: 'require', cidrs: ['0.0.0.0/0'] };
    expect(problems({ ...airgapped, postgres: { warehouse: external } })).toEqual([
      'postgres.warehouse.cidrs: received ["0.0.0.0/0"]; may not contain "0.0.0.0/0" when egress.allowInternet is false: name the ranges the endpoint lives in',
    ]);
  });
});

describe('the governance block', () => {
  const grant = { roles: ['analyst'], projects: [], catalog: 'iceberg', schemas: ['*'], privileges: ['read'] };
  const access = (extra: Record<string, unknown>) => ({ governance: { access: extra } });

  it('gives demo users and sample teams and projects on k3d only', () => {
    const k3d = loadPlatformConfig({ environment: 'k3d' }).governance;
    expect(k3d.demoUsers).toBe(true);
    expect(k3d.projects).toEqual(['scoring', 'risk']);
    expect(loadPlatformConfig(eks).governance.demoUsers).toBe(false);
    expect(loadPlatformConfig(airgapped).governance.demoUsers).toBe(false);
  });

  it('refuses grants and row filters that reach nobody or name undeclared projects', () => {
    const filter = { roles: [], projects: ['fraud'], catalog: 'iceberg', schema: 'curated', table: 'orders', expression: "region = 'EU'" };
    expect(problems({ environment: 'k3d', ...access({ grants: [{ ...grant, roles: [] }], rowFilters: [filter] }) })).toEqual([
      'governance.access.grants.0: received {"roles":[],"projects":[],"catalog":"iceberg","schemas":["*"],"privileges":["read"]}; names no roles and no projects: nobody would receive it',
      'governance.access.rowFilters.0.projects.0: received "fraud"; not one of governance.projects (scoring, risk)',
    ]);
  });

  it('refuses a grant to admin, an unknown privilege and a malformed schema name', () => {
    const bad = { ...grant, roles: ['admin'], schemas: ['Raw'], privileges: ['delete'] };
    const found = problems({ environment: 'k3d', ...access({ grants: [bad] }) });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(
      /^governance\.access\.grants\.0\.roles\.0: received "admin"; expected one of "engineer", "analyst", "user", "viewer"$/,
    );
    expect(found[1]).toMatch(/^governance\.access\.grants\.0\.schemas\.0: received "Raw"; a lowercase SQL identifier, or "\*" for all$/);
    expect(found[2]).toMatch(
      /^governance\.access\.grants\.0\.privileges\.0: received "delete"; expected one of "read", "write", "create"$/,
    );
  });

  it('refuses an idle session longer than the maximum session', () => {
    expect(problems({ environment: 'k3d', governance: { sessions: { ssoIdleSeconds: 7200, ssoMaxSeconds: 3600 } } })).toEqual([
      'governance.sessions.ssoIdleSeconds: received 7200; must not exceed sessions.ssoMaxSeconds (3600)',
    ]);
  });

  it('needs a base DN for the LLDAP directory', () => {
    expect(problems({ environment: 'k3d', governance: { directory: { mode: 'lldap', storageSize: '1Gi' } } })).toEqual([
      'governance.directory.baseDn: required, but not set (expected string)',
    ]);
  });
});

describe('stack files', () => {
  const dir = tempDir('stack-');
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('reads this project namespace only and strips it', () => {
    const file = write('Pulumi.a.yaml', 'config:\n  analytics-platform:domain: a.example.com\n  kubernetes:context: other\n');
    expect(readStackFile(file)).toEqual({ domain: 'a.example.com' });
  });

  it('refuses encrypted values: config takes Secret names, not secret values', () => {
    const file = write('Pulumi.b.yaml', 'config:\n  analytics-platform:password:\n    secure: AAABAxyz\n');
    expect(() => readStackFile(file)).toThrow(
      /password: received an encrypted value; the platform takes Secret names in config, not secret values/,
    );
  });

  it('refuses a stack file whose environment contradicts --env', () => {
    const file = write('Pulumi.c.yaml', 'config:\n  analytics-platform:environment: eks\n');
    expect(() => overridesForEnvironment('k3d', file)).toThrow(/environment: received "eks" in .*; expected "k3d" as --env says/);
  });

  it('the committed stack files are valid', () => {
    for (const env of ['k3d', 'eks', 'airgapped']) {
      const { overrides, source } = overridesForEnvironment(env, path.join(__dirname, '../..', `Pulumi.${env}.yaml`));
      expect(() => loadPlatformConfig(overrides, source)).not.toThrow();
    }
  });
});

describe('package sources without internet egress', () => {
  it('refuses public Maven and PyPI on an air-gapped stack, naming the keys', () => {
    const publicSources = {
      ...airgapped,
      compute: {
        spark: { jars: { repository: 'https://repo1.maven.org/maven2', cidrs: ['0.0.0.0/0'] } },
        dbt: { packageIndex: { url: 'https://pypi.org/simple', cidrs: ['10.0.0.0/8'] } },
      },
    };
    expect(problems(publicSources)).toEqual([
      'compute.spark.jars.repository: received "https://repo1.maven.org/maven2"; must be an internal Maven mirror when egress.allowInternet is false: repo1.maven.org is on the internet',
      'compute.spark.jars.cidrs: received ["0.0.0.0/0"]; may not contain "0.0.0.0/0" when egress.allowInternet is false: name the ranges the mirror lives in',
      'compute.dbt.packageIndex.url: received "https://pypi.org/simple"; must be an internal package index when egress.allowInternet is false: pypi.org is on the internet',
    ]);
  });
});

describe('the dbt git project', () => {
  it('refuses credentials in the repository URL, which would show in pod arguments', () => {
    const project = {
      mode: 'git',
      url: 'https://bot:s3cret@git.corp.internal/data/dbt.git',
      ref: 'main',
      path: '.',
      cidrs: ['10.0.0.0/8'],
    };
    const found = problems({ environment: 'k3d', compute: { dbt: { project } } });
    expect(found).toHaveLength(1);
    expect(found).toEqual([
      'compute.dbt.project.url: received "https://***@git.corp.internal/data/dbt.git"; a URL without credentials; put them in credentialsSecret',
    ]);
    expect(found.join('\n')).not.toContain('s3cret');
  });
});

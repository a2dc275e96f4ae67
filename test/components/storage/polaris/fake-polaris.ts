// A stand-in for Polaris 1.7.0's HTTP API, as much of it as the catalog bootstrap uses, with the
// server's semantics where the script depends on them (spec/polaris-management-service.yml,
// PolarisServiceImpl, PolarisAdminService, DefaultOAuth2ApiService, DefaultAuthenticator):
// - the realm header is required on every API request, token requests included (require-header);
// - tokens: client credentials in Basic auth, a scope of PRINCIPAL_ROLE:<name> words required,
//   401 for unknown or wrong credentials; a token only works while its roles are assigned;
// - creating what exists is 409; grants and role assignments may be repeated (201 each time);
// - a new principal gets generated credentials; reset sets the given client id and secret;
// - only root (service_admin) may call the management API.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The principal whose token authorized the request. */
  caller?: string;
}

export const REALM = 'POLARIS';
export const ROOT_SECRET = 'pa:ss"wo\\rd-7f3a';

interface Principal {
  clientId: string;
  secret: string;
  roles: Set<string>;
}

interface Issued {
  principal: string;
  /** Requested principal roles; undefined means all (PRINCIPAL_ROLE:ALL). */
  roles?: string[];
}

type Answer = [number, object];

const error = (code: number, message: string, type = 'Error'): Answer => [code, { error: { message, type, code } }];

export class FakePolaris {
  readonly requests: Recorded[] = [];
  readonly catalogs = new Set<string>();
  /** `catalog.namespace` */
  readonly namespaces = new Set<string>();
  /** `catalog/role` -> grants, each as canonical JSON. */
  readonly catalogRoles = new Map<string, Set<string>>();
  /** principal role -> `catalog/role` it holds. */
  readonly principalRoles = new Map<string, Set<string>>();
  readonly principals = new Map<string, Principal>([
    ['root', { clientId: 'root', secret: ROOT_SECRET, roles: new Set(['service_admin']) }],
  ]);
  /** Every token and generated secret this server handed out: none may appear in the script's output. */
  readonly issued: string[] = [];
  notReadyFor = 0;
  /** Answer role assignments to principals with success, but assign nothing. */
  ignoreRoleAssignments = false;
  failOn?: { method: string; path: string; status?: number; body?: (request: string) => object };
  private tokens = new Map<string, Issued>();
  private counter = 0;
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const recorded: Recorded = { method: req.method!, url: req.url!, headers: req.headers, body };
      this.requests.push(recorded);
      const [status, payload] = this.answer(recorded);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    });
  });

  private fresh(prefix: string): string {
    const value = `${prefix}-${++this.counter}-${Math.random().toString(16).slice(2)}`;
    this.issued.push(value);
    return value;
  }

  /** Grants of a catalog role, parsed. */
  grantsOf(catalog: string, role: string): object[] {
    return [...(this.catalogRoles.get(`${catalog}/${role}`) ?? [])].map((g) => JSON.parse(g));
  }

  private answer(recorded: Recorded): Answer {
    const { method, url, headers, body } = recorded;
    if (url === '/q/health/ready') return this.notReadyFor-- > 0 ? [503, { status: 'DOWN' }] : [200, { status: 'UP' }];
    // RealmContextFilter with require-header=true: every API request, before anything else.
    if (headers['polaris-realm'] !== REALM) return error(404, 'Missing or invalid realm', 'MissingOrInvalidRealm');
    if (this.failOn && this.failOn.method === method && this.failOn.path === url)
      return [this.failOn.status ?? 500, this.failOn.body?.(body) ?? error(500, 'Database is on fire', 'RuntimeException')[1]];
    if (method === 'POST' && url === '/api/catalog/v1/oauth/tokens') return this.token(headers, body);
    const caller = this.authenticate(headers);
    if (!caller) return error(401, 'Unable to authenticate', 'NotAuthorizedException');
    recorded.caller = caller;
    const json = () => JSON.parse(body);
    let m: RegExpMatchArray | null;
    if (method === 'GET' && (m = url.match(/^\/api\/catalog\/v1\/config\?warehouse=([^&]+)$/)))
      return this.catalogs.has(m[1])
        ? [200, { defaults: {}, overrides: { prefix: m[1] } }]
        : error(404, `Unable to find warehouse ${m[1]}`);
    const ns = url.match(/^\/api\/catalog\/v1\/([^/]+)\/namespaces$/);
    if (method === 'POST' && ns) {
      if (caller !== 'root') return error(403, 'Principal is not authorized for op CREATE_NAMESPACE', 'ForbiddenException');
      const key = `${ns[1]}.${json().namespace.join('.')}`;
      if (this.namespaces.has(key)) return error(409, `Namespace already exists: ${key}`, 'AlreadyExistsException');
      this.namespaces.add(key);
      return [200, { namespace: json().namespace, properties: {} }];
    }
    if (!url.startsWith('/api/management/v1/')) return error(404, `no route ${method} ${url}`);
    if (caller !== 'root') return error(403, `Principal '${caller}' is not authorized for this operation`, 'ForbiddenException');
    return this.manage(method, url.slice('/api/management/v1'.length), json);
  }

  private manage(method: string, path: string, json: () => any): Answer {
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/catalogs') {
      const name = json().catalog.name;
      if (this.catalogs.has(name)) return error(409, `Cannot create Catalog ${name}. Catalog already exists`, 'AlreadyExistsException');
      this.catalogs.add(name);
      this.catalogRoles.set(`${name}/catalog_admin`, new Set());
      return [201, json().catalog];
    }
    if (method === 'POST' && (m = path.match(/^\/catalogs\/([^/]+)\/catalog-roles$/))) {
      if (!this.catalogs.has(m[1])) return error(404, `Catalog ${m[1]} not found`, 'NotFoundException');
      const key = `${m[1]}/${json().catalogRole.name}`;
      if (this.catalogRoles.has(key))
        return error(409, `Cannot create CatalogRole ${key}. CatalogRole already exists`, 'AlreadyExistsException');
      this.catalogRoles.set(key, new Set());
      return [201, json().catalogRole];
    }
    if (method === 'PUT' && (m = path.match(/^\/catalogs\/([^/]+)\/catalog-roles\/([^/]+)\/grants$/))) {
      const grants = this.catalogRoles.get(`${m[1]}/${m[2]}`);
      if (!grants) return error(404, `CatalogRole ${m[2]} not found in ${m[1]}`, 'NotFoundException');
      const grant = json().grant;
      if (grant.type === 'namespace' && !this.namespaces.has(`${m[1]}.${grant.namespace.join('.')}`))
        return error(404, `Namespace ${grant.namespace} not found`, 'NotFoundException');
      if (!['catalog', 'namespace'].includes(grant.type) || !/^[A-Z_]+$/.test(grant.privilege)) return error(400, 'bad grant');
      grants.add(JSON.stringify(grant));
      return [201, {}];
    }
    if (method === 'POST' && path === '/principal-roles') {
      const name = json().principalRole.name;
      if (this.principalRoles.has(name))
        return error(409, `Cannot create PrincipalRole ${name}. PrincipalRole already exists`, 'AlreadyExistsException');
      this.principalRoles.set(name, new Set());
      return [201, json().principalRole];
    }
    if (method === 'PUT' && (m = path.match(/^\/principal-roles\/([^/]+)\/catalog-roles\/([^/]+)$/))) {
      const held = this.principalRoles.get(m[1]);
      const key = `${m[2]}/${json().catalogRole.name}`;
      if (!held || !this.catalogRoles.has(key))
        return error(404, `PrincipalRole ${m[1]} or CatalogRole ${key} not found`, 'NotFoundException');
      held.add(key);
      return [201, {}];
    }
    if (method === 'POST' && path === '/principals') {
      const request = json();
      const name = request.principal.name;
      if (this.principals.has(name))
        return error(409, `Cannot create Principal ${name}. Principal already exists`, 'AlreadyExistsException');
      const credentials = { clientId: this.fresh('generated-id'), clientSecret: this.fresh('generated-secret') };
      this.principals.set(name, { clientId: credentials.clientId, secret: credentials.clientSecret, roles: new Set() });
      return [201, { principal: { name, clientId: credentials.clientId }, credentials }];
    }
    if (method === 'POST' && (m = path.match(/^\/principals\/([^/]+)\/reset$/))) {
      const principal = this.principals.get(m[1]);
      if (!principal) return error(404, `Principal ${m[1]} not found`, 'NotFoundException');
      const { clientId, clientSecret } = json();
      if ([...this.principals.entries()].some(([n, p]) => n !== m![1] && p.clientId === clientId))
        return error(409, `Client ID already in use: ${clientId}`, 'AlreadyExistsException');
      principal.clientId = clientId ?? principal.clientId;
      principal.secret = clientSecret ?? this.fresh('generated-secret');
      return [
        200,
        {
          principal: { name: m[1], clientId: principal.clientId },
          credentials: { clientId: principal.clientId, clientSecret: principal.secret },
        },
      ];
    }
    if (method === 'PUT' && (m = path.match(/^\/principals\/([^/]+)\/principal-roles$/))) {
      const principal = this.principals.get(m[1]);
      const role = json().principalRole.name;
      if (!principal || !this.principalRoles.has(role))
        return error(404, `Principal ${m[1]} or PrincipalRole ${role} not found`, 'NotFoundException');
      if (!this.ignoreRoleAssignments) principal.roles.add(role);
      return [201, {}];
    }
    return error(404, `no route ${method} ${path}`);
  }

  private token(headers: http.IncomingHttpHeaders, body: string): Answer {
    const form = new URLSearchParams(body);
    const basic = /^Basic (.+)$/.exec(headers.authorization ?? '');
    if (!basic) return [400, { error: 'invalid_client' }];
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const [clientId, secret] = [decoded.slice(0, decoded.indexOf(':')), decoded.slice(decoded.indexOf(':') + 1)];
    if (form.get('grant_type') !== 'client_credentials') return [400, { error: 'invalid_grant' }];
    const scopes = (form.get('scope') ?? '').split(' ');
    if (scopes.some((s) => !s.startsWith('PRINCIPAL_ROLE:') || s === 'PRINCIPAL_ROLE:')) return [400, { error: 'invalid_scope' }];
    const found = [...this.principals.entries()].find(([, p]) => p.clientId === clientId);
    if (!found || found[1].secret !== secret) return [401, { error: 'unauthorized_client' }];
    const token = this.fresh('token');
    const roles = scopes.includes('PRINCIPAL_ROLE:ALL') ? undefined : scopes.map((s) => s.slice('PRINCIPAL_ROLE:'.length));
    this.tokens.set(token, { principal: found[0], roles });
    return [
      200,
      { access_token: token, token_type: 'bearer', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', expires_in: 3600 },
    ];
  }

  /** The calling principal, or undefined: an unknown token, or a requested role not assigned (DefaultAuthenticator). */
  private authenticate(headers: http.IncomingHttpHeaders): string | undefined {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '');
    const issued = bearer && this.tokens.get(bearer[1]);
    if (!issued) return undefined;
    const principal = this.principals.get(issued.principal)!;
    if (issued.roles && !issued.roles.every((r) => principal.roles.has(r))) return undefined;
    return issued.principal;
  }

  listen(): Promise<string> {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}`)),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

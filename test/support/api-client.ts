import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer, type ServerOptions } from '../../src/app/server.js';
import type { Store } from '../../src/store/store.js';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: string;
}

/** A browser-like caller over Fastify's inject: keeps the session cookie and sends the CSRF header. */
export class ApiClient {
  private cookie: string | null = null;
  csrfToken: string | null = null;
  bearer: string | null = null;

  constructor(
    readonly app: FastifyInstance,
    readonly ip = '127.0.0.1',
  ) {}

  async request<T = any>(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] = this.csrfToken;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const response = await this.app.inject({
      method: method as any,
      url,
      headers,
      remoteAddress: this.ip,
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
    });
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      if (pair?.startsWith('chorus_session=')) this.cookie = pair.endsWith('=') || /Expires=Thu, 01 Jan 1970/.test(line) ? null : pair;
    }
    const parsed = response.body && String(response.headers['content-type'] ?? '').includes('json') ? JSON.parse(response.body) : response.body;
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed && parsed.csrfToken) this.csrfToken = parsed.csrfToken;
    return { status: response.statusCode, body: parsed as T, headers: response.headers, raw: response.body };
  }

  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, body?: unknown) => this.request<T>('POST', url, body ?? {});
  patch = <T = any>(url: string, body?: unknown) => this.request<T>('PATCH', url, body ?? {});
  delete = <T = any>(url: string) => this.request<T>('DELETE', url);

  /** Forget the session (as a fresh browser would). */
  reset(): void {
    this.cookie = null;
    this.csrfToken = null;
    this.bearer = null;
  }
}

export const PASSWORD = 'correct horse battery staple';

export async function buildTestServer(store: Store, options: Omit<ServerOptions, 'store'> = {}): Promise<FastifyInstance> {
  const app = await buildServer({ store, webRoot: null, ...options });
  await app.ready();
  return app;
}

export interface Person {
  client: ApiClient;
  userId: string;
  orgId: string;
  email: string;
}

export async function setUpOwner(app: FastifyInstance, name = 'Olivia Owner', orgName = 'Acme'): Promise<Person> {
  const client = new ApiClient(app);
  const email = `${name.split(' ')[0]!.toLowerCase()}@example.com`;
  const res = await client.post('/api/setup', { name, email, password: PASSWORD, orgName });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.raw}`);
  return { client, userId: res.body.user.id, orgId: res.body.orgs[0].id, email };
}

/** Invites someone into `inviter`'s org with `role` and signs them up through the link. */
export async function invitePerson(inviter: Person, name: string, role: string): Promise<Person> {
  const invite = await inviter.client.post(`/api/orgs/${inviter.orgId}/invitations`, { role });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${invite.raw}`);
  const client = new ApiClient(inviter.client.app);
  const email = `${name.split(' ')[0]!.toLowerCase()}@example.com`;
  const res = await client.post(`/api/invitations/${invite.body.token}/signup`, { name, email, password: PASSWORD });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.raw}`);
  return { client, userId: res.body.user.id, orgId: inviter.orgId, email };
}

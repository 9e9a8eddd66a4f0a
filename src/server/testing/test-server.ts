// For tests: a real server on 127.0.0.1 (a free port) over an in-memory warehouse, a settable clock, and a
// small HTTP client that keeps cookies and echoes the CSRF token as the dashboard does.

import { hashPassword } from '../../security/passwords.js';
import type { Role } from '../../security/roles.js';
import { insertUser, type User } from '../../security/users.js';
import { openWarehouse, type Warehouse } from '../../warehouse/warehouse.js';
import { type AppOptions, createApp } from '../app.js';
import { CSRF_COOKIE } from '../cookies.js';
import { CSRF_HEADER } from '../csrf.js';
import { listen } from '../listen.js';

/** A clock tests move by hand. */
export interface ManualClock {
  now: number;
  advance(ms: number): void;
}

/** A running test server and what it runs on. */
export interface TestServer {
  url: string;
  warehouse: Warehouse;
  clock: ManualClock;
  /** A new client with an empty cookie jar. */
  client(): TestClient;
  /** Stops the server and closes the warehouse. */
  close(): Promise<void>;
}

/** Starts a server; `options` override the app's (the warehouse and clock are the harness's own). */
export async function startTestServer(
  options: Partial<Omit<AppOptions, 'warehouse' | 'clock'>> = {},
): Promise<TestServer> {
  const warehouse = await openWarehouse(':memory:');
  const clock: ManualClock = {
    now: Date.UTC(2025, 0, 6, 9, 0, 0),
    advance(ms) {
      this.now += ms;
    },
  };
  const app = createApp({
    workspace: '/tmp/churnwatch-test',
    validateResponses: true,
    log: () => undefined,
    ...options,
    warehouse,
    clock: () => clock.now,
  });
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    warehouse,
    clock,
    client: () => new TestClient(server.url),
    close: async () => {
      await server.close();
      warehouse.close();
    },
  };
}

/** Adds a user whose password needs no change, straight into the warehouse. */
export async function addUser(
  warehouse: Warehouse,
  username: string,
  role: Role,
  password: string,
): Promise<User> {
  return insertUser(
    warehouse,
    { username, role, passwordHash: await hashPassword(password), mustChangePassword: false },
    Date.UTC(2025, 0, 1),
  );
}

let signedInSerial = 0;

/** A client signed in as a new user of `role` whose password needs no change; throws when login is refused. */
export async function signedInClient(
  server: TestServer,
  role: Role,
  password: string,
): Promise<{ client: TestClient; user: User }> {
  const user = await addUser(server.warehouse, `${role}-client-${++signedInSerial}`, role, password);
  const client = server.client();
  const login = await client.login(user.username, password);
  if (login.status !== 200)
    throw new Error(`login as ${user.username} answered ${login.status}: ${login.text}`);
  return { client, user };
}

/** What a request answered. */
export interface TestResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON, or null when empty. */
  body: unknown;
  text: string;
}

export interface RequestOptions {
  /** Sent as JSON with Content-Type: application/json. */
  json?: unknown;
  /** Sent as is (with `headers` choosing the type). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Sends `Authorization: Bearer <token>`. */
  token?: string;
  /** Whether to echo the CSRF cookie in X-CSRF-Token (default true, as the dashboard does). */
  csrf?: boolean;
  /** Whether to send the cookie jar (default true). */
  cookies?: boolean;
}

/** An HTTP client with a cookie jar. */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** Sends one request and records the cookies it sets. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Uint8Array | undefined = options.raw;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.cookies !== false && this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    const csrf = this.cookies.get(CSRF_COOKIE);
    if (options.csrf !== false && csrf !== undefined) headers[CSRF_HEADER] ??= csrf;
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body });
    for (const line of response.headers.getSetCookie()) this.remember(line);
    const text = await response.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  /** Logs in; returns the response. */
  login(username: string, password: string): Promise<TestResponse> {
    return this.request('POST', '/api/auth/login', { json: { username, password } });
  }

  private remember(setCookie: string): void {
    const [pair, ...attributes] = setCookie.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === '';
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** The error body's parts, for assertions. */
export function errorOf(response: TestResponse): { code: string; message: string; where: string | null } {
  const body = response.body as { error?: { code: string; message: string; where: string | null } };
  if (!body?.error) throw new Error(`expected an error body, got ${response.status} ${response.text}`);
  return body.error;
}

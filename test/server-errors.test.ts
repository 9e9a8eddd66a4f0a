// The API's error handling against a real server: one error shape with the right status for unknown routes,
// wrong methods, malformed JSON, wrong types, unknown fields, wrong content types, oversized bodies and
// unexpected failures (no stack trace); and health without a login.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineRoute } from '../src/server/route.js';
import { apiRoutes } from '../src/server/routes.js';
import {
  addUser,
  errorOf,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../src/server/testing/test-server.js';

const PASSWORD = 'admin password 1';
let server: TestServer;
let admin: TestClient;
const logged: string[] = [];

beforeAll(async () => {
  const broken = defineRoute({
    id: 'broken',
    method: 'GET',
    path: '/api/test/broken',
    access: 'signed-in',
    tag: 'test',
    summary: 'fails unexpectedly',
    handler: async () => {
      throw new Error('secret internals at /srv/churnwatch/db.ts:12');
    },
  });
  server = await startTestServer({
    routes: [...apiRoutes, broken],
    bodyLimitBytes: 64 * 1024,
    log: (message) => logged.push(message),
  });
  await addUser(server.warehouse, 'root', 'admin', PASSWORD);
  admin = server.client();
  expect((await admin.login('root', PASSWORD)).status).toBe(200);
});
afterAll(() => server.close());

describe('GET /api/health', () => {
  it('answers without a login', async () => {
    const response = await server.client().request('GET', '/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      version: expect.any(String),
      workspace: '/tmp/churnwatch-test',
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('errors', () => {
  it('answers 401 without credentials on every non-public route', async () => {
    const anonymous = server.client();
    for (const route of apiRoutes.filter((r) => r.access !== 'public')) {
      const response = await anonymous.request(route.method, route.path.replace(/:\w+/g, 'x'));
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
      expect(errorOf(response).code).toBe('unauthenticated');
    }
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    const unknown = await admin.request('GET', '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: { code: 'not_found', message: 'no route GET /api/nothing-here', where: '/api/nothing-here' },
    });
    const wrongMethod = await admin.request('PUT', '/api/tokens/abc');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('DELETE');
    expect(errorOf(wrongMethod).code).toBe('method_not_allowed');
  });

  it('answers 400 malformed_json for broken or empty JSON', async () => {
    for (const raw of ['{"username": "a",', 'not json', '']) {
      const response = await admin.request('POST', '/api/users', {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: 'malformed_json', where: 'body' });
    }
  });

  it('answers 400 invalid_body naming the field for wrong types, bad values and unknown fields', async () => {
    const wrongType = await admin.request('POST', '/api/users', { json: { username: 42, role: 'viewer' } });
    expect(wrongType.status).toBe(400);
    expect(errorOf(wrongType)).toMatchObject({ code: 'invalid_body', where: 'body.username' });
    expect(errorOf(wrongType).message).toContain('expected string');

    const badRole = await admin.request('POST', '/api/users', { json: { username: 'li.lei', role: 'boss' } });
    expect(errorOf(badRole)).toMatchObject({ code: 'invalid_body', where: 'body.role' });

    const extra = await admin.request('POST', '/api/users', {
      json: { username: 'li.lei', role: 'viewer', isAdmin: true },
    });
    expect(errorOf(extra)).toMatchObject({ code: 'invalid_body', where: 'body.isAdmin' });

    const notObject = await admin.request('POST', '/api/users', { json: [1, 2] });
    expect(errorOf(notObject)).toMatchObject({ code: 'invalid_body', where: 'body' });

    const badQuery = await admin.request('GET', '/api/audit?limit=0');
    expect(badQuery.status).toBe(400);
    expect(errorOf(badQuery)).toMatchObject({ code: 'invalid_query', where: 'query.limit' });
    // Nothing was created by any of them.
    const users = (await admin.request('GET', '/api/users')).body as { users: unknown[] };
    expect(users.users).toHaveLength(1);
  });

  it('answers 415 for a body that is not declared JSON', async () => {
    const response = await admin.request('POST', '/api/users', {
      raw: 'username=x&role=admin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(errorOf(response)).toMatchObject({ code: 'unsupported_media_type', where: 'header Content-Type' });
  });

  it('answers 413 for a body over the limit, declared or streamed, and keeps serving', async () => {
    const declared = await admin.request('POST', '/api/users', {
      raw: JSON.stringify({ username: 'x', role: 'viewer', pad: 'x'.repeat(100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(declared.status).toBe(413);
    expect(errorOf(declared)).toMatchObject({ code: 'payload_too_large', where: 'body' });

    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(32 * 1024)));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      body: chunks,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await admin.request('GET', '/api/auth/me')).status).toBe(200);
  });

  it('answers 500 without a stack trace or internals, and logs the details', async () => {
    const response = await admin.request('GET', '/api/test/broken');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: { code: 'internal', message: 'internal error; the server log has the details', where: null },
    });
    expect(response.text).not.toContain('secret');
    expect(response.text).not.toMatch(/\bat \S+:\d+/);
    expect(logged).toEqual(['GET /api/test/broken failed']);
  });
});

// The OpenAPI document and the docs page: every route of the table appears with its access, its request
// schema comes from the same zod schema that validates it, and every $ref resolves.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../src/server/routes.js';
import {
  addUser,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../src/server/testing/test-server.js';

type Json = Record<string, unknown>;
let server: TestServer;
let client: TestClient;
let doc: Json;

beforeAll(async () => {
  server = await startTestServer();
  await addUser(server.warehouse, 'reader', 'viewer', 'viewer password 1');
  client = server.client();
  await client.login('reader', 'viewer password 1');
  const response = await client.request('GET', '/api/openapi.json');
  expect(response.status).toBe(200);
  doc = response.body as Json;
});
afterAll(() => server.close());

/** Every `$ref` string anywhere in `value`. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner),
  );
}

describe('GET /api/openapi.json', () => {
  it('lists every route with its operationId, access and security', () => {
    expect(doc.openapi).toBe('3.1.0');
    const paths = doc.paths as Record<string, Record<string, Json>>;
    for (const route of apiRoutes) {
      const op = paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op.operationId).toBe(route.id);
      expect(op['x-access']).toBe(route.access);
      expect(op.security).toEqual(route.access === 'public' ? [] : expect.arrayContaining([{ session: [] }]));
    }
    const ops = Object.values(paths).flatMap((byMethod) => Object.keys(byMethod));
    expect(ops).toHaveLength(apiRoutes.length);
  });

  it('describes request bodies, query parameters and errors from the zod schemas', () => {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const createUser = paths['/api/users'].post as {
      requestBody: { content: { 'application/json': { schema: Json } } };
      responses: Record<string, unknown>;
      'x-roles': string[];
    };
    const schema = createUser.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['username', 'role']);
    expect(schema.additionalProperties).toBe(false);
    expect((schema.properties as Record<string, Json>).role).toEqual({ $ref: '#/components/schemas/Role' });
    expect(Object.keys(createUser.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '413']),
    );
    expect(createUser['x-roles']).toEqual(['admin']);

    const audit = paths['/api/audit'].get as {
      parameters: { name: string; in: string; required: boolean }[];
    };
    expect(audit.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['limit', 'query', false],
      ['before', 'query', false],
      ['action', 'query', false],
      ['actor', 'query', false],
    ]);
    const updateUser = paths['/api/users/{userId}'].patch as { parameters: { name: string; in: string }[] };
    expect(updateUser.parameters).toEqual([
      { name: 'userId', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('resolves every $ref to a component', () => {
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['Error', 'Role', 'User', 'ApiToken', 'Me']));
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.split('/').at(-1)!], ref).toBeDefined();
    }
  });
});

describe('GET /api/docs', () => {
  it('is a self-contained HTML page listing every operation and the permission matrix', async () => {
    const page = await client.request('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    for (const route of apiRoutes) expect(page.text).toContain(`<code>${route.path}</code>`);
    expect(page.text).toContain('<code>customers:read-unmasked</code>');
    expect(page.text).toContain('<code>body.role</code>: Role');
    expect(page.text).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });
});

// The OpenAPI 3.1 document, assembled from the route table and the same zod schemas that validate requests
// (zod's own JSON Schema output; OpenAPI 3.1 schemas are JSON Schema 2020-12). Schemas with an `id` in
// their metadata become shared components.

import { z } from 'zod';
import { PERMISSIONS } from '../security/permissions.js';
import { ROLES } from '../security/roles.js';
import { SESSION_COOKIE } from './cookies.js';
import { CSRF_HEADER } from './csrf.js';
import { errorBodySchema } from './http-error.js';
import type { Route } from './route.js';

type Json = Record<string, unknown>;

/** The OpenAPI document for `routes`. */
export function openApiDocument(routes: readonly Route[], version: string): Json {
  const components = new ComponentSchemas();
  const errorRef = components.schema(errorBodySchema, 'output');
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route, components, errorRef);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'churnwatch API',
      version,
      description:
        `Log in with POST /api/auth/login (session cookie; send the CSRF token in ${CSRF_HEADER} on ` +
        'unsafe requests) or send an API token as "Authorization: Bearer <token>". Every error answers ' +
        '{ "error": { "code", "message", "where" } }.',
    },
    paths,
    components: {
      schemas: components.all(),
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token from POST /api/tokens' },
      },
    },
  };
}

function operation(route: Route, components: ComponentSchemas, errorRef: Json): Json {
  const parameters: Json[] = [...route.path.matchAll(/:(\w+)/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    const schema = components.schema(route.query, 'input');
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      parameters.push({ name, in: 'query', required: required.has(name), schema: property });
    }
  }
  const status = route.status ?? 200;
  const success: Json = { description: status === 201 ? 'Created' : status === 204 ? 'No content' : 'OK' };
  if (route.response) {
    success.content = { 'application/json': { schema: components.schema(route.response, 'output') } };
  } else if (route.produces) {
    success.content = {
      [route.produces]: { schema: route.produces === 'text/html' ? { type: 'string' } : {} },
    };
  }
  const error = { description: 'Error', content: { 'application/json': { schema: errorRef } } };
  const responses: Json = { [String(status)]: success };
  for (const code of errorStatuses(route)) responses[code] = error;
  responses.default = error;
  const op: Json = {
    operationId: route.id,
    summary: route.summary,
    tags: [route.tag],
    'x-access': route.access,
    'x-roles': route.access === 'public' || route.access === 'signed-in' ? ROLES : PERMISSIONS[route.access],
    parameters,
    responses,
    security:
      route.access === 'public'
        ? []
        : route.sessionOnly
          ? [{ session: [] }]
          : [{ session: [] }, { bearer: [] }],
  };
  if (route.body) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: components.schema(route.body, 'input') } },
    };
  }
  return op;
}

/** The error statuses a route can answer besides 500. */
function errorStatuses(route: Route): string[] {
  const codes = new Set<string>();
  if (route.body || route.query) codes.add('400');
  if (route.access !== 'public') codes.add('401').add('403');
  if (route.path.includes(':')) codes.add('404');
  if (route.body) codes.add('413').add('415');
  if (route.id === 'login' || route.id === 'changePassword') codes.add('401').add('429');
  return [...codes].sort();
}

/** Collects the `$defs` of every converted schema as shared components, pointing `$ref`s at them. */
class ComponentSchemas {
  private readonly schemas: Record<string, Json> = {};

  /** The JSON Schema of `schema` (a `$ref` when it has an id), with its named parts added as components. */
  schema(schema: z.ZodType, io: 'input' | 'output'): Json {
    const converted = repoint(z.toJSONSchema(schema, { io, unrepresentable: 'any' })) as Json;
    const { $schema: _, $defs, id, ...rest } = converted;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, Json>)) this.add(name, def);
    if (typeof id === 'string') {
      this.add(id, rest);
      return { $ref: `#/components/schemas/${id}` };
    }
    return rest;
  }

  all(): Record<string, Json> {
    return this.schemas;
  }

  private add(name: string, def: Json): void {
    const known = this.schemas[name];
    if (known && JSON.stringify(known) !== JSON.stringify(def)) {
      throw new Error(`two different schemas share the OpenAPI component id "${name}"`);
    }
    this.schemas[name] = def;
  }
}

/** A copy of a JSON Schema with `#/$defs/X` references turned into `#/components/schemas/X`. */
function repoint(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(repoint);
  if (value === null || typeof value !== 'object') return value;
  const copy: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] =
      key === '$ref' && typeof inner === 'string'
        ? inner.replace(/^#\/\$defs\//, '#/components/schemas/')
        : repoint(inner);
  }
  return copy;
}

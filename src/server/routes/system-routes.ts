// Health (public), the OpenAPI document and the docs page.

import { z } from 'zod';
import { docsPage } from '../docs-page.js';
import { openApiDocument } from '../openapi.js';
import { defineRoute } from '../route.js';

export const systemRoutes = [
  defineRoute({
    id: 'health',
    method: 'GET',
    path: '/api/health',
    access: 'public',
    tag: 'system',
    summary: 'Whether the server is up, its version and workspace; needs no login.',
    response: z.object({ status: z.literal('ok'), version: z.string(), workspace: z.string() }),
    handler: async ({ deps }) => ({
      status: 'ok' as const,
      version: deps.version,
      workspace: deps.workspace,
    }),
  }),
  defineRoute({
    id: 'openApi',
    method: 'GET',
    path: '/api/openapi.json',
    access: 'signed-in',
    tag: 'system',
    summary: 'This API as an OpenAPI 3.1 document, generated from the same schemas that validate requests.',
    produces: 'application/json',
    handler: async ({ c, deps }) => c.json(openApiDocument(deps.routes, deps.version)),
  }),
  defineRoute({
    id: 'docs',
    method: 'GET',
    path: '/api/docs',
    access: 'signed-in',
    tag: 'system',
    summary: 'A readable page listing every operation, who may call it, and its request fields.',
    produces: 'text/html',
    handler: async ({ c, deps }) => c.html(docsPage(deps.routes, deps.version)),
  }),
];

// The app in process (no socket): how thrown errors map to the one error shape, and that requests without
// a socket address still work.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { listAudit } from '../security/audit-log.js';
import { hashPassword } from '../security/passwords.js';
import { insertUser } from '../security/users.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { createApp } from './app.js';
import { HttpError } from './http-error.js';
import { defineRoute } from './route.js';
import { apiRoutes } from './routes.js';

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
});
afterAll(() => warehouse.close());

function appWith(thrown: unknown) {
  const route = defineRoute({
    id: 'throws',
    method: 'GET',
    path: '/api/throws',
    access: 'public',
    tag: 'test',
    summary: 'throws',
    handler: async () => {
      throw thrown;
    },
  });
  return createApp({ warehouse, workspace: 'ws', routes: [...apiRoutes, route], log: () => undefined });
}

describe('the error shape', () => {
  it('keeps an HttpError status, code, where and headers', async () => {
    const app = appWith(new HttpError(429, 'slow_down', 'wait', 'body.x', { 'Retry-After': '7' }));
    const response = await app.request('/api/throws');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ error: { code: 'slow_down', message: 'wait', where: 'body.x' } });
  });

  it('answers an InputError from a stage function with 400 bad_input and its where', async () => {
    const app = appWith(new InputError('must be a date', { file: 'events.csv', row: 4, column: 'ts' }));
    const response = await app.request('/api/throws');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'bad_input', message: 'must be a date', where: 'events.csv:4, column "ts"' },
    });
  });

  it('answers anything else with 500 and nothing of the error', async () => {
    const response = await appWith(new TypeError('x is undefined')).request('/api/throws');
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('undefined');
  });
});

describe('in-process requests', () => {
  it('work without a client address; the audit log records none', async () => {
    await insertUser(
      warehouse,
      {
        username: 'solo',
        role: 'viewer',
        passwordHash: await hashPassword('solo password 1'),
        mustChangePassword: false,
      },
      0,
    );
    const app = createApp({ warehouse, workspace: 'ws' });
    const health = await app.request('/api/health');
    expect(await health.json()).toMatchObject({ status: 'ok', workspace: 'ws' });
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'solo', password: 'solo password 1' }),
    });
    expect(login.status).toBe(200);
    const [entry] = await listAudit(warehouse, { limit: 1 });
    expect(entry).toMatchObject({ action: 'login.success', actor: 'solo', ip: null });
  });
});

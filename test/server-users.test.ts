// User administration against a real server: create with a one-time password, change role (effective at
// once), reset a password, delete; the conflicts that protect the last admin; the audit entries.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  errorOf,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../src/server/testing/test-server.js';

let server: TestServer;
let admin: TestClient;
let adminId: string;

interface Account {
  user: { id: string; username: string; role: string; mustChangePassword: boolean };
  oneTimePassword?: string;
}

beforeAll(async () => {
  server = await startTestServer();
  adminId = (await addUser(server.warehouse, 'root', 'admin', 'admin password 1')).id;
  admin = server.client();
  await admin.login('root', 'admin password 1');
});
afterAll(() => server.close());

describe('users', () => {
  it('creates a user with a one-time password that must be changed before anything else', async () => {
    const created = await admin.request('POST', '/api/users', {
      json: { username: '张伟', role: 'analyst' },
    });
    expect(created.status).toBe(201);
    const { user, oneTimePassword } = created.body as Account;
    expect(user).toMatchObject({ username: '张伟', role: 'analyst', mustChangePassword: true });

    const newcomer = server.client();
    expect((await newcomer.login('张伟', oneTimePassword!)).status).toBe(200);
    const blocked = await newcomer.request('GET', '/api/openapi.json');
    expect(blocked.status).toBe(403);
    expect(errorOf(blocked).code).toBe('password_change_required');
    expect((await newcomer.request('GET', '/api/auth/me')).body).toMatchObject({ mustChangePassword: true });
    const changed = await newcomer.request('POST', '/api/auth/password', {
      json: { currentPassword: oneTimePassword, newPassword: '一个足够长的新密码abc' },
    });
    expect(changed.status).toBe(200);
    expect((await newcomer.request('GET', '/api/openapi.json')).status).toBe(200);

    const taken = await admin.request('POST', '/api/users', { json: { username: '张伟', role: 'viewer' } });
    expect(taken.status).toBe(409);
    expect(errorOf(taken)).toMatchObject({ code: 'username_taken', where: 'body.username' });
    const badName = await admin.request('POST', '/api/users', { json: { username: 'a b', role: 'viewer' } });
    expect(errorOf(badName)).toMatchObject({ code: 'invalid_body', where: 'body.username' });
  });

  it('changes a role with effect on the next request, and resets a password', async () => {
    const { user } = (
      await admin.request('POST', '/api/users', {
        json: { username: 'li.ming', role: 'viewer', password: 'initial password 1' },
      })
    ).body as Account;
    const li = server.client();
    await li.login('li.ming', 'initial password 1');
    await li.request('POST', '/api/auth/password', {
      json: { currentPassword: 'initial password 1', newPassword: 'li ming password 2' },
    });
    expect(errorOf(await li.request('GET', '/api/users')).code).toBe('forbidden');

    const promoted = await admin.request('PATCH', `/api/users/${user.id}`, { json: { role: 'admin' } });
    expect(promoted.status).toBe(200);
    expect((promoted.body as Account).user.role).toBe('admin');
    expect((await li.request('GET', '/api/users')).status).toBe(200);

    const reset = await admin.request('PATCH', `/api/users/${user.id}`, { json: { resetPassword: true } });
    const { oneTimePassword } = reset.body as Account;
    expect(oneTimePassword).toMatch(/^\w{5}(-\w{5}){3}$/);
    expect((await li.request('GET', '/api/users')).status).toBe(401); // sessions ended
    expect((await server.client().login('li.ming', 'li ming password 2')).status).toBe(401);
    expect((await server.client().login('li.ming', oneTimePassword!)).status).toBe(200);

    const empty = await admin.request('PATCH', `/api/users/${user.id}`, { json: {} });
    expect(errorOf(empty)).toMatchObject({
      code: 'invalid_body',
      message: 'give a role, or resetPassword: true',
    });
    const missing = await admin.request('PATCH', '/api/users/no-such-user', { json: { role: 'viewer' } });
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe('user_not_found');
  });

  it('protects the last admin and the acting admin, and deletes users with their sessions', async () => {
    const self = await admin.request('DELETE', `/api/users/${adminId}`);
    expect(self.status).toBe(409);
    expect(errorOf(self).code).toBe('cannot_delete_self');

    const { user } = (
      await admin.request('POST', '/api/users', { json: { username: 'temp', role: 'operator' } })
    ).body as Account;
    expect((await admin.request('DELETE', `/api/users/${user.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/users/${user.id}`)).status).toBe(404);

    // Demote every other admin, then the last one cannot be demoted.
    const { users } = (await admin.request('GET', '/api/users')).body as { users: Account['user'][] };
    for (const other of users.filter((u) => u.role === 'admin' && u.id !== adminId)) {
      expect(
        (await admin.request('PATCH', `/api/users/${other.id}`, { json: { role: 'viewer' } })).status,
      ).toBe(200);
    }
    const last = await admin.request('PATCH', `/api/users/${adminId}`, { json: { role: 'viewer' } });
    expect(last.status).toBe(409);
    expect(errorOf(last)).toMatchObject({ code: 'last_admin', where: 'body.role' });

    const audit = (await admin.request('GET', '/api/audit?actor=root&limit=1000')).body as {
      entries: { action: string }[];
    };
    const actions = new Set(audit.entries.map((entry) => entry.action));
    expect([...actions].sort()).toEqual(['login.success', 'user.create', 'user.delete', 'user.update']);
  });
});

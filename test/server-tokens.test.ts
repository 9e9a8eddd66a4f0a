// API tokens against a real server: created by an admin with the secret shown once, used as Bearer with
// their role's permissions, refused when malformed, unknown, expired or revoked, and audited.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/security/secrets.js';
import {
  addUser,
  errorOf,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../src/server/testing/test-server.js';

let server: TestServer;
let admin: TestClient;

interface Created {
  token: { id: string; name: string; role: string; prefix: string; revokedAt: string | null };
  secret: string;
}

async function createToken(json: Record<string, unknown>): Promise<Created> {
  const response = await admin.request('POST', '/api/tokens', { json });
  expect(response.status).toBe(201);
  return response.body as Created;
}

beforeAll(async () => {
  server = await startTestServer();
  await addUser(server.warehouse, 'root', 'admin', 'admin password 1');
  admin = server.client();
  await admin.login('root', 'admin password 1');
});
afterAll(() => server.close());

describe('API tokens', () => {
  it('authenticates as its role, stores only a hash and never lists the secret', async () => {
    const { token, secret } = await createToken({ name: 'crm-sync', role: 'viewer' });
    expect(secret.startsWith(token.prefix)).toBe(true);
    const system = server.client();
    const me = await system.request('GET', '/api/auth/me', { token: secret });
    expect(me.body).toMatchObject({
      kind: 'token',
      name: 'crm-sync',
      role: 'viewer',
      mustChangePassword: false,
    });
    expect(me.body).not.toHaveProperty('csrfToken');
    // A viewer token may not manage tokens.
    expect(errorOf(await system.request('GET', '/api/tokens', { token: secret })).code).toBe('forbidden');

    const rows = await server.warehouse.all<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE token_id = ?',
      [token.id],
    );
    expect(rows).toEqual([{ token_hash: sha256Hex(secret) }]);
    const listed = await admin.request('GET', '/api/tokens');
    expect(listed.text).not.toContain(secret);
    expect((listed.body as { tokens: { name: string }[] }).tokens.map((t) => t.name)).toContain('crm-sync');
  });

  it('needs no CSRF token (browsers never send Authorization on their own) and wins over a cookie', async () => {
    const { secret } = await createToken({ name: 'ops', role: 'admin' });
    const system = server.client();
    const created = await system.request('POST', '/api/users', {
      token: secret,
      json: { username: 'made.by.token', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    // With both a session cookie and a bearer token, the token decides.
    const both = await admin.request('GET', '/api/auth/me', { token: secret });
    expect(both.body).toMatchObject({ kind: 'token', name: 'ops' });
    // Session-only routes are refused to tokens.
    const password = await system.request('POST', '/api/auth/password', {
      token: secret,
      json: { currentPassword: 'x', newPassword: 'y' },
    });
    expect(password.status).toBe(403);
    expect(errorOf(password).code).toBe('session_required');
  });

  it('refuses malformed, unknown, revoked and expired tokens with 401 invalid_token', async () => {
    const client = server.client();
    for (const authorization of ['Basic cm9vdDp4', 'Bearer', 'Bearer cw_unknown', 'Bearer a b']) {
      const response = await client.request('GET', '/api/auth/me', { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
      expect(errorOf(response)).toMatchObject({ code: 'invalid_token', where: 'header Authorization' });
    }

    const { token, secret } = await createToken({ name: 'to-revoke', role: 'analyst' });
    expect((await client.request('GET', '/api/auth/me', { token: secret })).status).toBe(200);
    expect((await admin.request('DELETE', `/api/tokens/${token.id}`)).status).toBe(204);
    expect(errorOf(await client.request('GET', '/api/auth/me', { token: secret })).code).toBe(
      'invalid_token',
    );
    const listed = (await admin.request('GET', '/api/tokens')).body as { tokens: Created['token'][] };
    expect(listed.tokens.find((t) => t.id === token.id)?.revokedAt).not.toBeNull();
    const again = await admin.request('DELETE', '/api/tokens/no-such-token');
    expect(again.status).toBe(404);
    expect(errorOf(again)).toMatchObject({ code: 'token_not_found', where: 'path tokenId' });

    const expiring = await createToken({ name: 'week', role: 'viewer', expiresInDays: 7 });
    server.clock.advance(7 * 86_400_000 - 1);
    expect((await client.request('GET', '/api/auth/me', { token: expiring.secret })).status).toBe(200);
    server.clock.advance(1);
    expect((await client.request('GET', '/api/auth/me', { token: expiring.secret })).status).toBe(401);
    // The admin's session expired meanwhile; log in again for the audit check.
    await admin.login('root', 'admin password 1');
  });

  it('audits creation and revocation', async () => {
    const page = (await admin.request('GET', '/api/audit?action=token.revoke')).body as {
      entries: { actor: string; target: string }[];
    };
    expect(page.entries).toEqual([expect.objectContaining({ actor: 'root', target: 'to-revoke' })]);
    const created = (await admin.request('GET', '/api/audit?action=token.create&limit=2')).body as {
      entries: { target: string }[];
      nextBefore: number | null;
    };
    expect(created.entries).toHaveLength(2);
    const rest = (await admin.request('GET', `/api/audit?action=token.create&before=${created.nextBefore}`))
      .body as { entries: { target: string }[] };
    expect([...created.entries, ...rest.entries].map((e) => e.target)).toEqual([
      'week',
      'to-revoke',
      'ops',
      'crm-sync',
    ]);
  });
});

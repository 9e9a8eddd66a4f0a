// Login, sessions and CSRF against a real server: cookies and their flags, me, logout, idle and absolute
// expiry on an injected clock, CSRF rejection, login throttling, password change, and the audit trail.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSRF_COOKIE, SESSION_COOKIE } from '../src/server/cookies.js';
import { addUser, errorOf, startTestServer, type TestServer } from '../src/server/testing/test-server.js';

const PASSWORD = 'operator password';
const MINUTE = 60_000;
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ session: { idleMs: 30 * MINUTE, absoluteMs: 12 * 60 * MINUTE } });
  await addUser(server.warehouse, 'wang.fang', 'operator', PASSWORD);
  await addUser(server.warehouse, 'root', 'admin', 'admin password 1');
});
afterEach(() => server.close());

interface AuditPage {
  entries: { action: string; actor: string | null; target: string | null; detail: unknown; ip: string }[];
}

async function auditActions(): Promise<string[]> {
  const admin = server.client();
  await admin.login('root', 'admin password 1');
  const page = (await admin.request('GET', '/api/audit?limit=50')).body as AuditPage;
  return page.entries.map((entry) => `${entry.action} ${entry.target}`).reverse();
}

describe('login, me, logout', () => {
  it('sets an HTTP-only SameSite=Strict session cookie and a readable CSRF cookie', async () => {
    const client = server.client();
    const login = await client.login('Wang.Fang', PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      kind: 'session',
      name: 'wang.fang',
      role: 'operator',
      mustChangePassword: false,
      permissions: expect.arrayContaining(['customers:read-unmasked', 'alerts:ack']),
      sessionExpiresAt: new Date(server.clock.now + 30 * MINUTE).toISOString(),
    });
    const cookies = login.headers.getSetCookie();
    const session = cookies.find((line) => line.startsWith(`${SESSION_COOKIE}=`))!;
    const csrf = cookies.find((line) => line.startsWith(`${CSRF_COOKIE}=`))!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Max-Age=43200/);
    expect(session).not.toMatch(/; Secure/); // plain HTTP on 127.0.0.1
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/; SameSite=Strict/);
    expect((login.body as { csrfToken: string }).csrfToken).toBe(client.cookies.get(CSRF_COOKIE));

    const me = await client.request('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'session', name: 'wang.fang', role: 'operator' });

    const logout = await client.request('POST', '/api/auth/logout');
    expect(logout.status).toBe(204);
    expect(client.cookies.size).toBe(0);
    expect(errorOf(await client.request('GET', '/api/auth/me')).code).toBe('unauthenticated');
  });

  it('refuses wrong passwords and unknown users alike, and audits every attempt', async () => {
    const client = server.client();
    const wrong = await client.login('wang.fang', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      error: { code: 'invalid_credentials', message: 'wrong username or password', where: null },
    });
    const unknown = await client.login('nobody', 'not the password');
    expect(unknown.body).toEqual(wrong.body);
    expect(client.cookies.size).toBe(0);
    await client.login('wang.fang', PASSWORD);
    expect(await auditActions()).toEqual([
      'login.failure wang.fang',
      'login.failure nobody',
      'login.success wang.fang',
      'login.success root',
    ]);
  });

  it('rejects a session cookie that was never issued', async () => {
    const client = server.client();
    client.cookies.set(SESSION_COOKIE, 'forged-session-id');
    const response = await client.request('GET', '/api/auth/me');
    expect(response.status).toBe(401);
    expect(errorOf(response)).toMatchObject({ code: 'unauthenticated', where: 'cookie cw_session' });
  });
});

describe('session expiry', () => {
  it('ends a session left idle past the idle limit', async () => {
    const client = server.client();
    await client.login('wang.fang', PASSWORD);
    server.clock.advance(29 * MINUTE);
    expect((await client.request('GET', '/api/auth/me')).status).toBe(200);
    server.clock.advance(29 * MINUTE); // active 29 minutes ago: still alive
    expect((await client.request('GET', '/api/auth/me')).status).toBe(200);
    server.clock.advance(31 * MINUTE);
    const expired = await client.request('GET', '/api/auth/me');
    expect(expired.status).toBe(401);
    expect(errorOf(expired)).toMatchObject({ code: 'session_expired', where: 'cookie cw_session' });
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false); // told to forget it
  });

  it('ends a session at the absolute limit however active', async () => {
    const client = server.client();
    await client.login('wang.fang', PASSWORD);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      server.clock.advance(20 * MINUTE);
      expect((await client.request('GET', '/api/auth/me')).status, `${minutes} min`).toBe(200);
    }
    server.clock.advance(20 * MINUTE);
    expect(errorOf(await client.request('GET', '/api/auth/me')).code).toBe('session_expired');
  });
});

describe('CSRF', () => {
  it('refuses unsafe cookie requests without the session token, and accepts them with it', async () => {
    const admin = server.client();
    await admin.login('root', 'admin password 1');
    const body = { json: { username: 'new.one', role: 'viewer' } };
    const missing = await admin.request('POST', '/api/users', { ...body, csrf: false });
    expect(missing.status).toBe(403);
    expect(errorOf(missing)).toMatchObject({ code: 'csrf_failed', where: 'header X-CSRF-Token' });
    const wrong = await admin.request('POST', '/api/users', {
      ...body,
      headers: { 'X-CSRF-Token': 'guess' },
    });
    expect(errorOf(wrong).code).toBe('csrf_failed');
    // Another session's token is no good either: the token is checked against this session's own.
    const other = server.client();
    await other.login('wang.fang', PASSWORD);
    const foreign = await admin.request('POST', '/api/users', {
      ...body,
      headers: { 'X-CSRF-Token': other.cookies.get(CSRF_COOKIE)! },
    });
    expect(errorOf(foreign).code).toBe('csrf_failed');
    const logoutWithout = await admin.request('POST', '/api/auth/logout', { csrf: false });
    expect(errorOf(logoutWithout).code).toBe('csrf_failed');

    expect((await admin.request('GET', '/api/users', { csrf: false })).status).toBe(200);
    expect((await admin.request('POST', '/api/users', body)).status).toBe(201);
  });
});

describe('login throttling', () => {
  it('answers 429 with Retry-After after 5 failures a minute, even for the right password', async () => {
    const client = server.client();
    for (let i = 0; i < 5; i++) expect((await client.login('wang.fang', 'wrong password!')).status).toBe(401);
    server.clock.advance(10_000);
    const blocked = await client.login('wang.fang', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('50');
    expect(errorOf(blocked)).toMatchObject({ code: 'rate_limited', where: 'body.username' });
    // Other usernames from the same address are not affected.
    expect((await client.login('root', 'admin password 1')).status).toBe(200);
    server.clock.advance(50_000);
    expect((await server.client().login('wang.fang', PASSWORD)).status).toBe(200);
  });
});

describe('password change', () => {
  it('needs the current password, ends other sessions and starts a fresh one', async () => {
    const laptop = server.client();
    const phone = server.client();
    await laptop.login('wang.fang', PASSWORD);
    await phone.login('wang.fang', PASSWORD);
    const oldSession = laptop.cookies.get(SESSION_COOKIE);

    const wrong = await laptop.request('POST', '/api/auth/password', {
      json: { currentPassword: 'nope', newPassword: 'a new long password' },
    });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong)).toMatchObject({ code: 'wrong_password', where: 'body.currentPassword' });
    const weak = await laptop.request('POST', '/api/auth/password', {
      json: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(errorOf(weak)).toMatchObject({ code: 'weak_password', where: 'body.newPassword' });

    const changed = await laptop.request('POST', '/api/auth/password', {
      json: { currentPassword: PASSWORD, newPassword: 'a new long password' },
    });
    expect(changed.status).toBe(200);
    expect(laptop.cookies.get(SESSION_COOKIE)).not.toBe(oldSession);
    expect((await laptop.request('GET', '/api/auth/me')).status).toBe(200);
    expect((await phone.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await server.client().login('wang.fang', PASSWORD)).status).toBe(401);
    expect((await server.client().login('wang.fang', 'a new long password')).status).toBe(200);
  });
});

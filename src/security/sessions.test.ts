import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { sha256Hex } from './secrets.js';
import { createSession, endUserSessions, lookupSession, purgeExpiredSessions } from './sessions.js';
import { insertUser } from './users.js';

const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const MINUTE = 60_000;
let warehouse: Warehouse;
let userId: string;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
  const user = await insertUser(
    warehouse,
    { username: 'Li.Na', role: 'operator', passwordHash: 'h', mustChangePassword: false },
    T0,
  );
  userId = user.id;
});
afterEach(() => warehouse.close());

describe('sessions', () => {
  it('stores only the hash of the session id and finds the session with its user', async () => {
    const session = await createSession(warehouse, userId, T0, { ip: '127.0.0.1', userAgent: 'test' });
    const stored = await warehouse.all<{ session_hash: string }>('SELECT session_hash FROM sessions');
    expect(stored).toEqual([{ session_hash: sha256Hex(session.id) }]);
    const found = await lookupSession(warehouse, session.id, policy, T0 + MINUTE);
    expect(found.status).toBe('active');
    if (found.status !== 'active') return;
    expect(found.session.user.username).toBe('li.na');
    expect(found.session.csrfToken).toBe(session.csrfToken);
    expect(found.session.expiresAt).toBe(T0 + 31 * MINUTE);
    expect((await lookupSession(warehouse, 'nope', policy, T0)).status).toBe('unknown');
  });

  it('ends a session idle for longer than the idle limit, and keeps an active one alive', async () => {
    const session = await createSession(warehouse, userId, T0, { ip: null, userAgent: null });
    expect((await lookupSession(warehouse, session.id, policy, T0 + 29 * MINUTE)).status).toBe('active');
    expect((await lookupSession(warehouse, session.id, policy, T0 + 58 * MINUTE)).status).toBe('active');
    expect((await lookupSession(warehouse, session.id, policy, T0 + 89 * MINUTE)).status).toBe('expired');
    expect((await lookupSession(warehouse, session.id, policy, T0 + 89 * MINUTE)).status).toBe('unknown');
  });

  it('ends a session at the absolute limit however active it is', async () => {
    const session = await createSession(warehouse, userId, T0, { ip: null, userAgent: null });
    let now = T0;
    while (now < T0 + 12 * 3_600_000 - 20 * MINUTE) {
      now += 20 * MINUTE;
      expect((await lookupSession(warehouse, session.id, policy, now)).status).toBe('active');
    }
    now += 20 * MINUTE;
    expect((await lookupSession(warehouse, session.id, policy, now)).status).toBe('expired');
  });

  it('ends all sessions of a user but one, and purges expired ones', async () => {
    const a = await createSession(warehouse, userId, T0, { ip: null, userAgent: null });
    const b = await createSession(warehouse, userId, T0, { ip: null, userAgent: null });
    await endUserSessions(warehouse, userId, sha256Hex(b.id));
    expect((await lookupSession(warehouse, a.id, policy, T0)).status).toBe('unknown');
    expect((await lookupSession(warehouse, b.id, policy, T0)).status).toBe('active');
    expect(await purgeExpiredSessions(warehouse, policy, T0 + 31 * MINUTE)).toBe(1);
  });
});

// Password login: throttled per client address and username, equally slow for unknown users, audited
// whether it succeeds or fails, and answered with a new session.

import type { Warehouse } from '../warehouse/warehouse.js';
import { recordAudit } from './audit-log.js';
import { LoginThrottle } from './login-throttle.js';
import { verifyNobody, verifyPassword } from './passwords.js';
import {
  createSession,
  type NewSession,
  purgeExpiredSessions,
  type SessionOrigin,
  type SessionPolicy,
} from './sessions.js';
import { findUserByName, normalizeUsername, type User, updateUserLastLogin, withoutHash } from './users.js';

export type LoginResult =
  | { status: 'ok'; user: User; session: NewSession }
  | { status: 'rate_limited'; retryAfterSeconds: number }
  | { status: 'failed' };

export interface LoginContext {
  throttle: LoginThrottle;
  policy: SessionPolicy;
  now: number;
}

/** Checks `username` / `password` and starts a session, unless this address and name are throttled. */
export async function login(
  warehouse: Warehouse,
  credentials: { username: string; password: string },
  origin: SessionOrigin,
  context: LoginContext,
): Promise<LoginResult> {
  const username = normalizeUsername(credentials.username);
  const key = LoginThrottle.key(origin.ip ?? 'unknown', username);
  const wait = context.throttle.retryAfterSeconds(key);
  // Refused before the password is looked at: a throttled guess must learn nothing, right or wrong.
  if (wait > 0) return { status: 'rate_limited', retryAfterSeconds: wait };

  const user = await findUserByName(warehouse, username);
  const ok = user
    ? await verifyPassword(user.passwordHash, credentials.password)
    : await verifyNobody(credentials.password);
  const actor = { name: username, role: user?.role ?? null, ip: origin.ip };
  if (!user || !ok) {
    context.throttle.fail(key);
    await recordAudit(warehouse, context.now, actor, 'login.failure', username, {
      reason: user ? 'wrong password' : 'unknown user',
    });
    return { status: 'failed' };
  }
  context.throttle.succeed(key);
  const session = await warehouse.transaction(async (tx) => {
    await purgeExpiredSessions(tx, context.policy, context.now);
    const started = await createSession(tx, user.id, context.now, origin);
    await updateUserLastLogin(tx, user.id, context.now);
    await recordAudit(tx, context.now, actor, 'login.success', username);
    return started;
  });
  return { status: 'ok', user: withoutHash(user), session };
}

// Who is asking: an API token when an Authorization header is sent (it wins over a cookie), otherwise the
// session cookie. No credentials, a bad token or an ended session answer 401 with distinct codes.

import type { Context } from 'hono';
import { findActiveToken } from '../security/api-tokens.js';
import type { Principal } from '../security/principal.js';
import { lookupSession } from '../security/sessions.js';
import { clearSessionCookies, SESSION_COOKIE, sessionIdOf } from './cookies.js';
import { HttpError } from './http-error.js';
import type { ServerDeps } from './route.js';

/** The principal behind request `c` at time `now`; throws 401 when there is none. */
export async function authenticate(c: Context, deps: ServerDeps, now: number): Promise<Principal> {
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) return tokenPrincipal(deps, authorization, now);

  const sessionId = sessionIdOf(c);
  if (sessionId === undefined) {
    throw new HttpError(401, 'unauthenticated', 'log in, or send an API token as "Authorization: Bearer …"');
  }
  const found = await lookupSession(deps.warehouse, sessionId, deps.sessionPolicy, now);
  if (found.status !== 'active') {
    clearSessionCookies(c, secureCookies(c, deps));
    throw found.status === 'expired'
      ? new HttpError(
          401,
          'session_expired',
          'the session has expired; log in again',
          `cookie ${SESSION_COOKIE}`,
        )
      : new HttpError(
          401,
          'unauthenticated',
          'the session has ended; log in again',
          `cookie ${SESSION_COOKIE}`,
        );
  }
  const { session } = found;
  return {
    kind: 'session',
    role: session.user.role,
    userId: session.user.id,
    username: session.user.username,
    mustChangePassword: session.user.mustChangePassword,
    sessionHash: session.sessionHash,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

async function tokenPrincipal(deps: ServerDeps, authorization: string, now: number): Promise<Principal> {
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  if (!match) {
    throw new HttpError(
      401,
      'invalid_token',
      'Authorization must be "Bearer <token>"',
      'header Authorization',
    );
  }
  const token = await findActiveToken(deps.warehouse, match[1], now);
  if (!token) {
    throw new HttpError(
      401,
      'invalid_token',
      'the API token is unknown, revoked or expired',
      'header Authorization',
    );
  }
  return { kind: 'token', role: token.role, tokenId: token.id, tokenName: token.name };
}

/** Whether cookies set in answer to `c` get the Secure flag. */
export function secureCookies(c: Context, deps: ServerDeps): boolean {
  return deps.secureCookies === 'auto' ? new URL(c.req.url).protocol === 'https:' : deps.secureCookies;
}

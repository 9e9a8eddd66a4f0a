// Login, logout, who am I, and changing one's own password.

import type { Context } from 'hono';
import { z } from 'zod';
import { AccountError, changePassword } from '../../security/accounts.js';
import { recordAudit } from '../../security/audit-log.js';
import { login } from '../../security/login.js';
import { LoginThrottle } from '../../security/login-throttle.js';
import { actionsOf } from '../../security/permissions.js';
import { actorOf, type Principal, type SessionPrincipal } from '../../security/principal.js';
import { createSession, endSession, type NewSession } from '../../security/sessions.js';
import type { User } from '../../security/users.js';
import { secureCookies } from '../authenticate.js';
import { clearSessionCookies, setSessionCookies } from '../cookies.js';
import { HttpError } from '../http-error.js';
import { defineRoute, type ServerDeps, signedIn } from '../route.js';
import { meSchema, passwordSchema } from '../schemas.js';

type Me = z.input<typeof meSchema>;

export const authRoutes = [
  defineRoute({
    id: 'login',
    method: 'POST',
    path: '/api/auth/login',
    access: 'public',
    tag: 'auth',
    summary:
      'Log in with username and password: sets the session cookie (HTTP-only) and the CSRF cookie. ' +
      'Five failures a minute from one address for one username answer 429 with Retry-After.',
    body: z.object({ username: z.string().min(1).max(64), password: passwordSchema }).strict(),
    response: meSchema,
    handler: async ({ c, deps, body, ip, now }) => {
      const result = await login(
        deps.warehouse,
        body,
        { ip, userAgent: c.req.header('user-agent') ?? null },
        { throttle: deps.throttle, policy: deps.sessionPolicy, now },
      );
      if (result.status === 'rate_limited') throw rateLimited(result.retryAfterSeconds);
      if (result.status === 'failed') {
        throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
      }
      return startSession(c, deps, result.user, result.session, now);
    },
  }),
  defineRoute({
    id: 'logout',
    method: 'POST',
    path: '/api/auth/logout',
    access: 'signed-in',
    sessionOnly: true,
    beforePasswordChange: true,
    tag: 'auth',
    summary: 'End the current session and clear its cookies.',
    status: 204,
    handler: async ({ c, deps, principal, ip, now }) => {
      const session = sessionOf(principal);
      await deps.warehouse.transaction(async (tx) => {
        await endSession(tx, session.sessionHash);
        await recordAudit(tx, now, actorOf(session, ip), 'logout', session.username);
      });
      clearSessionCookies(c, secureCookies(c, deps));
      return undefined;
    },
  }),
  defineRoute({
    id: 'me',
    method: 'GET',
    path: '/api/auth/me',
    access: 'signed-in',
    beforePasswordChange: true,
    tag: 'auth',
    summary: 'Who is signed in (user or token), their role and permissions, and the session CSRF token.',
    response: meSchema,
    handler: async ({ principal }) => meOf(signedIn(principal)),
  }),
  defineRoute({
    id: 'changePassword',
    method: 'POST',
    path: '/api/auth/password',
    access: 'signed-in',
    sessionOnly: true,
    beforePasswordChange: true,
    tag: 'auth',
    summary:
      'Change your own password (required after a one-time password). Ends your other sessions and ' +
      'starts a fresh one: new cookies, new CSRF token.',
    body: z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }).strict(),
    response: meSchema,
    handler: async ({ c, deps, body, principal, ip, now }) => {
      const session = sessionOf(principal);
      // Guessing through this route is throttled like login: it also checks a password.
      const key = LoginThrottle.key(ip ?? 'unknown', session.username);
      const wait = deps.throttle.retryAfterSeconds(key);
      if (wait > 0) throw rateLimited(wait);
      let user: User;
      try {
        user = await changePassword(deps.warehouse, session.userId, body, actorOf(session, ip), now);
      } catch (error) {
        if (error instanceof AccountError && error.code === 'wrong_password') deps.throttle.fail(key);
        throw error;
      }
      const fresh = await createSession(deps.warehouse, user.id, now, {
        ip,
        userAgent: c.req.header('user-agent') ?? null,
      });
      return startSession(c, deps, user, fresh, now);
    },
  }),
];

/** Sets the cookies of a new session and describes it. */
function startSession(c: Context, deps: ServerDeps, user: User, session: NewSession, now: number): Me {
  setSessionCookies(c, session, deps.sessionPolicy, secureCookies(c, deps));
  const expiresAt = Math.min(
    now + deps.sessionPolicy.idleMs,
    session.createdAt + deps.sessionPolicy.absoluteMs,
  );
  return {
    kind: 'session',
    name: user.username,
    role: user.role,
    permissions: actionsOf(user.role),
    mustChangePassword: user.mustChangePassword,
    csrfToken: session.csrfToken,
    sessionExpiresAt: new Date(expiresAt).toISOString(),
  };
}

/** The principal as `GET /api/auth/me` describes it. */
function meOf(principal: Principal): Me {
  if (principal.kind === 'token') {
    return {
      kind: 'token',
      name: principal.tokenName,
      role: principal.role,
      permissions: actionsOf(principal.role),
      mustChangePassword: false,
    };
  }
  return {
    kind: 'session',
    name: principal.username,
    role: principal.role,
    permissions: actionsOf(principal.role),
    mustChangePassword: principal.mustChangePassword,
    csrfToken: principal.csrfToken,
    sessionExpiresAt: new Date(principal.expiresAt).toISOString(),
  };
}

function rateLimited(seconds: number): HttpError {
  return new HttpError(
    429,
    'rate_limited',
    `too many failed attempts; try again in ${seconds} s`,
    'body.username',
    { 'Retry-After': String(seconds) },
  );
}

function sessionOf(principal: Principal | null): SessionPrincipal {
  const known = signedIn(principal);
  if (known.kind !== 'session') throw new Error('a session-only route ran for a token');
  return known;
}

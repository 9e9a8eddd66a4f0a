// The two cookies of a browser session. `cw_session` holds the session id: HTTP-only so page scripts can
// never read it, SameSite=Strict so other sites' pages never send it. `cw_csrf` holds the session's CSRF
// token: readable by the dashboard's script, which echoes it in the X-CSRF-Token header (see csrf.ts).

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { NewSession, SessionPolicy } from '../security/sessions.js';

export const SESSION_COOKIE = 'cw_session';
export const CSRF_COOKIE = 'cw_csrf';

/** The session id the browser sent, if any. */
export function sessionIdOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}

/** Sets both cookies for a new session; they live as long as the session's absolute limit. */
export function setSessionCookies(
  c: Context,
  session: NewSession,
  policy: SessionPolicy,
  secure: boolean,
): void {
  const maxAge = Math.floor(policy.absoluteMs / 1000);
  setCookie(c, SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'Strict', secure, maxAge });
  setCookie(c, CSRF_COOKIE, session.csrfToken, {
    path: '/',
    httpOnly: false,
    sameSite: 'Strict',
    secure,
    maxAge,
  });
}

/** Tells the browser to forget both cookies (logout, expired or unknown session). */
export function clearSessionCookies(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure });
  deleteCookie(c, CSRF_COOKIE, { path: '/', sameSite: 'Strict', secure });
}

// CSRF protection for cookie sessions. Chosen: a per-session token, stored with the session on the server,
// delivered in the readable `cw_csrf` cookie (and in /api/auth/me), and required in the X-CSRF-Token header
// of every unsafe request. Checked against the server's copy rather than the cookie alone, so a cookie
// planted by a sibling subdomain cannot pass (the weakness of plain double-submit). Not Hono's csrf
// middleware: it checks Origin only for form content types, and proxies may drop or rewrite Origin.
// SameSite=Strict already stops most cross-site requests; the token is the second, independent guard.
// API tokens need none: browsers never attach an Authorization header on their own.

import type { Context } from 'hono';
import type { Principal } from '../security/principal.js';
import { sameSecret } from '../security/secrets.js';
import { HttpError } from './http-error.js';

export const CSRF_HEADER = 'X-CSRF-Token';

/** Methods that change nothing, so need no token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Throws 403 `csrf_failed` when a cookie-authenticated unsafe request lacks the session's token. */
export function checkCsrf(c: Context, principal: Principal): void {
  if (principal.kind !== 'session' || SAFE_METHODS.has(c.req.method)) return;
  const sent = c.req.header(CSRF_HEADER);
  if (sent === undefined || !sameSecret(sent, principal.csrfToken)) {
    throw new HttpError(
      403,
      'csrf_failed',
      `unsafe requests with a session cookie must send the session's CSRF token in ${CSRF_HEADER}`,
      `header ${CSRF_HEADER}`,
    );
  }
}

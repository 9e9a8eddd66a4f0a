// Mounts one route: authenticate → CSRF → one-time-password gate → permission → parse → handler → respond.
// The same steps for every route, so no route can forget one.

import type { Context, Hono } from 'hono';
import { can } from '../security/permissions.js';
import type { Principal } from '../security/principal.js';
import { authenticate } from './authenticate.js';
import { clientIp } from './client-ip.js';
import { checkCsrf } from './csrf.js';
import { HttpError } from './http-error.js';
import { readJsonBody, readQuery } from './request-input.js';
import type { Route, ServerDeps } from './route.js';

export interface MountOptions {
  /** Checks success bodies against the route's response schema (tests turn it on). */
  validateResponses: boolean;
}

/** Registers `route` on `app`. */
export function mountRoute(app: Hono, route: Route, deps: ServerDeps, options: MountOptions): void {
  app.on(route.method, route.path, async (c) => {
    const now = deps.clock();
    const principal = route.access === 'public' ? null : await authorize(c, route, deps, now);
    const body = route.body ? await readJsonBody(c, route.body) : undefined;
    const query = route.query ? readQuery(c, route.query) : undefined;
    const result = await route.handler({
      c,
      deps,
      body,
      query,
      params: c.req.param() as Record<string, string>,
      principal,
      ip: clientIp(c),
      now,
    });
    if (result instanceof Response) return result;
    const status = route.status ?? 200;
    if (status === 204) return c.body(null, 204);
    if (options.validateResponses && route.response) {
      const checked = route.response.safeParse(result);
      if (!checked.success) {
        throw new Error(`${route.id} answered outside its response schema: ${checked.error.message}`);
      }
    }
    return c.json(result as object, status);
  });
}

/** The principal, once it has passed every check the route asks for. */
async function authorize(c: Context, route: Route, deps: ServerDeps, now: number): Promise<Principal> {
  const principal = await authenticate(c, deps, now);
  checkCsrf(c, principal);
  if (principal.kind === 'session' && principal.mustChangePassword && !route.beforePasswordChange) {
    throw new HttpError(
      403,
      'password_change_required',
      'change the one-time password first (POST /api/auth/password)',
    );
  }
  if (route.sessionOnly && principal.kind !== 'session') {
    throw new HttpError(403, 'session_required', `${route.method} ${route.path} is for signed-in users only`);
  }
  if (route.access !== 'signed-in' && route.access !== 'public' && !can(principal.role, route.access)) {
    throw new HttpError(
      403,
      'forbidden',
      `role ${principal.role} may not ${route.access} (${route.method} ${route.path})`,
    );
  }
  return principal;
}

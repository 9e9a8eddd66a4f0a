// The HTTP application, built apart from listening so tests and the CLI share it: global middleware
// (security headers, no caching, body limit), every route of the route table, the dashboard's built files
// (static-files.ts), and the one error shape for errors, unknown routes and wrong methods.

import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { type Clock, systemClock } from '../security/clock.js';
import { LoginThrottle, type LoginThrottleOptions } from '../security/login-throttle.js';
import { checkSessionPolicy, DEFAULT_SESSION_POLICY, type SessionPolicy } from '../security/sessions.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { type ErrorLog, errorResponse } from './error-handler.js';
import { errorBody, HttpError } from './http-error.js';
import { mountRoute } from './mount-route.js';
import type { Route, ServerDeps } from './route.js';
import { apiRoutes } from './routes.js';
import { defaultDashboardRoot, mountStaticFiles } from './static-files.js';
import { VERSION } from './version.js';

/** Largest request body accepted by default; batch ingestion routes may ask for more. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  warehouse: Warehouse;
  /** The workspace folder, shown by /api/health. */
  workspace: string;
  version?: string;
  /** Time source for sessions, tokens, throttling and the audit log (tests pass a fake one). */
  clock?: Clock;
  /** Session limits; defaults 30 minutes idle, 12 hours absolute. */
  session?: Partial<SessionPolicy>;
  /** Login throttling; defaults 5 failures a minute per address and username. */
  loginThrottle?: Omit<LoginThrottleOptions, 'clock'>;
  /** Largest request body in bytes (default 1 MiB); larger ones answer 413. */
  bodyLimitBytes?: number;
  /** Secure flag on cookies: `auto` (default) sets it on HTTPS requests; behind a TLS proxy pass true. */
  secureCookies?: boolean | 'auto';
  /** Checks every success body against its route's response schema (tests; costs time per request). */
  validateResponses?: boolean;
  /** The route table (default: every API route). */
  routes?: readonly Route[];
  /** Where unexpected errors are logged (default: stderr). */
  log?: ErrorLog;
  /** The built dashboard folder (default: dist/web when built; null serves no dashboard). */
  dashboardRoot?: string | null;
}

/** Builds the app; it does not listen (see listen.ts). */
export function createApp(options: AppOptions): Hono {
  const clock = options.clock ?? systemClock;
  const routes = options.routes ?? apiRoutes;
  const deps: ServerDeps = {
    warehouse: options.warehouse,
    workspace: options.workspace,
    version: options.version ?? VERSION,
    clock,
    sessionPolicy: checkSessionPolicy({ ...DEFAULT_SESSION_POLICY, ...options.session }),
    throttle: new LoginThrottle({ ...options.loginThrottle, clock }),
    secureCookies: options.secureCookies ?? 'auto',
    routes,
  };
  const log = options.log ?? logToStderr;
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;

  const app = new Hono();
  app.use(secureHeaders());
  app.use('/api/*', async (c, next) => {
    await next();
    // API answers may hold personal data: no browser or proxy keeps a copy.
    c.header('Cache-Control', 'no-store');
  });
  const limitOf = bodyLimits(routes, limit);
  app.use((c, next) => limitOf(c.req.method, c.req.path)(c, next));
  for (const route of routes)
    mountRoute(app, route, deps, { validateResponses: options.validateResponses ?? false });
  mountStaticFiles(app, options.dashboardRoot === undefined ? defaultDashboardRoot() : options.dashboardRoot);
  app.notFound((c) => {
    const allowed = methodsFor(routes, c.req.path);
    if (allowed.length > 0) {
      c.header('Allow', allowed.join(', '));
      return c.json(
        errorBody(
          'method_not_allowed',
          `${c.req.method} is not allowed here; use ${allowed.join(' or ')}`,
          c.req.path,
        ),
        405,
      );
    }
    return c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`, c.req.path), 404);
  });
  app.onError((error, c) => errorResponse(c, error, log));
  return app;
}

/** The body-limit middleware for a request: the app's limit, or the larger one its route declares. */
function bodyLimits(routes: readonly Route[], appLimit: number) {
  const middleware = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        // The unread rest of the body is still on the wire: close the connection so it is not reused.
        throw new HttpError(413, 'payload_too_large', `the request body is over ${maxSize} bytes`, 'body', {
          Connection: 'close',
        });
      },
    });
  const fallback = middleware(appLimit);
  const own = routes.flatMap((route) =>
    route.bodyLimit === undefined
      ? []
      : [{ method: route.method, path: pathPattern(route.path), use: middleware(route.bodyLimit) }],
  );
  return (method: string, path: string) =>
    own.find((route) => route.method === method && route.path.test(path))?.use ?? fallback;
}

/** A route path as a regular expression (`:name` matches one segment). */
function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}$`);
}

/** The methods of the routes whose path matches `path`. */
function methodsFor(routes: readonly Route[], path: string): string[] {
  const methods = routes.filter((route) => pathPattern(route.path).test(path)).map((route) => route.method);
  return [...new Set(methods)];
}

function logToStderr(message: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`churnwatch serve: ${message}: ${detail}\n`);
}

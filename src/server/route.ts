// What a route is: method, path, the action it needs (checked against the permission matrix), its zod
// schemas (validation and the OpenAPI document come from the same ones) and a handler that gets parsed
// input. Routes live in route tables (routes/*.ts); createApp mounts them all the same way.

import type { Context } from 'hono';
import type { z } from 'zod';
import type { Clock } from '../security/clock.js';
import type { LoginThrottle } from '../security/login-throttle.js';
import type { Action } from '../security/permissions.js';
import type { Principal } from '../security/principal.js';
import type { SessionPolicy } from '../security/sessions.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: anyone (`public`), any signed-in user or token (`signed-in`), or whoever the
 * permission matrix allows the named action.
 */
export type Access = 'public' | 'signed-in' | Action;

/** What every handler may use: the server's shared state. */
export interface ServerDeps {
  warehouse: Warehouse;
  /** The workspace folder, as given. */
  workspace: string;
  version: string;
  clock: Clock;
  sessionPolicy: SessionPolicy;
  throttle: LoginThrottle;
  /** Whether cookies get the Secure flag; `auto` sets it on HTTPS requests. */
  secureCookies: boolean | 'auto';
  /** Every route of the app (the OpenAPI document and docs page list them). */
  routes: readonly Route[];
}

type Schema = z.ZodType;
type Parsed<S> = S extends Schema ? z.output<S> : undefined;
type Reply<S> = S extends Schema ? z.input<S> | Response : undefined | Response;

/** What a handler receives: parsed input, who asks, and the time the request is judged at. */
export interface RouteInput<Body, Query> {
  c: Context;
  deps: ServerDeps;
  body: Parsed<Body>;
  query: Parsed<Query>;
  /** Path parameters (`:userId`), as sent. */
  params: Record<string, string>;
  /** Null only on public routes. */
  principal: Principal | null;
  ip: string | null;
  /** The request's time (epoch ms) from the server's clock. */
  now: number;
}

export interface RouteSpec<
  Body extends Schema | undefined,
  Query extends Schema | undefined,
  Res extends Schema | undefined,
> {
  /** OpenAPI operationId, camelCase and unique: `listUsers`. */
  id: string;
  method: Method;
  /** Hono path syntax, `/api/users/:userId`. */
  path: string;
  access: Access;
  summary: string;
  /** Groups operations in the docs: `auth`, `users` … */
  tag: string;
  /** Answers also while the user must still change a one-time password (login, me, logout, password). */
  beforePasswordChange?: boolean;
  /** Only for browser sessions: API tokens get 403 `session_required`. */
  sessionOnly?: boolean;
  body?: Body;
  /** Largest request body in bytes when it differs from the app's (batch ingestion takes more). */
  bodyLimit?: number;
  query?: Query;
  /** The success body; absent for 204 and for routes that answer a ready Response (HTML, files). */
  response?: Res;
  /** Success status (default 200; 204 answers no body). */
  status?: 200 | 201 | 204;
  /** The success content type for the docs when not JSON. */
  produces?: 'text/html' | 'application/json';
  // A method, not a function property: methods are checked bivariantly, which lets routes with their own
  // schema types sit together in one `Route[]` table while each handler keeps its precise input type.
  handler(input: RouteInput<Body, Query>): Promise<Reply<Res>>;
}

/** A route of any schema, as route tables hold them. */
export type Route = RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>;

/** Declares a route, inferring the handler's input types from its schemas. */
export function defineRoute<
  Body extends Schema | undefined = undefined,
  Query extends Schema | undefined = undefined,
  Res extends Schema | undefined = undefined,
>(spec: RouteSpec<Body, Query, Res>): Route {
  return spec;
}

/** The principal of a route that is not public: mountRoute has authenticated it already. */
export function signedIn(principal: Principal | null): Principal {
  if (!principal) throw new Error('a route that needs a login ran without a principal');
  return principal;
}

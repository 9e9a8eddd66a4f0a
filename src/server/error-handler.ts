// Turns anything thrown while answering into the one error shape with the right status. Known errors keep
// their message and where; anything else is a 500 whose details go to the server log, never to the client.

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { formatWhere, InputError } from '../errors.js';
import { RetentionError, type RetentionErrorCode } from '../retention/retention-error.js';
import { AccountError, type AccountErrorCode } from '../security/accounts.js';
import { type ErrorStatus, errorBody, HttpError } from './http-error.js';

/** The status for each account rule broken: conflicts with the current state are 409. */
const ACCOUNT_STATUS: Record<AccountErrorCode, ErrorStatus> = {
  username_taken: 409,
  last_admin: 409,
  cannot_delete_self: 409,
  user_not_found: 404,
  weak_password: 400,
  wrong_password: 400,
};

/** The status for each retention request refused: not found 404, a state conflict 409, bad input 400. */
const RETENTION_STATUS: Record<RetentionErrorCode, ErrorStatus> = {
  strategy_not_found: 404,
  unknown_strategy: 400,
  template_not_found: 400,
  campaign_not_found: 404,
  strategy_retired: 409,
  strategy_not_active: 409,
  empty_target: 400,
  zero_budget: 400,
  invalid_strategy: 400,
  unknown_parameter: 400,
};

/** Logs what a 500 hides from the client. */
export type ErrorLog = (message: string, error: unknown) => void;

/** The response for `error`, thrown while answering `c`. */
export function errorResponse(c: Context, error: unknown, log: ErrorLog): Response {
  const known = asHttpError(error);
  if (known) {
    for (const [name, value] of Object.entries(known.headers)) c.header(name, value);
    return c.json(errorBody(known.code, known.message, known.where), known.status);
  }
  log(`${c.req.method} ${c.req.path} failed`, error);
  return c.json(errorBody('internal', 'internal error; the server log has the details', null), 500);
}

/** The HttpError an error stands for, or null for an unexpected one. */
function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof AccountError) {
    return new HttpError(
      ACCOUNT_STATUS[error.code],
      error.code,
      error.message,
      error.field ? `body.${error.field}` : null,
    );
  }
  if (error instanceof RetentionError) {
    return new HttpError(RETENTION_STATUS[error.code], error.code, error.message, error.where);
  }
  if (error instanceof InputError) {
    return new HttpError(400, 'bad_input', error.message, formatWhere(error.where) || null);
  }
  if (error instanceof HTTPException && error.status >= 400) {
    // Hono's own middleware (body reading) signals this way; keep its status, use our shape.
    return new HttpError(
      error.status as ErrorStatus,
      `http_${error.status}`,
      error.message || 'request refused',
    );
  }
  return null;
}

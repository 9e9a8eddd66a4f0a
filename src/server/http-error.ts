// The one error every route and middleware throws, and the one shape every error answers with:
// `{ "error": { "code", "message", "where" } }`.

import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

export type ErrorStatus = ClientErrorStatusCode | ServerErrorStatusCode;

/** The error body; `where` names the field (`body.role`), header or path at fault, or is null. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'stable, machine-readable, snake_case' }),
      message: z.string().meta({ description: 'for people, in English' }),
      where: z.string().nullable().meta({ description: 'the field, header or path at fault' }),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** An error that answers with `status` and the error body; `headers` such as Retry-After go along. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly where: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The body for an error. */
export function errorBody(code: string, message: string, where: string | null): ErrorBody {
  return { error: { code, message, where } };
}

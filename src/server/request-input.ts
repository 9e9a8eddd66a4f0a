// Reading a request's JSON body and query string through zod: malformed JSON, a wrong content type and
// schema violations each answer 4xx with `where` naming the field, e.g. `body.items[3].amount`.

import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './http-error.js';

/** The JSON body of `c`, checked against `schema`. */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  // Requiring JSON also refuses cross-site HTML form posts, which can only send form or text types.
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `the body must be JSON with Content-Type: application/json, got "${type || 'none'}"`,
      'header Content-Type',
    );
  }
  const text = await c.req.text();
  if (text.trim() === '') throw new HttpError(400, 'malformed_json', 'the request body is empty', 'body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'malformed_json', `the body is not valid JSON: ${reason}`, 'body');
  }
  return check(schema, value, 'body', 'invalid_body');
}

/** The query string of `c` (first value of each name), checked against `schema`. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return check(schema, c.req.query(), 'query', 'invalid_query');
}

function check<S extends z.ZodType>(schema: S, value: unknown, root: string, code: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [first, ...others] = result.error.issues;
  const more =
    others.length === 0 ? '' : ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})`;
  // Unknown keys are reported on the object; name the first key so the client sees which one.
  const path = first.code === 'unrecognized_keys' ? [...first.path, first.keys[0]] : first.path;
  return fail(code, `${first.message}${more}`, fieldPath(root, path));
}

function fail(code: string, message: string, where: string): never {
  throw new HttpError(400, code, message, where);
}

/** `body`, `body.items[3].amount`: a zod issue path as a client would write it. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    root,
  );
}

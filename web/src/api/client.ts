// Calls to the churnwatch API from the browser: JSON in and out, the session cookie sent by the browser,
// the CSRF token (from the readable cw_csrf cookie) echoed on every unsafe request, one error type.

const CSRF_COOKIE = 'cw_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

/** An API answer that was not a success: the server's `{ error: { code, message, where } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The field at fault as the server names it (`body.fields.unitCost`), when it names one. */
    readonly where: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Sends one request to the API; resolves with the parsed body (undefined for 204). */
export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = readCookie(CSRF_COOKIE);
  if (method !== 'GET' && csrf) headers[CSRF_HEADER] = csrf;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text === '' ? null : safeJson(text);
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; where?: string | null } } | null)
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? response.statusText,
      error?.where ?? null,
    );
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

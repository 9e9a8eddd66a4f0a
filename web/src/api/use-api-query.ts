// One GET of the API as React state: loading, then the answer or the error; again whenever the path changes.
// A null path waits (nothing to ask yet); a new `version` asks again (after a change the page made).

import { useEffect, useState } from 'react';
import { apiRequest } from './client';
import { asError } from './use-me-query';

export type ApiQuery<T> =
  | { status: 'loading' }
  | { status: 'done'; data: T }
  | { status: 'error'; error: Error };

/** Queries `path` (GET) on mount and whenever it or `version` changes. */
export function useApiQuery<T>(path: string | null, version = 0): ApiQuery<T> {
  const [query, setQuery] = useState<ApiQuery<T>>({ status: 'loading' });
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `version` repeats the request on purpose.
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setQuery({ status: 'loading' });
    apiRequest<T>('GET', path).then(
      (data) => live && setQuery({ status: 'done', data }),
      (error: unknown) => live && setQuery({ status: 'error', error: asError(error) }),
    );
    return () => {
      live = false;
    };
  }, [path, version]);
  return query;
}

/** `path` with the defined, non-empty `params` as its query string. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

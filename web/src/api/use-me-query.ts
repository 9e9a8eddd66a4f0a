// Reads /api/auth/me when a page opens, so every page checks the session is still alive.

import { useEffect, useState } from 'react';
import { fetchMe, type Me } from './auth';

/** The state of one me query: loading, then the user (null when the session is gone) or an error. */
export type MeQuery =
  | { status: 'loading' }
  | { status: 'done'; me: Me | null }
  | { status: 'error'; error: Error };

/** Queries /api/auth/me once on mount. */
export function useMeQuery(): MeQuery {
  const [query, setQuery] = useState<MeQuery>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    fetchMe().then(
      (me) => live && setQuery({ status: 'done', me }),
      (error: unknown) => live && setQuery({ status: 'error', error: asError(error) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return query;
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

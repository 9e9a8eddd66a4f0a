// The last answer of a query, kept while the query asks again: a list reloaded after a change stays on
// screen (and keeps its place and focus) until the new answer replaces it.

import { useEffect, useState } from 'react';
import type { ApiQuery } from './use-api-query';

/** The data of `query`'s latest answer; undefined until the first one. */
export function useKeptData<T>(query: ApiQuery<T>): T | undefined {
  const [kept, setKept] = useState<T | undefined>(undefined);
  useEffect(() => {
    if (query.status === 'done') setKept(query.data);
  }, [query]);
  return query.status === 'done' ? query.data : kept;
}

// The customer segments to filter by. The API has no list of segments, so they are read from the
// scored customers' rows (up to 600 of them, spread over value order): enough for the segment levels a
// profile table holds.

import { useEffect, useState } from 'react';
import { apiRequest } from './client';
import type { CustomerPage } from './types';

/** The segments seen, sorted; empty while loading or when nothing is scored. */
export function useSegmentsQuery(): string[] {
  const [segments, setSegments] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    const pages = ['desc', 'asc'].map((order) =>
      apiRequest<CustomerPage>('GET', `/api/customers?sort=value&order=${order}&limit=200`),
    );
    pages.push(apiRequest<CustomerPage>('GET', '/api/customers?sort=id&limit=200'));
    Promise.all(pages).then(
      (answers) => {
        const seen = new Set<string>();
        for (const answer of answers) {
          for (const row of answer.customers) if (row.segment) seen.add(row.segment);
        }
        if (live) setSegments([...seen].sort());
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return segments;
}

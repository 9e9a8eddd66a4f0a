// Tier counts over time from GET /api/scores/tiers?period=day|week|month, for the Overview chart.
// A server without that route (404) gives `unavailable`, shown as a labelled empty state.

import { useEffect, useState } from 'react';
import { ApiError, apiRequest } from './client';
import { withQuery } from './use-api-query';
import { asError } from './use-me-query';

export type Period = 'day' | 'week' | 'month';

/** One period's counts per tier. */
export interface TierPoint {
  period: string;
  high: number;
  medium: number;
  low: number;
}

export type TierCountsQuery =
  | { status: 'loading' }
  | { status: 'unavailable' }
  | { status: 'done'; points: TierPoint[] }
  | { status: 'error'; error: Error };

/** Queries the tier counts for `period` (of one segment, or all with ''), again whenever either changes. */
export function useTierCountsQuery(period: Period, segment = ''): TierCountsQuery {
  const [query, setQuery] = useState<TierCountsQuery>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    setQuery({ status: 'loading' });
    apiRequest<unknown>('GET', withQuery('/api/scores/tiers', { period, segment })).then(
      (body) => live && setQuery(toQuery(body)),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 404 && error.code === 'not_found') {
          setQuery({ status: 'unavailable' });
        } else setQuery({ status: 'error', error: asError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [period, segment]);
  return query;
}

/** Reads the answer; an answer of another shape counts as unavailable rather than breaking the page. */
function toQuery(body: unknown): TierCountsQuery {
  const rows = Array.isArray(body) ? body : (body as { points?: unknown } | null)?.points;
  if (!Array.isArray(rows)) return { status: 'unavailable' };
  const points: TierPoint[] = [];
  for (const row of rows as Record<string, unknown>[]) {
    const period = row.period ?? row.date ?? row.start;
    const counts = (row.counts ?? row) as Record<string, unknown>;
    if (typeof period !== 'string') return { status: 'unavailable' };
    points.push({ period, high: num(counts.high), medium: num(counts.medium), low: num(counts.low) });
  }
  return { status: 'done', points };
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

// The at-risk list's filters and sort, and the API query string they make.

import type { Tier } from '../api/types';
import { withQuery } from '../api/use-api-query';

export type SortKey = 'probability' | 'value' | 'id';

export interface CustomerFilters {
  tier: Tier | '';
  segment: string;
  reason: string;
  /** Percent, 0–100, as typed; '' for no bound. */
  minPercent: string;
  maxPercent: string;
  search: string;
  sort: SortKey;
  order: 'asc' | 'desc';
}

export const NO_FILTERS: CustomerFilters = {
  tier: '',
  segment: '',
  reason: '',
  minPercent: '',
  maxPercent: '',
  search: '',
  sort: 'probability',
  order: 'desc',
};

/** GET /api/customers for `filters`, one page of `limit` rows at `offset` (or after `cursor`). */
export function customersPath(
  filters: CustomerFilters,
  page: { limit: number; offset?: number; cursor?: string },
): string {
  return withQuery('/api/customers', {
    tier: filters.tier,
    segment: filters.segment,
    reason: filters.reason,
    minProbability: probability(filters.minPercent),
    maxProbability: probability(filters.maxPercent),
    search: filters.search.trim(),
    sort: filters.sort,
    order: filters.order,
    limit: page.limit,
    offset: page.cursor ? undefined : page.offset,
    cursor: page.cursor,
  });
}

/** A typed percentage as a probability, or undefined when empty or not a number in 0–100. */
function probability(percent: string): number | undefined {
  if (percent.trim() === '') return undefined;
  const value = Number(percent);
  if (!Number.isFinite(value) || value < 0 || value > 100) return undefined;
  return value / 100;
}

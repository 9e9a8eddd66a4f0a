// The alerts inbox's filters and the API query string they make.

import type { AlertStatus, Tier } from '../api/types';
import { withQuery } from '../api/use-api-query';

export interface AlertFilters {
  status: AlertStatus;
  tier: Tier | '';
  segment: string;
  reason: string;
}

export const NO_ALERT_FILTERS: AlertFilters = { status: 'new', tier: '', segment: '', reason: '' };

/** GET /api/alerts for `filters`, one page of `limit` alerts at `offset`. */
export function alertsPath(filters: AlertFilters, page: { limit: number; offset: number }): string {
  return withQuery('/api/alerts', {
    status: filters.status,
    tier: filters.tier,
    segment: filters.segment,
    reason: filters.reason,
    limit: page.limit,
    offset: page.offset,
  });
}

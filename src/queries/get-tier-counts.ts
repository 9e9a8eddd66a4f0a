// At-risk counts by tier over time (R20): per day, week or month, the tiers of the last scoring date in it,
// scored by the newest model version of that date — a snapshot per period, never a sum of days.

import type { SqlCell, SqlParam, SqlRunner } from '../warehouse/warehouse.js';

export type Period = 'day' | 'week' | 'month';

export interface TierCountsPoint {
  /** The first day of the period, `YYYY-MM-DD` (weeks start on Monday). */
  period: string;
  /** The scoring date the counts are from. */
  scoredAt: string;
  modelVersion: number;
  high: number;
  medium: number;
  low: number;
  total: number;
}

/** Tier counts per period, oldest first; `segment` limits them to one segment of the profile. */
export async function getTierCounts(
  db: SqlRunner,
  options: { period: Period; segment?: string },
): Promise<TierCountsPoint[]> {
  const values: SqlParam[] = [];
  let segmentFilter = '';
  if (options.segment !== undefined) {
    segmentFilter = 'AND s.customer_id IN (SELECT customer_id FROM customers WHERE segment = ?)';
    values.push(options.segment);
  }
  const rows = await db.all<Record<string, SqlCell>>(
    `WITH runs AS (
       SELECT scored_at, max(model_version) AS model_version FROM scores GROUP BY scored_at),
     chosen AS (
       SELECT date_trunc('${options.period}', scored_at) AS period, scored_at, model_version FROM runs
       QUALIFY row_number() OVER (PARTITION BY date_trunc('${options.period}', scored_at) ORDER BY scored_at DESC) = 1)
     SELECT strftime(k.period, '%Y-%m-%d') AS period, strftime(k.scored_at, '%Y-%m-%d') AS scored_at,
       k.model_version,
       count(s.customer_id) FILTER (WHERE s.tier = 'high') AS high,
       count(s.customer_id) FILTER (WHERE s.tier = 'medium') AS medium,
       count(s.customer_id) FILTER (WHERE s.tier = 'low') AS low,
       count(s.customer_id) AS total
     FROM chosen AS k LEFT JOIN scores AS s
       ON s.scored_at = k.scored_at AND s.model_version = k.model_version ${segmentFilter}
     GROUP BY k.period, k.scored_at, k.model_version ORDER BY k.period`,
    values,
  );
  return rows.map((row) => ({
    period: String(row.period),
    scoredAt: String(row.scored_at),
    modelVersion: Number(row.model_version),
    high: Number(row.high),
    medium: Number(row.medium),
    low: Number(row.low),
    total: Number(row.total),
  }));
}

// Cohort retention curves (R20): customers grouped by signup month; for each month k after it, the share of
// the cohort not yet lost at the end of month k (k = 0 is the signup month itself). A point is reported once
// it is final in the data (its month's end plus the days a loss needs to show); later points are absent.

import type { ChurnDefinition } from '../labels/churn-definition.js';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import { type ChurnMomentsOptions, churnMomentsSql } from './churn-moments.js';

export interface Cohort {
  /** Signup month, `YYYY-MM-DD` (first day). */
  cohort: string;
  customers: number;
  /** retained[k]: share still a customer at the end of month k after signup; only final months. */
  retained: number[];
}

/** The newest `limit` cohorts with a final point (default 12), oldest first, each with its retention curve. */
export async function getCohortRetention(
  db: SqlRunner,
  definition: ChurnDefinition,
  options: ChurnMomentsOptions & { limit?: number } = {},
): Promise<Cohort[]> {
  const limit = options.limit ?? 12;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit=${limit} must be a whole number ≥ 1`);
  const { ctes, settleDays, params } = churnMomentsSql(definition, options);
  const rows = await db.all<Record<string, SqlCell>>(
    `WITH ${ctes},
cohorts AS (
  SELECT date_trunc('month', signup_at) AS cohort, count(*) AS customers FROM members
  GROUP BY date_trunc('month', signup_at)
  HAVING date_trunc('month', signup_at) + INTERVAL 1 MONTH + INTERVAL '${settleDays}' DAY
    <= (SELECT data_end FROM data_end)
  ORDER BY cohort DESC LIMIT ${limit}
),
offsets AS (
  SELECT c.cohort, c.customers, k.k,
    c.cohort + to_months(CAST(k.k + 1 AS INTEGER)) AS month_end
  FROM cohorts AS c, range(0, 240) AS k(k)
  WHERE c.cohort + to_months(CAST(k.k + 1 AS INTEGER)) + INTERVAL '${settleDays}' DAY
    <= (SELECT data_end FROM data_end)
)
SELECT strftime(o.cohort, '%Y-%m-%d') AS cohort, o.customers, o.k,
  count(b.customer_id) FILTER (WHERE b.lost_at IS NULL OR b.lost_at >= o.month_end) AS retained
FROM offsets AS o JOIN members AS b ON date_trunc('month', b.signup_at) = o.cohort
GROUP BY o.cohort, o.customers, o.k
ORDER BY o.cohort, o.k`,
    params,
  );
  const cohorts = new Map<string, Cohort>();
  for (const row of rows) {
    const key = String(row.cohort);
    let cohort = cohorts.get(key);
    if (!cohort) {
      cohort = { cohort: key, customers: Number(row.customers), retained: [] };
      cohorts.set(key, cohort);
    }
    cohort.retained.push(Number(row.retained) / cohort.customers);
  }
  return [...cohorts.values()];
}

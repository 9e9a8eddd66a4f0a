// When each customer was lost, as the CTEs every churn-rate query starts from (R20). A rate needs a moment of
// loss per customer, which the label query (a yes/no per cutoff) does not give:
//   contractual      the first cancellation
//   non-contractual  the last activity, once H days have passed after it without any (still active: NULL)
//   partial          as non-contractual: a partial drop has no single moment, so rates count full lapses
// Customers with no activity at all count from their signup.

import { activitySql, dataEndSql } from '../labels/activity-sql.js';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import { duckdbDialect } from '../warehouse/sql-dialect.js';

export interface ChurnMomentsOptions {
  /** Only customers of this segment (the profile's `segment`). */
  segment?: string;
  /** Where the data ends, `YYYY-MM-DD[ HH:MM:SS]`; default the latest timestamp in the warehouse. */
  dataEnd?: string;
}

/**
 * `data_start(data_start)` (the first activity or cancellation), `data_end(data_end)` and `members(customer_id, signup_at, lost_at)` as a WITH list (without `WITH`), and
 * the days after a month's end until its losses are final (0 for contractual churn, H otherwise).
 */
export function churnMomentsSql(
  definition: ChurnDefinition,
  options: ChurnMomentsOptions = {},
): { ctes: string; settleDays: number; params: string[] } {
  const s = duckdbDialect.createCompiler();
  const params: string[] = [];
  const segmentFilter = options.segment === undefined ? '' : 'WHERE c.segment = ?';
  if (options.segment !== undefined) params.push(options.segment);
  const dataEnd =
    `data_start AS (\n  SELECT min(t) AS data_start FROM (SELECT min(ts) AS t FROM events UNION ALL ` +
    `SELECT min(ts) FROM transactions UNION ALL SELECT min(cancelled_at) FROM cancellations) AS starts\n),\n` +
    `data_end AS (\n  ${dataEndSql(s, options.dataEnd)}\n)`;
  if (definition.kind === 'contractual') {
    return {
      settleDays: 0,
      params,
      ctes: `${dataEnd},
members AS (
  SELECT c.customer_id, c.signup_at, min(x.cancelled_at) AS lost_at
  FROM customers AS c LEFT JOIN cancellations AS x ON x.customer_id = c.customer_id
  ${segmentFilter}
  GROUP BY c.customer_id, c.signup_at
)`,
    };
  }
  const H = definition.horizonDays;
  return {
    settleDays: H,
    params,
    ctes: `${dataEnd},
activity AS (
  ${activitySql(s, definition.activity)}
),
last_seen AS (
  SELECT customer_id, max(ts) AS last_at FROM activity GROUP BY customer_id
),
members AS (
  SELECT c.customer_id, c.signup_at,
    CASE WHEN (SELECT data_end FROM data_end) >= ${s.plusDays('coalesce(l.last_at, c.signup_at)', H)}
      THEN coalesce(l.last_at, c.signup_at) END AS lost_at
  FROM customers AS c LEFT JOIN last_seen AS l ON l.customer_id = c.customer_id
  ${segmentFilter}
)`,
  };
}

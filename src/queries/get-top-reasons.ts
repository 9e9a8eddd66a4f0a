// The most common main reasons across the at-risk customers now (R14, R20): per driver feature, how many
// high/medium-tier customers have it as their main (first) driver and how many among their drivers at all.

import type { SqlCell, SqlParam, SqlRunner } from '../warehouse/warehouse.js';
import { LATEST_SCORES_SQL } from './latest-scores.js';

export interface TopReason {
  feature: string;
  /** Customers whose strongest driver it is. */
  main: number;
  /** Customers with it among their drivers. */
  anywhere: number;
}

export interface TopReasons {
  tiers: string[];
  /** At-risk customers counted. */
  customers: number;
  reasons: TopReason[];
}

/** The `limit` most common main reasons among customers of `tiers`, optionally of one segment. */
export async function getTopReasons(
  db: SqlRunner,
  options: { tiers: readonly string[]; segment?: string; limit: number },
): Promise<TopReasons> {
  const values: SqlParam[] = [...options.tiers];
  let segmentFilter = '';
  if (options.segment !== undefined) {
    segmentFilter = 'AND customer_id IN (SELECT customer_id FROM customers WHERE segment = ?)';
    values.push(options.segment);
  }
  const atRisk = `SELECT customer_id, json_extract_string(drivers, '$[*].feature') AS features
    FROM (${LATEST_SCORES_SQL}) WHERE tier IN (${options.tiers.map(() => '?').join(', ')}) ${segmentFilter}`;
  const [counted] = await db.all<{ n: number }>(
    `WITH at_risk AS (${atRisk}) SELECT count(*) AS n FROM at_risk`,
    values,
  );
  const rows = await db.all<Record<string, SqlCell>>(
    `WITH at_risk AS (${atRisk}),
     mentions AS (SELECT customer_id, unnest(features) AS feature, generate_subscripts(features, 1) AS rank
       FROM at_risk)
     SELECT feature, count(*) FILTER (WHERE rank = 1) AS main, count(DISTINCT customer_id) AS anywhere
     FROM mentions GROUP BY feature ORDER BY main DESC, anywhere DESC, feature LIMIT ?`,
    [...values, options.limit],
  );
  return {
    tiers: [...options.tiers],
    customers: Number(counted?.n ?? 0),
    reasons: rows.map((row) => ({
      feature: String(row.feature),
      main: Number(row.main),
      anywhere: Number(row.anywhere),
    })),
  };
}

// The at-risk list's materialised input: `latest_scores` holds every customer's latest score with its value
// (spend in the 90 days before the score), rebuilt by each scoring run; its stamp table records what it was
// built from (row count and newest created_at of `scores`, row counts of `transactions` and `cancellations`).
// A reader uses the table only while the stamp still matches; otherwise, or when the table is absent, it
// computes live. (The stamp's name has a version: a stamp of another shape is simply absent.)

import type { SqlRunner } from '../warehouse/warehouse.js';
import { LATEST_SCORES_SQL } from './latest-scores.js';

/** The materialised table: the columns of `scores` but `created_at`, plus `value`. */
export const LATEST_SCORES_TABLE = 'latest_scores';
/** What the table was built from. */
export const LATEST_SCORES_STAMP = 'latest_scores_stamp_v2';

/** The live form of the table's rows: the latest score per customer and its value, as a subquery. */
export const LATEST_SCORES_WITH_VALUE_SQL = `WITH latest AS (SELECT * EXCLUDE (created_at) FROM (${LATEST_SCORES_SQL})),
  spend AS (
    SELECT l.customer_id, sum(t.amount) AS spend FROM latest AS l JOIN transactions AS t
      ON t.customer_id = l.customer_id AND t.ts >= l.scored_at - INTERVAL 90 DAY AND t.ts < l.scored_at
    GROUP BY l.customer_id)
  SELECT l.*, round(coalesce(s.spend, 0), 2) AS value FROM latest AS l LEFT JOIN spend AS s USING (customer_id)`;

/**
 * A one-row query, `fresh`, true when the table matches the current `scores` and `transactions`. Reading it
 * in the same statement as the table keeps the check and the read on one snapshot.
 */
export const LATEST_SCORES_FRESH_SQL = `SELECT coalesce(bool_and(
    s.scores_rows = (SELECT count(*) FROM scores)
    AND s.scores_created IS NOT DISTINCT FROM (SELECT max(created_at) FROM scores)
    AND s.transactions_rows = (SELECT count(*) FROM transactions)
    AND s.cancellations_rows = (SELECT count(*) FROM cancellations)), false) AS fresh
  FROM ${LATEST_SCORES_STAMP} AS s`;

/** Rebuilds `latest_scores` and its stamp from the warehouse as it is (call it after writing scores). */
export async function refreshLatestScoresTable(db: SqlRunner): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${LATEST_SCORES_TABLE} AS ${LATEST_SCORES_WITH_VALUE_SQL}`);
  await db.run(
    `CREATE OR REPLACE TABLE ${LATEST_SCORES_STAMP} AS SELECT
       (SELECT count(*) FROM scores) AS scores_rows, (SELECT max(created_at) FROM scores) AS scores_created,
       (SELECT count(*) FROM transactions) AS transactions_rows,
       (SELECT count(*) FROM cancellations) AS cancellations_rows`,
  );
}

/** Runners known to hold the table (it is never dropped, so a yes is kept; a no is asked again). */
const holders = new WeakSet<SqlRunner>();

/** True when the warehouse holds the table and its stamp (built by some scoring run). */
export async function hasLatestScoresTable(db: SqlRunner): Promise<boolean> {
  if (holders.has(db)) return true;
  const [row] = await db.all<{ n: number }>(
    `SELECT count(*) AS n FROM duckdb_tables()
     WHERE schema_name = 'main' AND table_name IN ('${LATEST_SCORES_TABLE}', '${LATEST_SCORES_STAMP}')`,
  );
  const present = Number(row?.n ?? 0) === 2;
  if (present) holders.add(db);
  return present;
}

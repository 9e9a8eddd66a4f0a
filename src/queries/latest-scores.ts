// The current score of every customer: the newest scoring date, and on that date the newest model version.
// Shared by the queries that read "now" (the at-risk list, the top reasons).

/** A SQL subquery: one row of `scores` per customer, its latest. */
export const LATEST_SCORES_SQL = `SELECT * FROM scores
  QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY scored_at DESC, model_version DESC) = 1`;

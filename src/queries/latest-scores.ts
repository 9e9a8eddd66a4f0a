// The current score of every current customer: the newest scoring date, and on that date the newest model
// version — leaving out customers who cancelled on or after that date: they have left, and a scoring run no
// longer scores them, so their last score would stay "current" for ever. Shared by the queries that read
// "now" (the at-risk list, the top reasons, campaign targets).

/** A SQL subquery: one row of `scores` per current customer, its latest. */
export const LATEST_SCORES_SQL = `SELECT * FROM (SELECT * FROM scores
    QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY scored_at DESC, model_version DESC) = 1) AS s
  WHERE NOT EXISTS (SELECT 1 FROM cancellations AS x
    WHERE x.customer_id = s.customer_id AND x.cancelled_at >= s.scored_at)`;

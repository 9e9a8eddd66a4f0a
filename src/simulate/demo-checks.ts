// What the demo can say because its ground truth is known: did the ingest catch the planted bad rows and keep
// the good ones, and do the risk tiers line up with each customer's true churn hazard?

import type { Warehouse } from '../warehouse/warehouse.js';

/** The ingest's quarantine against the planted bad rows (truth_bad_rows). */
export interface CleaningCheck {
  planted: number;
  /** Planted rows quarantined for the reason they were planted with. */
  caught: number;
  /** Rows quarantined that were not planted: good rows lost. */
  goodQuarantined: number;
  /** Good rows in the files (rows read minus planted). */
  goodRows: number;
  /** (goodRows − goodQuarantined) / goodRows. */
  goodKeptShare: number;
}

/** Mean true monthly churn hazard (the simulation's last month) per tier of one scoring date. */
export interface TierTruth {
  tier: string;
  customers: number;
  meanHazard: number;
}

/** Compares the quarantine with truth_bad_rows; file names are compared by their path under the workspace. */
export async function cleaningCheck(warehouse: Warehouse): Promise<CleaningCheck> {
  const [row] = await warehouse.all<{
    planted: number;
    caught: number;
    quarantined: number;
    read: number;
  }>(
    `SELECT
       (SELECT count(*) FROM truth_bad_rows) AS planted,
       (SELECT count(*) FROM truth_bad_rows b JOIN quarantine q
          ON q.line = b.line AND q.reason = b.kind AND replace(q.file, '\\', '/') LIKE '%/' || b.file) AS caught,
       (SELECT count(*) FROM quarantine) AS quarantined,
       (SELECT coalesce(sum(rows_read), 0) FROM load_log) AS read`,
  );
  const planted = row?.planted ?? 0;
  const caught = row?.caught ?? 0;
  const goodRows = (row?.read ?? 0) - planted;
  const goodQuarantined = (row?.quarantined ?? 0) - caught;
  return {
    planted,
    caught,
    goodQuarantined,
    goodRows,
    goodKeptShare: goodRows > 0 ? (goodRows - goodQuarantined) / goodRows : 1,
  };
}

/** Per tier of the scores at `scoredAt`: customers and their mean true hazard in the last simulated month. */
export async function tierTruth(warehouse: Warehouse, scoredAt: string): Promise<TierTruth[]> {
  return warehouse.all<TierTruth>(
    `SELECT s.tier, count(*) AS customers, avg(h.hazard) AS "meanHazard"
     FROM scores AS s JOIN truth_hazard AS h ON h.customer_id = s.customer_id
     WHERE s.scored_at = CAST(? AS DATE) AND h.month = (SELECT max(month) FROM truth_hazard)
     GROUP BY s.tier ORDER BY avg(h.hazard) DESC`,
    [scoredAt],
  );
}

// The saved return curve of `churnwatch analyze inactivity` (R6), and the horizon it suggests by the same
// default rule: the smallest gap after which fewer than 10% come back, among gaps with ≥ 30 customers.

import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';

/** The default rule of analyze inactivity (src/labels/analyze-inactivity.ts). */
const RETURN_SHARE_BELOW = 0.1;
const MIN_CUSTOMERS = 30;

export interface InactivityCurvePoint {
  gapDays: number;
  inactiveCustomers: number;
  returnedCustomers: number;
  returnShare: number | null;
}

export interface SavedInactivityCurve {
  /** What counted as activity, e.g. `transactions + events(login)`; null before the first analysis. */
  activity: string | null;
  computedAt: string | null;
  points: InactivityCurvePoint[];
  suggestedHorizonDays: number | null;
}

/** The curve as last saved (empty when never computed). */
export async function getInactivityCurve(db: SqlRunner): Promise<SavedInactivityCurve> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT gap_days, inactive_customers, returned_customers, return_share, activity,
       strftime(computed_at, '%Y-%m-%d %H:%M:%S') AS computed_at FROM inactivity_curve ORDER BY gap_days`,
  );
  const points = rows.map((row) => ({
    gapDays: Number(row.gap_days),
    inactiveCustomers: Number(row.inactive_customers),
    returnedCustomers: Number(row.returned_customers),
    returnShare: row.return_share === null ? null : Number(row.return_share),
  }));
  const suggested = points.find(
    (p) =>
      p.returnShare !== null && p.returnShare < RETURN_SHARE_BELOW && p.inactiveCustomers >= MIN_CUSTOMERS,
  );
  return {
    activity: rows[0] ? String(rows[0].activity) : null,
    computedAt: rows[0] ? String(rows[0].computed_at) : null,
    points,
    suggestedHorizonDays: suggested?.gapDays ?? null,
  };
}

// Help choosing the churn horizon H (R6): the return curve. For each gap length k = 1 … maxGapDays, among
// customers who were inactive for at least k days at some point, the share who later came back.
//
// Per customer, from the activity timestamps t1 < t2 < … < tn and the data's end E:
//   longest closed gap  g = max(t(i+1) − t(i))  (0 with one activity)  — a gap the customer came back from
//   open gap            o = E − tn                                       — not (yet) come back
//   inactive for k days ⇔ max(g, o) ≥ k;   came back after k days ⇔ g ≥ k.
// Right-censoring: a customer still inside an open gap may come back after E, so shares for k close to the
// length of the history are underestimates.

import { InputError } from '../errors.js';
import { normalizeCutoff } from '../features/cutoff.js';
import { type Dialect, duckdbDialect } from '../warehouse/sql-dialect.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { activitySql, dataEndSql, describeActivity } from './activity-sql.js';
import type { ActivitySpec } from './churn-definition.js';

export interface InactivityOptions {
  /** What counts as activity (one source or several). */
  source: ActivitySpec | readonly ActivitySpec[];
  /** Longest gap on the curve, in days. */
  maxGapDays: number;
  /** Where the data ends (default: the latest timestamp of any activity table). */
  dataEnd?: string;
  /** Suggest the smallest k whose return share is below this (default 0.10) … */
  returnShareBelow?: number;
  /** … among gap lengths with at least this many inactive customers (default 30), so noise cannot decide. */
  minCustomers?: number;
  dialect?: Dialect;
}

export interface InactivityPoint {
  gapDays: number;
  inactiveCustomers: number;
  returnedCustomers: number;
  /** returned / inactive; null when no customer was inactive that long. */
  returnShare: number | null;
}

export interface InactivityCurve {
  /** e.g. `transactions + events(login)`. */
  activity: string;
  points: InactivityPoint[];
  /** The smallest k with returnShare < returnShareBelow and inactiveCustomers ≥ minCustomers; else null. */
  suggestedHorizonDays: number | null;
  /** The rule in words, for the report. */
  rule: string;
}

/** The return curve and a suggested horizon. */
export async function analyzeInactivity(
  warehouse: Warehouse,
  options: InactivityOptions,
): Promise<InactivityCurve> {
  const specs: readonly ActivitySpec[] = Array.isArray(options.source)
    ? options.source
    : [options.source as ActivitySpec];
  const { maxGapDays } = options;
  if (!(Number.isInteger(maxGapDays) && maxGapDays > 0 && maxGapDays <= 10_000)) {
    throw new InputError(`maxGapDays=${maxGapDays} must be a whole number in [1, 10000]`, {
      key: 'maxGapDays',
    });
  }
  if (specs.length === 0)
    throw new InputError('source must name at least one activity source', { key: 'source' });
  if (options.dataEnd) normalizeCutoff(options.dataEnd);
  const threshold = options.returnShareBelow ?? 0.1;
  const minCustomers = options.minCustomers ?? 30;
  const rows = await warehouse.all<{ gap_days: number; inactive: number; returned: number }>(
    compileInactivitySql(specs, maxGapDays, options),
  );
  const points = rows.map((row) => ({
    gapDays: row.gap_days,
    inactiveCustomers: row.inactive,
    returnedCustomers: row.returned,
    returnShare: row.inactive > 0 ? row.returned / row.inactive : null,
  }));
  const suggested = points.find(
    (p) => p.inactiveCustomers >= minCustomers && p.returnShare !== null && p.returnShare < threshold,
  );
  return {
    activity: describeActivity(specs),
    points,
    suggestedHorizonDays: suggested?.gapDays ?? null,
    rule:
      `the smallest gap k after which fewer than ${Math.round(threshold * 100)}% of the customers ` +
      `inactive that long came back (counting only k with at least ${minCustomers} such customers)`,
  };
}

/** The curve's SQL: per-customer gaps, then histograms summed from the top so the cost is O(customers). */
export function compileInactivitySql(
  specs: readonly ActivitySpec[],
  maxGapDays: number,
  options: Pick<InactivityOptions, 'dataEnd' | 'dialect'> = {},
): string {
  const s = (options.dialect ?? duckdbDialect).createCompiler();
  const id = s.identifier('customer_id');
  const ts = s.identifier('ts');
  const N = s.number(maxGapDays);
  return `WITH activity AS (
  ${activitySql(s, specs)}
),
data_end AS (
  ${dataEndSql(s, options.dataEnd)}
),
gaps AS (
  SELECT ${id}, ${ts}, lag(${ts}) OVER (PARTITION BY ${id} ORDER BY ${ts}) AS previous FROM activity
),
per_customer AS (
  SELECT coalesce(max(${s.daysBetween('previous', ts)}), 0) AS longest_closed_gap,
    ${s.daysBetween(`max(${ts})`, '(SELECT data_end FROM data_end)')} AS open_gap
  FROM gaps
  GROUP BY ${id}
),
reach AS (
  SELECT least(floor(greatest(longest_closed_gap, open_gap)), ${N}) AS inactive_days,
    least(floor(longest_closed_gap), ${N}) AS returned_days
  FROM per_customer
),
inactive_counts AS (SELECT inactive_days AS days, count(*) AS n FROM reach GROUP BY inactive_days),
returned_counts AS (SELECT returned_days AS days, count(*) AS n FROM reach GROUP BY returned_days)
SELECT k.gap_days,
  (SELECT coalesce(sum(n), 0) FROM inactive_counts WHERE days >= k.gap_days) AS inactive,
  (SELECT coalesce(sum(n), 0) FROM returned_counts WHERE days >= k.gap_days) AS returned
FROM generate_series(1, ${N}) AS k(gap_days)
ORDER BY k.gap_days`;
}

/** Replaces the warehouse table `inactivity_curve` (the dashboard's source) with `curve`. */
export async function saveInactivityCurve(
  warehouse: Warehouse,
  curve: InactivityCurve,
  now: Date = new Date(),
): Promise<void> {
  const at = now.toISOString().slice(0, 19).replace('T', ' ');
  await warehouse.transaction(async (tx) => {
    await tx.run('DELETE FROM inactivity_curve');
    for (let start = 0; start < curve.points.length; start += 500) {
      const chunk = curve.points.slice(start, start + 500);
      const params = chunk.flatMap((p) => [
        p.gapDays,
        p.inactiveCustomers,
        p.returnedCustomers,
        p.returnShare,
        curve.activity,
        at,
      ]);
      await tx.run(
        `INSERT INTO inactivity_curve (gap_days, inactive_customers, returned_customers, return_share, activity,
          computed_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))').join(', ')}`,
        params,
      );
    }
  });
}

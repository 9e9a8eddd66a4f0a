// Customer churn per calendar month, as businesses report it (R20): customers lost during the month over the
// customers at its start, and that rate annualised. A month's figure is final once its end plus the time a
// loss needs to show (H days for lapse-based churn) has passed in the data; until then it is left out
// (null), never shown low.

import type { ChurnDefinition } from '../labels/churn-definition.js';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import { type ChurnMomentsOptions, churnMomentsSql } from './churn-moments.js';

export interface MonthlyChurnPoint {
  /** First day of the month, `YYYY-MM-DD`. */
  month: string;
  /** Customers signed up before the month and not lost before it. */
  customersAtStart: number;
  /** Of those, lost during the month; null while the month is not final. */
  lost: number | null;
  newCustomers: number;
  /** lost / customersAtStart; null while not final or with no customers at the start. */
  rate: number | null;
  /** 1 − (1 − rate)^12: the share lost in a year at this month's pace. */
  annualised: number | null;
}

export interface CustomerChurn {
  months: MonthlyChurnPoint[];
  /** The mean monthly rate over the last (up to) 12 final months, and that mean annualised. */
  trailingMonthlyRate: number | null;
  trailingAnnualised: number | null;
  /** How many final months the trailing figures average. */
  trailingMonths: number;
}

/** 1 − (1 − monthly)^12. */
export function annualise(monthlyRate: number): number {
  return 1 - (1 - monthlyRate) ** 12;
}

/** Monthly customer churn from the month the data (or the first signup) starts to the month it ends. */
export async function getCustomerChurn(
  db: SqlRunner,
  definition: ChurnDefinition,
  options: ChurnMomentsOptions = {},
): Promise<CustomerChurn> {
  const { ctes, settleDays, params } = churnMomentsSql(definition, options);
  const rows = await db.all<Record<string, SqlCell>>(
    `WITH ${ctes},
months AS (
  SELECT unnest(generate_series(
    (SELECT date_trunc('month', greatest(min(signup_at), (SELECT data_start FROM data_start))) FROM members),
    (SELECT date_trunc('month', data_end) FROM data_end),
    INTERVAL 1 MONTH)) AS month_start
)
SELECT strftime(m.month_start, '%Y-%m-%d') AS month,
  count(b.customer_id) FILTER (WHERE b.signup_at < m.month_start
    AND (b.lost_at IS NULL OR b.lost_at >= m.month_start)) AS at_start,
  count(b.customer_id) FILTER (WHERE b.signup_at < m.month_start
    AND b.lost_at >= m.month_start AND b.lost_at < m.month_start + INTERVAL 1 MONTH) AS lost,
  count(b.customer_id) FILTER (WHERE b.signup_at >= m.month_start
    AND b.signup_at < m.month_start + INTERVAL 1 MONTH) AS new_customers,
  (SELECT data_end FROM data_end) >= m.month_start + INTERVAL 1 MONTH + INTERVAL '${settleDays}' DAY AS final
FROM months AS m CROSS JOIN members AS b
GROUP BY m.month_start ORDER BY m.month_start`,
    params,
  );
  const months = rows.map((row): MonthlyChurnPoint => {
    const atStart = Number(row.at_start);
    const final = row.final === true;
    const lost = final ? Number(row.lost) : null;
    const rate = lost !== null && atStart > 0 ? lost / atStart : null;
    return {
      month: String(row.month),
      customersAtStart: atStart,
      lost,
      newCustomers: Number(row.new_customers),
      rate,
      annualised: rate === null ? null : annualise(rate),
    };
  });
  const trailing = months.filter((m) => m.rate !== null).slice(-12);
  const mean =
    trailing.length === 0 ? null : trailing.reduce((sum, m) => sum + (m.rate ?? 0), 0) / trailing.length;
  return {
    months,
    trailingMonthlyRate: mean,
    trailingAnnualised: mean === null ? null : annualise(mean),
    trailingMonths: trailing.length,
  };
}

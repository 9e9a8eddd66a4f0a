// Revenue churn and net revenue retention per month from the transactions (R20). A customer's revenue in a
// month is the sum of its transactions then (the MRR of a subscription business; plain monthly revenue of a
// shop, where months without a purchase show as contraction). For month M against the base month B (M − 1
// for monthly figures, M − 12 for annual), over the customers with revenue in B:
//   NRR  = Σ revenue(M) / Σ revenue(B)                       expansion counts, lost customers give 0
//   GRR  = Σ min(revenue(M), revenue(B)) / Σ revenue(B)      no expansion: what was kept of the base
//   revenue churn = 1 − GRR, of which `lostRevenue` is the base revenue of customers lost in M.
// Only complete months are reported (the month the data ends in is partial).

import type { ChurnDefinition } from '../labels/churn-definition.js';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import { type ChurnMomentsOptions, churnMomentsSql } from './churn-moments.js';

export interface RevenueRetentionPoint {
  /** First day of the month, `YYYY-MM-DD`. */
  month: string;
  /** Revenue of all customers in the month. */
  revenue: number;
  /** Revenue in the month before of the customers who had any. */
  baseRevenue: number;
  /** Base revenue of the customers lost during the month (by the churn definition). */
  lostRevenue: number;
  revenueChurn: number | null;
  grossRevenueRetention: number | null;
  netRevenueRetention: number | null;
  /** Net revenue retention against the same month a year before; null in the first 12 months. */
  annualNetRevenueRetention: number | null;
}

/** Monthly revenue retention, oldest first, over the complete months of the data. */
export async function getRevenueRetention(
  db: SqlRunner,
  definition: ChurnDefinition,
  options: ChurnMomentsOptions = {},
): Promise<RevenueRetentionPoint[]> {
  const { ctes, params } = churnMomentsSql(definition, options);
  const rows = await db.all<Record<string, SqlCell>>(
    `WITH ${ctes},
monthly AS (
  SELECT t.customer_id, date_trunc('month', t.ts) AS month, sum(t.amount) AS revenue
  FROM transactions AS t JOIN members AS b ON b.customer_id = t.customer_id
  WHERE t.ts < (SELECT date_trunc('month', data_end) FROM data_end)
  GROUP BY t.customer_id, date_trunc('month', t.ts)
),
months AS (SELECT DISTINCT month FROM monthly),
pairs AS (
  SELECT m.month, 1 AS lag, base.customer_id, base.revenue AS base_revenue,
    coalesce(now_.revenue, 0) AS revenue
  FROM months AS m
  JOIN monthly AS base ON base.month = m.month - INTERVAL 1 MONTH
  LEFT JOIN monthly AS now_ ON now_.customer_id = base.customer_id AND now_.month = m.month
  UNION ALL
  SELECT m.month, 12 AS lag, base.customer_id, base.revenue, coalesce(now_.revenue, 0)
  FROM months AS m
  JOIN monthly AS base ON base.month = m.month - INTERVAL 12 MONTH
  LEFT JOIN monthly AS now_ ON now_.customer_id = base.customer_id AND now_.month = m.month
),
retention AS (
  SELECT p.month,
    sum(p.base_revenue) FILTER (WHERE p.lag = 1) AS base_revenue,
    sum(p.revenue) FILTER (WHERE p.lag = 1) AS kept_net,
    sum(least(p.revenue, p.base_revenue)) FILTER (WHERE p.lag = 1) AS kept_gross,
    sum(p.base_revenue) FILTER (WHERE p.lag = 1 AND b.lost_at >= p.month
      AND b.lost_at < p.month + INTERVAL 1 MONTH) AS lost_revenue,
    sum(p.base_revenue) FILTER (WHERE p.lag = 12) AS base_revenue_12,
    sum(p.revenue) FILTER (WHERE p.lag = 12) AS kept_net_12
  FROM pairs AS p JOIN members AS b ON b.customer_id = p.customer_id
  GROUP BY p.month
)
SELECT strftime(m.month, '%Y-%m-%d') AS month,
  (SELECT sum(revenue) FROM monthly WHERE monthly.month = m.month) AS revenue,
  r.base_revenue, r.kept_net, r.kept_gross, r.lost_revenue, r.base_revenue_12, r.kept_net_12
FROM months AS m LEFT JOIN retention AS r ON r.month = m.month
ORDER BY m.month`,
    params,
  );
  return rows.map((row) => {
    const base = Number(row.base_revenue ?? 0);
    const base12 = Number(row.base_revenue_12 ?? 0);
    const share = (kept: SqlCell, of: number) => (of > 0 ? Number(kept ?? 0) / of : null);
    const gross = share(row.kept_gross, base);
    return {
      month: String(row.month),
      revenue: Number(row.revenue ?? 0),
      baseRevenue: base,
      lostRevenue: Number(row.lost_revenue ?? 0),
      revenueChurn: gross === null ? null : 1 - gross,
      grossRevenueRetention: gross,
      netRevenueRetention: share(row.kept_net, base),
      annualNetRevenueRetention: share(row.kept_net_12, base12),
    };
  });
}

// The simulator's truth about a campaign played in the demo: for its members, the mean of (churned with the
// action − churned without it) within the horizon — the effect the measured treated − control difference
// estimates — overall and per strategy. Null outside the demo or before the campaign's months were played.

import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';

export interface TrueEffect {
  customers: number;
  /** Mean of churned with the action − churned without it: negative when the action keeps customers. */
  effect: number;
  churnWithAction: number;
  churnWithoutAction: number;
}

export interface CampaignTruth extends TrueEffect {
  strategies: (TrueEffect & { strategyId: string })[];
}

/** The true effect of campaign `campaignId` on its members, or null when the simulator has none. */
export async function getCampaignTruth(
  warehouse: Warehouse,
  campaignId: string,
): Promise<CampaignTruth | null> {
  const [table] = await warehouse.all<{ n: number }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'truth_campaign'",
  );
  if (!table || Number(table.n) === 0) return null;
  const rows = await warehouse.all<Record<string, SqlCell>>(
    `SELECT coalesce(m.strategy_id, '') AS strategy_id, count(*) AS customers,
       avg(CAST(t.churned_with_action AS INTEGER)) AS with_action,
       avg(CAST(t.churned_without_action AS INTEGER)) AS without_action
     FROM campaign_members AS m
     JOIN truth_campaign AS t ON t.customer_id = m.customer_id AND t.treated_on = m.scored_at
     WHERE m.campaign_id = ?
     GROUP BY ROLLUP (m.strategy_id)
     ORDER BY m.strategy_id NULLS FIRST`,
    [campaignId],
  );
  const effects = rows.map((row) => {
    const withAction = Number(row.with_action);
    const withoutAction = Number(row.without_action);
    return {
      strategyId: String(row.strategy_id),
      customers: Number(row.customers),
      effect: withAction - withoutAction,
      churnWithAction: withAction,
      churnWithoutAction: withoutAction,
    };
  });
  const overall = effects.find((e) => e.strategyId === '');
  if (!overall || overall.customers === 0) return null;
  const { strategyId: _, ...total } = overall;
  return { ...total, strategies: effects.filter((e) => e !== overall) };
}

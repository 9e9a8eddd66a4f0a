// Measuring a campaign (R19): once the churn horizon after its start has passed in the data, treated and
// held-out control members are compared on churn (by the workspace's definition), repurchase and value over
// the horizon — overall and per strategy — with intervals, p-values, cost per saved customer and ROI.
// A strategy whose effect is confidently below the bar is flagged for retirement. The per-strategy counts are
// kept in strategy_measurements, from which save rates are re-estimated.

import { normalizeCutoff } from '../features/cutoff.js';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import { compileLabelQuery } from '../labels/compile-labels.js';
import { TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';
import { bootstrapMeanDifference } from './bootstrap.js';
import { type CampaignEconomics, campaignEconomics } from './campaign-economics.js';
import { compareProportions, type ProportionDifference } from './experiment-stats.js';

export interface MeasureOptions {
  definition: ChurnDefinition;
  /**
   * The smallest churn reduction (control − treated, a share) worth a strategy's cost: below it with 95%
   * confidence the strategy is flagged `retire`; below it at the point estimate only, `watch`.
   */
  retireBelow?: number;
  /** Where the data ends; default the latest timestamp in the warehouse. */
  dataEnd?: string;
  /** Measured at (epoch ms), for strategy_measurements. */
  now: number;
}

/** Revenue within the horizon: means, and treated − control with its bootstrap interval (null below 2 a side). */
export interface ValueDifference {
  treatedMean: number;
  controlMean: number;
  difference: number;
  low: number | null;
  high: number | null;
  pValue: number | null;
}

/** Treated against control on one set of members. */
export interface ArmComparison {
  treated: number;
  control: number;
  treatedChurned: number;
  controlChurned: number;
  /** Churn: rates, the difference treated − control with its interval and p-value. */
  churn: ProportionDifference;
  /** Any purchase within the horizon. */
  repurchase: ProportionDifference;
  value: ValueDifference;
  economics: CampaignEconomics;
}

export type Verdict = 'keep' | 'watch' | 'retire' | 'too_small';

export interface StrategyMeasurement extends ArmComparison {
  strategyId: string;
  verdict: Verdict;
}

export type CampaignMeasurement =
  | {
      status: 'not_yet_measurable';
      campaignId: string;
      startsOn: string;
      horizonDays: number;
      /** The first day the data must reach for the horizon to have passed. */
      measurableOn: string;
      treated: number;
      control: number;
    }
  | {
      status: 'measured';
      campaignId: string;
      startsOn: string;
      horizonDays: number;
      measurableOn: string;
      overall: ArmComparison;
      strategies: StrategyMeasurement[];
      /** Members the churn definition could not label (e.g. no baseline activity under partial churn). */
      unlabelled: number;
    };

interface MemberOutcome {
  arm: 'treated' | 'control';
  strategyId: string;
  unitCost: number;
  value: number;
  churned: boolean;
  repurchased: boolean;
  revenue: number;
}

const MS_PER_DAY = 86_400_000;

/** Measures campaign `campaignId`; null when there is no such campaign. */
export async function measureCampaign(
  warehouse: Warehouse,
  campaignId: string,
  options: MeasureOptions,
): Promise<CampaignMeasurement | null> {
  const [campaign] = await warehouse.all<Record<string, SqlCell>>(
    `SELECT c.seed, strftime(max(m.scored_at), '%Y-%m-%d') AS starts_on,
       count(*) FILTER (WHERE m.arm = 'treated') AS treated, count(*) FILTER (WHERE m.arm = 'control') AS control
     FROM campaigns AS c JOIN campaign_members AS m ON m.campaign_id = c.id
     WHERE c.id = ? GROUP BY c.seed`,
    [campaignId],
  );
  if (!campaign) return null;
  const startsOn = String(campaign.starts_on);
  const H = options.definition.horizonDays;
  const measurableOn = new Date(Date.parse(`${startsOn}T00:00:00Z`) + H * MS_PER_DAY)
    .toISOString()
    .slice(0, 10);
  const base = { campaignId, startsOn, horizonDays: H, measurableOn };
  const members = await memberOutcomes(warehouse, campaignId, startsOn, options);
  if (members === null) {
    return {
      status: 'not_yet_measurable',
      ...base,
      treated: Number(campaign.treated),
      control: Number(campaign.control),
    };
  }
  const labelled = members.filter((m): m is MemberOutcome => m !== undefined);
  const seed = Number(campaign.seed);
  const overall = compareArms(labelled, seed);
  const byStrategy = new Map<string, MemberOutcome[]>();
  for (const member of labelled) {
    const list = byStrategy.get(member.strategyId) ?? [];
    list.push(member);
    byStrategy.set(member.strategyId, list);
  }
  const strategies: StrategyMeasurement[] = [];
  for (const [strategyId, list] of [...byStrategy].sort(([a], [b]) => a.localeCompare(b))) {
    const comparison = compareArms(list, seed);
    if (!comparison) continue;
    strategies.push({
      strategyId,
      ...comparison,
      verdict: verdictOf(comparison, options.retireBelow ?? 0.01),
    });
  }
  await saveMeasurements(warehouse, campaignId, strategies, options.now);
  if (!overall) {
    return {
      status: 'not_yet_measurable',
      ...base,
      treated: Number(campaign.treated),
      control: Number(campaign.control),
    };
  }
  return {
    status: 'measured',
    ...base,
    overall,
    strategies,
    unlabelled: members.length - labelled.length,
  };
}

/**
 * Each member's outcome over [start, start + H): churned by the definition, any purchase, revenue. Null while
 * the horizon has not passed in the data; undefined entries for members the definition leaves unlabelled.
 */
async function memberOutcomes(
  warehouse: Warehouse,
  campaignId: string,
  startsOn: string,
  options: MeasureOptions,
): Promise<(MemberOutcome | undefined)[] | null> {
  const T = normalizeCutoff(startsOn);
  const labels = compileLabelQuery(
    options.definition,
    T,
    options.dataEnd === undefined ? {} : { dataEnd: options.dataEnd },
  );
  const H = options.definition.horizonDays;
  const rows = await warehouse.all<Record<string, SqlCell>>(
    `WITH labels AS (
${labels}
), spend AS (
  SELECT customer_id, count(*) AS purchases, sum(amount) AS revenue FROM transactions
  WHERE ts >= TIMESTAMP '${T}' AND ts < TIMESTAMP '${T}' + INTERVAL '${H}' DAY
    AND customer_id IN (SELECT customer_id FROM campaign_members WHERE campaign_id = ?)
  GROUP BY customer_id
)
SELECT m.arm, m.strategy_id, m.unit_cost, m.value, l.customer_id IS NOT NULL AS labelled, l.churned,
  coalesce(s.purchases, 0) AS purchases, coalesce(s.revenue, 0) AS revenue
FROM campaign_members AS m
LEFT JOIN labels AS l ON l.customer_id = m.customer_id
LEFT JOIN spend AS s ON s.customer_id = m.customer_id
WHERE m.campaign_id = ?
ORDER BY m.customer_id`,
    [campaignId, campaignId],
  );
  if (rows.some((row) => row.labelled === true && row.churned === null)) return null;
  return rows.map((row) =>
    row.labelled === true
      ? {
          arm: row.arm === 'treated' ? 'treated' : 'control',
          strategyId: String(row.strategy_id),
          unitCost: Number(row.unit_cost),
          value: Number(row.value),
          churned: Number(row.churned) === 1,
          repurchased: Number(row.purchases) > 0,
          revenue: Number(row.revenue),
        }
      : undefined,
  );
}

/** Treated against control, or null when either arm is empty. */
function compareArms(members: readonly MemberOutcome[], seed: number): ArmComparison | null {
  const treated = members.filter((m) => m.arm === 'treated');
  const control = members.filter((m) => m.arm === 'control');
  if (treated.length === 0 || control.length === 0) return null;
  const counts = (list: MemberOutcome[], test: (m: MemberOutcome) => boolean) => ({
    n: list.length,
    events: list.reduce((sum, m) => sum + (test(m) ? 1 : 0), 0),
  });
  const churned = (m: MemberOutcome) => m.churned;
  const repurchased = (m: MemberOutcome) => m.repurchased;
  const revenue = (list: MemberOutcome[]) => Float64Array.from(list, (m) => m.revenue);
  const mean = (values: Float64Array) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const treatedRevenue = revenue(treated);
  const controlRevenue = revenue(control);
  const means = { treatedMean: mean(treatedRevenue), controlMean: mean(controlRevenue) };
  const value: ValueDifference =
    treated.length >= 2 && control.length >= 2
      ? { ...means, ...bootstrapMeanDifference(treatedRevenue, controlRevenue, { seed }) }
      : { ...means, difference: means.treatedMean - means.controlMean, low: null, high: null, pValue: null };
  const unitCost = treated.reduce((sum, m) => sum + m.unitCost, 0) / treated.length;
  const meanValue = members.reduce((sum, m) => sum + m.value, 0) / members.length;
  const treatedChurn = counts(treated, churned);
  const controlChurn = counts(control, churned);
  return {
    treated: treated.length,
    control: control.length,
    treatedChurned: treatedChurn.events,
    controlChurned: controlChurn.events,
    churn: compareProportions(treatedChurn, controlChurn),
    repurchase: compareProportions(counts(treated, repurchased), counts(control, repurchased)),
    value,
    economics: campaignEconomics({
      treated: treatedChurn,
      control: controlChurn,
      treatedCount: treated.length,
      unitCost,
      meanCustomerValue: meanValue,
    }),
  };
}

/** keep / watch / retire by the churn reduction's interval against the bar; too_small when groups are. */
function verdictOf(comparison: ArmComparison, bar: number): Verdict {
  if (comparison.churn.tooSmall) return 'too_small';
  const { churnReduction, churnReductionHigh } = comparison.economics;
  if (churnReductionHigh < bar) return 'retire';
  if (churnReduction < bar) return 'watch';
  return 'keep';
}

async function saveMeasurements(
  warehouse: Warehouse,
  campaignId: string,
  strategies: readonly StrategyMeasurement[],
  now: number,
): Promise<void> {
  await warehouse.transaction(async (tx) => {
    await tx.run('DELETE FROM strategy_measurements WHERE campaign_id = ?', [campaignId]);
    for (const s of strategies) {
      await tx.run(
        `INSERT INTO strategy_measurements (campaign_id, strategy_id, treated, treated_churned, control,
           control_churned, measured_at) VALUES (?, ?, ?, ?, ?, ?, ${TIMESTAMP_PARAM})`,
        [campaignId, s.strategyId, s.treated, s.treatedChurned, s.control, s.controlChurned, now],
      );
    }
  });
}

// Playing the demo workspace forward (the end of the predict → act → measure loop in the demo): the business
// goes on for more months with the actions of the campaigns that start in them applied to their treated
// members, the new rows are ingested, the ground truth reloaded and every customer scored again at the new
// "now" — so campaign results become measurable next to the simulator's truth.

import type { Config } from '../config/config-schema.js';
import { scoreWorkspace } from '../scoring/score-workspace.js';
import { ingest } from '../warehouse/ingest.js';
import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';
import type { SimulatedAction } from './action-effects.js';
import { readDemoSettings } from './demo-marker.js';
import { loadGroundTruth } from './ground-truth.js';
import type { CampaignAction } from './play-forward.js';
import { playForwardInWorker } from './play-in-worker.js';

export interface PlayDemoOptions {
  workspace: string;
  config: Config;
  /** Calendar months to play (1–12). */
  months: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface PlayDemoResult {
  from: string;
  to: string;
  rows: number;
  churned: number;
  /** Campaigns whose actions were applied, and their customers (treated and control). */
  campaigns: string[];
  campaignCustomers: number;
  /** The new scoring date and how many customers were scored. */
  scoredAt: string;
  scored: number;
}

/**
 * What the simulated customers live through for each strategy action kind: the library's kinds beyond the
 * simulator's five map to the nearest one (an adviser or onboarding call is a service call; a rate bonus,
 * upgrade or trial extension a loyalty gesture).
 */
const SIMULATED: Record<string, SimulatedAction> = {
  coupon: 'coupon',
  discount: 'coupon',
  service_call: 'service_call',
  personal_adviser: 'service_call',
  onboarding_call: 'service_call',
  reengagement: 'reengagement',
  competitor_match: 'competitor_match',
  loyalty_bonus: 'loyalty_bonus',
  rate_bonus: 'loyalty_bonus',
  plan_upgrade: 'loyalty_bonus',
  trial_extension: 'loyalty_bonus',
};

/** Plays `months` more months of the demo business in `workspace`; see the header. */
export async function playDemo(warehouse: Warehouse, options: PlayDemoOptions): Promise<PlayDemoResult> {
  const { workspace, config, months, onProgress } = options;
  const settings = readDemoSettings(workspace);
  const members = await startingCampaignMembers(warehouse, months);
  const campaign = members.map(campaignAction);
  const summary = await playForwardInWorker(workspace, settings, {
    months,
    campaign,
    horizonDays: config.churn.horizon_days,
    onProgress: (done, total) => onProgress?.('simulating', done, total),
  });
  await ingest(warehouse, config, {
    now: summary.dataEnd,
    onProgress: (p) => onProgress?.(`ingest ${p.source}`, p.done, p.total),
  });
  await loadGroundTruth(warehouse, workspace);
  const scored = await scoreWorkspace(warehouse, {
    workspace,
    config,
    onProgress: (done, total) => onProgress?.('scoring', done, total),
  });
  return {
    from: summary.from,
    to: summary.to,
    rows: Object.values(summary.rows).reduce((a, b) => a + b, 0),
    churned: summary.churned,
    campaigns: [...new Set(members.map((m) => m.campaignId))],
    campaignCustomers: campaign.length,
    scoredAt: scored.scoredAt,
    scored: scored.scores.length,
  };
}

interface Member {
  campaignId: string;
  customerId: string;
  arm: string;
  startsOn: string;
  actionKind: string;
  parameters: Record<string, unknown>;
}

/**
 * Members of the campaigns that start within the months to be played (their scoring date is after the data's
 * end), one per customer: a customer in two such campaigns keeps the first one's action.
 */
async function startingCampaignMembers(warehouse: Warehouse, months: number): Promise<Member[]> {
  const rows = await warehouse.all<Record<string, SqlCell>>(
    `WITH data_end AS (
       SELECT max(t) AS t FROM (SELECT max(ts) AS t FROM events UNION ALL SELECT max(ts) FROM transactions)
     )
     SELECT m.campaign_id, m.customer_id, m.arm, strftime(m.scored_at, '%Y-%m-%d') AS starts_on,
       s.action_kind, m.parameters
     FROM campaign_members AS m JOIN strategies AS s ON s.id = m.strategy_id
     WHERE m.scored_at > (SELECT t FROM data_end)
       AND m.scored_at < date_trunc('month', (SELECT t FROM data_end)) + to_months(CAST(? AS INTEGER) + 1)
     QUALIFY row_number() OVER (PARTITION BY m.customer_id ORDER BY m.scored_at, m.campaign_id) = 1
     ORDER BY m.customer_id`,
    [months],
  );
  return rows.map((row) => ({
    campaignId: String(row.campaign_id),
    customerId: String(row.customer_id),
    arm: String(row.arm),
    startsOn: String(row.starts_on),
    actionKind: String(row.action_kind),
    parameters: JSON.parse(String(row.parameters)) as Record<string, unknown>,
  }));
}

/** A campaign member as the simulator's treatment (the control group's is what it would have lived). */
function campaignAction(member: Member): CampaignAction {
  const number = (key: string) => {
    const value = member.parameters[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  const action = SIMULATED[member.actionKind] ?? 'loyalty_bonus';
  const discount = number('discount');
  const amount = number('amount');
  const validityDays = number('validityDays');
  return {
    customerId: member.customerId,
    group: member.arm === 'treated' ? 'treated' : 'control',
    action,
    on: member.startsOn,
    ...(action === 'coupon' && discount !== undefined && discount > 0 && discount <= 1
      ? { discountShare: discount }
      : {}),
    ...(action === 'coupon' && discount === undefined && amount !== undefined && amount > 0
      ? { amount }
      : {}),
    ...(validityDays !== undefined && Number.isInteger(validityDays) ? { validityDays } : {}),
  };
}

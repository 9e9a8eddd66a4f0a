// Campaigns (R18): preview and launch. Both choose the target the same way — candidates (campaign-target.ts),
// strategies matched or assigned within the budgets (match-strategies.ts), then a seeded, tier-stratified
// hold-out (holdout.ts) — so a launch right after a preview gives what the preview showed. A launch writes
// the campaign, its members and one action per treated member in one transaction, audited.
//
// Ranked by uplift (`ranking: 'uplift'`), a strategy whose action kind has an uplift model (uplift-model.ts,
// built by the caller and passed in) is priced by each customer's estimated churn reduction; the others keep
// risk × save rate, and the plan's `rankingNotes` say which strategy was priced how, and why.
//
// The budget bounds what the chosen target would cost; the control group then gets nothing, so the spend is
// the treated share of it. A budget of 0 is refused (RetentionError `zero_budget`): it could select no one,
// and "no limit" is said by leaving the budget out.

import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../security/audit-log.js';
import { recordAudit } from '../security/audit-log.js';
import { TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlRunner } from '../warehouse/warehouse.js';
import { readTargetCustomers, type TargetCustomer, type TargetFilter } from './campaign-target.js';
import type { CauseTag } from './cause-tags.js';
import { assignHoldout, DEFAULT_CONTROL_SHARE, type Group } from './holdout.js';
import { type Assignment, matchStrategies, type UnmatchedReason } from './match-strategies.js';
import { RetentionError } from './retention-error.js';
import { DEFAULT_PRIOR_WEIGHT, estimateSaveRate, type MeasuredOutcome } from './save-rates.js';
import type { Strategy } from './strategy.js';
import { loadParameterOverrides } from './strategy-overrides.js';
import { listStrategies, spentByStrategy } from './strategy-store.js';
import type { UpliftModels } from './uplift-model.js';

/** The tiers a target covers when it names neither tiers nor customers: the customers at risk. */
export const DEFAULT_TARGET_TIERS: readonly string[] = ['high', 'medium'];

/** How a campaign's target and strategies are chosen. */
export interface CampaignRequest {
  name: string;
  /** `match`: the best active strategy per customer; `assign`: the one strategy in `strategyIds` for all. */
  mode: 'match' | 'assign';
  /** match: only these strategies (default every active one); assign: exactly one. */
  strategyIds?: readonly string[];
  /** Without tiers or customer ids, the DEFAULT_TARGET_TIERS. */
  target: TargetFilter;
  /** null for no limit; 0 is refused. */
  budget: number | null;
  controlShare?: number;
  /** The hold-out's seed; default derived from the launch time (and stored, so the split can be redone). */
  seed?: number;
  /** k of the save-rate shrinkage (save-rates.ts). */
  priorWeight?: number;
  /** `risk` (default): P(churn) × value × save rate; `uplift`: the uplift models' estimates where there are some. */
  ranking?: 'risk' | 'uplift';
}

/** How one strategy's pairs were priced under uplift ranking, and why. */
export interface RankingNote {
  strategyId: string;
  actionKind: string;
  basis: 'risk' | 'uplift';
  /** Why uplift could not be used (null when it was). */
  reason: string | null;
}

/** A member as planned: the assignment, its group and the score behind it. */
export interface PlannedMember extends Assignment {
  arm: Group;
  causes: CauseTag[];
  scoredAt: string;
  modelVersion: number;
}

/** Per strategy: how many members it got and what the treated ones cost and are expected to return. */
export interface StrategyShare {
  strategyId: string;
  treated: number;
  control: number;
  cost: number;
  expectedNetValue: number;
  saveRate: number;
}

/** One tier's part of a campaign. */
export interface TierShare {
  tier: string;
  candidates: number;
  treated: number;
  control: number;
}

/** What a campaign would be (preview) or is (launch). */
export interface CampaignPlan {
  /** Customers the target filter admitted. */
  candidates: number;
  members: PlannedMember[];
  treated: number;
  control: number;
  /** Unit costs of the treated members. */
  cost: number;
  /** Expected net value of the treated members. */
  expectedNetValue: number;
  byStrategy: StrategyShare[];
  /** Per tier (high, medium, low): candidates the target admitted, and members treated and held out. */
  byTier: TierShare[];
  /** Candidates left out, by reason. */
  unmatched: Record<UnmatchedReason, number>;
  controlShare: number;
  seed: number;
  priorWeight: number;
  ranking: 'risk' | 'uplift';
  /** Per strategy under uplift ranking (empty under risk ranking). */
  rankingNotes: RankingNote[];
}

/** Plans a campaign without writing anything; `uplift` is needed for `ranking: 'uplift'` (else risk is used). */
export async function previewCampaign(
  db: SqlRunner,
  request: CampaignRequest,
  now: number,
  uplift: UpliftModels | null = null,
): Promise<CampaignPlan> {
  return planCampaign(db, request, now, uplift);
}

/**
 * Launches a campaign in one transaction (pass the transaction's runner): writes it, its members and actions,
 * and the audit entry. Throws RetentionError `empty_target` when no customer would be treated.
 */
export async function launchCampaign(
  tx: SqlRunner,
  request: CampaignRequest,
  actor: Actor,
  now: number,
  uplift: UpliftModels | null = null,
): Promise<{ id: string; plan: CampaignPlan }> {
  const plan = await planCampaign(tx, request, now, uplift);
  if (plan.treated === 0) {
    throw new RetentionError(
      'empty_target',
      `no customer would be treated: ${plan.candidates} candidates, left out ${JSON.stringify(plan.unmatched)}`,
      'body.target',
    );
  }
  const id = randomUUID();
  await tx.run(
    `INSERT INTO campaigns (id, name, mode, source, budget, control_share, seed, prior_weight, treated, control,
       cost, expected_net_value, created_at, created_by, ranking)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${TIMESTAMP_PARAM}, ?, ?)`,
    [
      id,
      request.name,
      request.mode,
      JSON.stringify({ strategyIds: request.strategyIds ?? null, target: request.target }),
      request.budget,
      plan.controlShare,
      plan.seed,
      plan.priorWeight,
      plan.treated,
      plan.control,
      plan.cost,
      plan.expectedNetValue,
      now,
      actor.name,
      plan.ranking,
    ],
  );
  await insertMembers(tx, id, plan.members);
  await recordAudit(tx, now, actor, 'campaign.launch', id, {
    name: request.name,
    mode: request.mode,
    treated: plan.treated,
    control: plan.control,
    cost: plan.cost,
    seed: plan.seed,
    ranking: plan.ranking,
  });
  return { id, plan };
}

/** The action id of a treated member: derived from campaign and customer, so it can never be issued twice. */
export function actionId(campaignId: string, customerId: string): string {
  return `act_${createHash('sha256').update(`${campaignId}\u0000${customerId}`).digest('hex').slice(0, 24)}`;
}

async function planCampaign(
  db: SqlRunner,
  request: CampaignRequest,
  now: number,
  upliftModels: UpliftModels | null,
): Promise<CampaignPlan> {
  if (request.budget === 0) {
    throw new RetentionError(
      'zero_budget',
      'the budget is 0, so nothing could be selected; leave the budget out for no limit',
      'body.budget',
    );
  }
  const controlShare = request.controlShare ?? DEFAULT_CONTROL_SHARE;
  const priorWeight = request.priorWeight ?? DEFAULT_PRIOR_WEIGHT;
  const seed = request.seed ?? Math.floor(now / 1000) % 2_147_483_647;
  const strategies = await chooseStrategies(db, request);
  const target =
    request.target.tiers === undefined && request.target.customerIds === undefined
      ? { ...request.target, tiers: DEFAULT_TARGET_TIERS }
      : request.target;
  const customers = await readTargetCustomers(db, target);
  const ids = strategies.map((s) => s.id);
  const spent = await spentByStrategy(db);
  const strategyBudgets = new Map(
    strategies.map((s) => [s.id, s.budget === null ? null : Math.max(0, s.budget - (spent.get(s.id) ?? 0))]),
  );
  const outcomes = await measuredOutcomes(db);
  const saveRates = new Map(
    strategies.map((s) => [s.id, estimateSaveRate(s.savePrior, outcomes.get(s.id) ?? null, priorWeight)]),
  );
  const ranking = request.ranking ?? 'risk';
  const { uplift, notes } =
    ranking === 'uplift' ? upliftByStrategy(strategies, upliftModels) : { uplift: new Map(), notes: [] };
  const match = matchStrategies(customers, strategies, {
    budget: request.budget,
    strategyBudgets,
    saveRates,
    overrides: await loadParameterOverrides(db, ids),
    mode: request.mode,
    ranking,
    uplift,
  });
  const groups = assignHoldout(match.assignments, controlShare, seed);
  const byId = new Map<string, TargetCustomer>(customers.map((c) => [c.customerId, c]));
  const members = match.assignments.map((a): PlannedMember => {
    const customer = byId.get(a.customerId)!;
    return {
      ...a,
      arm: groups.get(a.customerId)!,
      causes: customer.causes,
      scoredAt: customer.scoredAt,
      modelVersion: customer.modelVersion,
    };
  });
  const unmatched: Record<UnmatchedReason, number> = {
    no_eligible_strategy: 0,
    no_positive_value: 0,
    budget_exhausted: 0,
  };
  for (const u of match.unmatched) unmatched[u.reason]++;
  const shares = new Map<string, StrategyShare>();
  const plan: CampaignPlan = {
    candidates: customers.length,
    members,
    treated: 0,
    control: 0,
    cost: 0,
    expectedNetValue: 0,
    byStrategy: [],
    byTier: tierShares(customers, members),
    unmatched,
    controlShare,
    seed,
    priorWeight,
    ranking,
    rankingNotes: notes,
  };
  for (const m of members) {
    let share = shares.get(m.strategyId);
    if (!share) {
      share = {
        strategyId: m.strategyId,
        treated: 0,
        control: 0,
        cost: 0,
        expectedNetValue: 0,
        saveRate: m.saveRate,
      };
      shares.set(m.strategyId, share);
    }
    share[m.arm]++;
    plan[m.arm]++;
    if (m.arm === 'treated') {
      share.cost += m.unitCost;
      share.expectedNetValue += m.expectedNetValue;
      plan.cost += m.unitCost;
      plan.expectedNetValue += m.expectedNetValue;
    }
  }
  plan.byStrategy = [...shares.values()].sort((a, b) => b.treated + b.control - (a.treated + a.control));
  return plan;
}

/** Candidates and members per tier, riskiest tier first (tiers with neither left out). */
function tierShares(
  customers: readonly { tier: string }[],
  members: readonly { tier: string; arm: 'treated' | 'control' }[],
): TierShare[] {
  const shares = new Map<string, TierShare>(
    ['high', 'medium', 'low'].map((tier) => [tier, { tier, candidates: 0, treated: 0, control: 0 }]),
  );
  const of = (tier: string) => {
    let share = shares.get(tier);
    if (!share) {
      share = { tier, candidates: 0, treated: 0, control: 0 };
      shares.set(tier, share);
    }
    return share;
  };
  for (const customer of customers) of(customer.tier).candidates++;
  for (const member of members) of(member.tier)[member.arm]++;
  return [...shares.values()].filter((share) => share.candidates > 0);
}

/** Per strategy, its action kind's uplift per customer where a model has them, and a note on each. */
function upliftByStrategy(
  strategies: readonly Strategy[],
  models: UpliftModels | null,
): { uplift: Map<string, ReadonlyMap<string, number>>; notes: RankingNote[] } {
  const uplift = new Map<string, ReadonlyMap<string, number>>();
  const notes = strategies.map((s): RankingNote => {
    const scores = models?.uplift.get(s.actionKind);
    if (scores) {
      uplift.set(s.id, scores);
      return { strategyId: s.id, actionKind: s.actionKind, basis: 'uplift', reason: null };
    }
    const report = models?.kinds.find((k) => k.actionKind === s.actionKind);
    const why =
      models === null
        ? 'no uplift models are available'
        : report?.status === 'skipped'
          ? `too little campaign history for ${s.actionKind}: ${report.reason}`
          : report
            ? `no customers scored to apply the ${s.actionKind} uplift model to`
            : `no measured campaign has used ${s.actionKind} yet`;
    return {
      strategyId: s.id,
      actionKind: s.actionKind,
      basis: 'risk',
      reason: `${why}; priced by risk × save rate`,
    };
  });
  return { uplift, notes };
}

async function chooseStrategies(db: SqlRunner, request: CampaignRequest): Promise<Strategy[]> {
  const all = await listStrategies(db);
  if (request.strategyIds === undefined) {
    if (request.mode === 'assign') {
      throw new RetentionError(
        'invalid_strategy',
        'an assign campaign names its strategy',
        'body.strategyIds',
      );
    }
    return all.filter((s) => s.status === 'active');
  }
  if (request.mode === 'assign' && request.strategyIds.length !== 1) {
    throw new RetentionError(
      'invalid_strategy',
      'an assign campaign names exactly one strategy',
      'body.strategyIds',
    );
  }
  return request.strategyIds.map((id, i) => {
    const strategy = all.find((s) => s.id === id);
    if (!strategy)
      throw new RetentionError('unknown_strategy', `no strategy "${id}"`, `body.strategyIds[${i}]`);
    if (strategy.status !== 'active') {
      throw new RetentionError(
        'strategy_not_active',
        `strategy "${id}" is ${strategy.status}; only active strategies run in campaigns`,
        `body.strategyIds[${i}]`,
      );
    }
    return strategy;
  });
}

async function measuredOutcomes(db: SqlRunner): Promise<Map<string, MeasuredOutcome>> {
  const rows = await db.all<Record<string, number | string>>(
    `SELECT strategy_id, sum(treated) AS treated, sum(treated_churned) AS treated_churned, sum(control) AS control,
       sum(control_churned) AS control_churned FROM strategy_measurements GROUP BY strategy_id`,
  );
  return new Map(
    rows.map((row) => [
      String(row.strategy_id),
      {
        treated: Number(row.treated),
        treatedChurned: Number(row.treated_churned),
        control: Number(row.control),
        controlChurned: Number(row.control_churned),
      },
    ]),
  );
}

/** The members' JSON shape for DuckDB's from_json; one statement per chunk beats rows of placeholders ~10×. */
const MEMBER_JSON_SHAPE = JSON.stringify([
  {
    customer_id: 'VARCHAR',
    arm: 'VARCHAR',
    strategy_id: 'VARCHAR',
    parameters: 'VARCHAR',
    tier: 'VARCHAR',
    causes: 'VARCHAR',
    probability: 'DOUBLE',
    value: 'DOUBLE',
    save_rate: 'DOUBLE',
    unit_cost: 'DOUBLE',
    expected_net_value: 'DOUBLE',
    scored_at: 'DATE',
    model_version: 'INTEGER',
    action_id: 'VARCHAR',
    uplift: 'DOUBLE',
  },
]);
const ROWS_PER_INSERT = 5000;

async function insertMembers(
  tx: SqlRunner,
  campaignId: string,
  members: readonly PlannedMember[],
): Promise<void> {
  for (let start = 0; start < members.length; start += ROWS_PER_INSERT) {
    const rows = members.slice(start, start + ROWS_PER_INSERT).map((m) => ({
      customer_id: m.customerId,
      arm: m.arm,
      strategy_id: m.strategyId,
      parameters: JSON.stringify(m.parameters),
      tier: m.tier,
      causes: JSON.stringify(m.causes),
      probability: m.probability,
      value: m.value,
      save_rate: m.saveRate,
      unit_cost: m.unitCost,
      expected_net_value: m.expectedNetValue,
      scored_at: m.scoredAt,
      model_version: m.modelVersion,
      action_id: m.arm === 'treated' ? actionId(campaignId, m.customerId) : null,
      uplift: m.uplift,
    }));
    await tx.run(
      `INSERT INTO campaign_members (campaign_id, customer_id, arm, strategy_id, parameters, tier, causes, probability,
         value, save_rate, unit_cost, expected_net_value, scored_at, model_version, action_id, uplift)
       SELECT ?, r.customer_id, r.arm, r.strategy_id, r.parameters, r.tier, r.causes, r.probability, r.value,
         r.save_rate, r.unit_cost, r.expected_net_value, r.scored_at, r.model_version, r.action_id, r.uplift
       FROM (SELECT unnest(from_json(CAST(? AS JSON), '${MEMBER_JSON_SHAPE}')) AS r)`,
      [campaignId, JSON.stringify(rows)],
    );
  }
}

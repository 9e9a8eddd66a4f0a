// The retention shapes the dashboard reads from the API (see /api/openapi.json): strategies, templates,
// overrides, cause tags, campaigns with their preview, progress and measured results, jobs, and the uplift
// models learnt from measured campaigns.

import type { Bilingual, Tier } from './types';

export const STRATEGY_STATUSES = ['active', 'paused', 'retired'] as const;
export type StrategyStatus = (typeof STRATEGY_STATUSES)[number];

export const INDUSTRIES = ['ecommerce', 'finance', 'telecom', 'saas', 'general'] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const ACTION_KINDS = [
  'coupon',
  'discount',
  'service_call',
  'reengagement',
  'competitor_match',
  'loyalty_bonus',
  'rate_bonus',
  'personal_adviser',
  'plan_upgrade',
  'trial_extension',
  'onboarding_call',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const CHANNELS = ['sms', 'email', 'push', 'phone', 'in_app', 'crm'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CAUSE_TAGS = [
  'price_sensitive',
  'service_dissatisfied',
  'disengaged',
  'competitor_attracted',
  'payment_risk',
] as const;
export type CauseTag = (typeof CAUSE_TAGS)[number];

export type ParameterValue = number | string | boolean;
export type Parameters = Record<string, ParameterValue>;

/** Who a strategy is for; an absent condition admits everyone. */
export interface Conditions {
  tiers?: Tier[];
  segments?: string[];
  causes?: CauseTag[];
  minValue?: number;
  maxValue?: number;
}

/** Everything a user decides about a strategy (create takes all, edit any part). */
export interface StrategyFields {
  name: Bilingual;
  description: Bilingual;
  industry: Industry;
  actionKind: ActionKind;
  channel: Channel;
  conditions: Conditions;
  unitCost: number;
  savePrior: number;
  parameters: Parameters;
  budget: number | null;
  priority: number;
}

export interface StrategyTemplate extends StrategyFields {
  id: string;
}

export interface Strategy extends StrategyFields {
  id: string;
  templateId: string | null;
  status: StrategyStatus;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
}

export interface ParameterOverride {
  strategyId: string;
  /** null: the whole strategy. */
  customerId: string | null;
  parameters: Parameters;
  updatedAt: string;
  updatedBy: string | null;
}

export interface CauseTagMapping {
  feature: string;
  defaultTag: CauseTag | null;
  tag: CauseTag | null;
  overridden: boolean;
}

export interface CauseTagList {
  tags: CauseTag[];
  mappings: CauseTagMapping[];
}

export type CampaignMode = 'match' | 'assign';

/** What POST /api/campaigns/preview and POST /api/campaigns take. */
export interface CampaignRequest {
  name: string;
  mode: CampaignMode;
  strategyIds?: string[];
  target: { tiers?: Tier[]; segment?: string; reason?: string };
  budget: number | null;
  controlShare: number;
  ranking: 'risk' | 'uplift';
}

export interface CampaignPreview {
  candidates: number;
  treated: number;
  control: number;
  cost: number;
  expectedNetValue: number;
  controlShare: number;
  seed: number;
  unmatched: { no_eligible_strategy: number; no_positive_value: number; budget_exhausted: number };
  byStrategy: {
    strategyId: string;
    treated: number;
    control: number;
    cost: number;
    expectedNetValue: number;
    saveRate: number;
  }[];
  ranking: 'risk' | 'uplift';
  /** Under uplift ranking, per strategy: priced by its action's uplift model, or by risk for want of one. */
  rankingNotes: { strategyId: string; actionKind: string; basis: 'risk' | 'uplift'; reason: string | null }[];
  /** Per tier: candidates the target admitted, members treated and held out. */
  byTier: { tier: string; candidates: number; treated: number; control: number }[];
  members: { customerId: string; arm: 'treated' | 'control'; tier: string; strategyId: string }[];
}

export const ACTION_STATUSES = ['issued', 'delivered', 'opened', 'redeemed', 'contacted'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface Share {
  count: number;
  share: number;
}

export interface CampaignProgress {
  statuses: Record<ActionStatus, Share>;
  coverage: Share;
  completion: Share;
}

export interface CampaignSummary {
  id: string;
  name: string;
  mode: string;
  ranking: 'risk' | 'uplift';
  budget: number | null;
  controlShare: number;
  seed: number;
  treated: number;
  control: number;
  cost: number;
  expectedNetValue: number;
  createdAt: string;
  createdBy: string | null;
  progress: CampaignProgress;
}

export interface CampaignList {
  total: number;
  limit: number;
  offset: number;
  campaigns: CampaignSummary[];
}

export interface Campaign extends CampaignSummary {
  source: { strategyIds: string[] | null; target: Record<string, unknown> };
  byStrategy: {
    strategyId: string;
    name: string | null;
    treated: number;
    control: number;
    cost: number;
    progress: CampaignProgress;
  }[];
}

/** A difference of two shares, treated − control, with its 95% interval. */
export interface Proportions {
  treatedRate: number;
  controlRate: number;
  difference: number;
  low: number;
  high: number;
  pValue: number;
  confidence: number;
  tooSmall: boolean;
}

export interface ArmComparison {
  treated: number;
  control: number;
  treatedChurned: number;
  controlChurned: number;
  churn: Proportions;
  repurchase: Proportions;
  value: {
    treatedMean: number;
    controlMean: number;
    difference: number;
    low: number | null;
    high: number | null;
    pValue: number | null;
  };
  economics: {
    churnReduction: number;
    churnReductionLow: number;
    churnReductionHigh: number;
    savedCustomers: number;
    savedLow: number;
    savedHigh: number;
    totalCost: number;
    valueSaved: number;
    costPerSaved: number | null;
    costPerSavedLow: number | null;
    costPerSavedHigh: number | null;
    roi: number | null;
    roiLow: number | null;
    roiHigh: number | null;
  };
}

export type Verdict = 'keep' | 'watch' | 'retire' | 'too_small';

export interface StrategyComparison extends ArmComparison {
  strategyId: string;
  verdict: Verdict;
}

interface MeasurementDates {
  campaignId: string;
  startsOn: string;
  horizonDays: number;
  measurableOn: string;
}

export type Measurement =
  | (MeasurementDates & { status: 'not_yet_measurable'; treated: number; control: number })
  | (MeasurementDates & {
      status: 'measured';
      overall: ArmComparison;
      strategies: StrategyComparison[];
      unlabelled: number;
    });

export interface TrueEffect {
  customers: number;
  effect: number;
  churnWithAction: number;
  churnWithoutAction: number;
}

export interface CampaignResults {
  measurement: Measurement;
  /** Demo only: the simulator's truth on the same customers. */
  truth: (TrueEffect & { strategies: (TrueEffect & { strategyId: string })[] }) | null;
}

export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: { stage: string; done: number; total: number };
  result: Record<string, unknown> | null;
  error: string | null;
}

/** How an action kind's uplift is estimated: risk × the reduction per churn cause, or two churn models. */
export const UPLIFT_ESTIMATORS = ['cause_mix', 't_learner'] as const;
export type UpliftEstimator = (typeof UPLIFT_ESTIMATORS)[number];

/** Members of one action kind with a measured outcome, and how many churned, per arm. */
export interface UpliftCounts {
  treated: number;
  control: number;
  treatedChurned: number;
  controlChurned: number;
}

/** Observed churn among the top `fraction` of members ranked by a model; uplift = control − treated rate. */
export interface UpliftAtK {
  fraction: number;
  rows: number;
  treatedRows: number;
  controlRows: number;
  treatedRate: number | null;
  controlRate: number | null;
  uplift: number | null;
}

/** The Qini curve: churns prevented per treated member (gain) against the share targeted, from (0, 0). */
export interface QiniCurve {
  points: { fraction: number; rows: number; gain: number }[];
  /** Area between the curve and random targeting (the line from the first point to the last). */
  coefficient: number;
}

export interface UpliftEstimatorReport {
  estimator: UpliftEstimator;
  upliftAtK: UpliftAtK[];
  qini: QiniCurve;
  /** Share of bootstrap resamples in which it beats the default (cause_mix); null for the default. */
  winShare: number | null;
}

/** One action kind: no model for want of history, or how well its models ranked members they were not fitted on. */
export type UpliftKindReport =
  | { actionKind: string; status: 'skipped'; reason: string; counts: UpliftCounts }
  | {
      actionKind: string;
      status: 'trained';
      counts: UpliftCounts;
      heldOut: number;
      /** The estimator whose uplift is served. */
      estimator: UpliftEstimator;
      upliftAtK: UpliftAtK[];
      qini: QiniCurve;
      estimators: UpliftEstimatorReport[];
    };

/** GET /api/uplift: the uplift models learnt from measured campaigns, one report per action kind. */
export interface UpliftModels {
  modelVersion: number | null;
  /** Campaign members with a measured outcome. */
  members: number;
  /** The scoring date the customers' uplift is for; null when no kind has a model. */
  scoredAt: string | null;
  kinds: UpliftKindReport[];
}

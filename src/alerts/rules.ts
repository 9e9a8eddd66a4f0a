// Alert rules as pure functions: given a customer's new score and the one before it, which configured
// rules fire. De-duplication and quiet periods need the alerts table and live in evaluate-alerts.ts.

import type { AlertRule } from './alerts-config.js';

export type TierName = 'high' | 'medium' | 'low';

/** One customer's new score beside the previous one (null when scored for the first time). */
export interface ScoreChange {
  customerId: string;
  segment: string | null;
  tier: TierName;
  probability: number;
  previousTier: TierName | null;
  previousProbability: number | null;
  /** Feature names of the new score's drivers, strongest first. */
  drivers: readonly string[];
}

const RANK: Record<TierName, number> = { low: 0, medium: 1, high: 2 };

/** The rank of a tier (low 0, medium 1, high 2); an unknown text counts as low. */
export function tierRank(tier: string | null): number {
  return tier !== null && tier in RANK ? RANK[tier as TierName] : 0;
}

/** True when the change passes the rule's segment, tier and reason filters. */
export function passesFilters(rule: AlertRule, change: ScoreChange): boolean {
  if (rule.segments && (change.segment === null || !rule.segments.includes(change.segment))) return false;
  if (rule.tiers && !rule.tiers.includes(change.tier)) return false;
  if (rule.reasons && !change.drivers.some((feature) => rule.reasons!.includes(feature))) return false;
  return true;
}

/**
 * True when the score change fires the rule, value aside: a high_value_threshold rule also needs the
 * customer's value above `min_value` (`valueAbove`, which the caller computes only for the few candidates).
 */
export function firesOnScore(rule: AlertRule, change: ScoreChange): boolean {
  if (!passesFilters(rule, change)) return false;
  const before = change.previousProbability;
  switch (rule.kind) {
    case 'enters_tier': {
      if (tierRank(change.tier) < RANK[rule.tier]) return false;
      if (change.previousTier === null) return rule.first_score;
      return tierRank(change.previousTier) < RANK[rule.tier];
    }
    case 'score_jump':
      return before !== null && change.probability - before > rule.min_increase;
    case 'high_value_threshold':
      // Crossing: at or above the threshold now, below it before (or no score before).
      return change.probability >= rule.probability && (before === null || before < rule.probability);
  }
}

/** True when a customer of value `value` is valuable enough for the rule (always true for other kinds). */
export function valueAbove(rule: AlertRule, value: number | null): boolean {
  if (rule.kind !== 'high_value_threshold') return true;
  return value !== null && value > rule.min_value;
}

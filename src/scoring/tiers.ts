// Risk tiers from probabilities: high / medium / low by configurable thresholds (R13).

export type Tier = 'high' | 'medium' | 'low';

/** Probability thresholds: at or above `high` is high risk, at or above `medium` is medium. */
export interface TierThresholds {
  high: number;
  medium: number;
}

export const DEFAULT_TIERS: TierThresholds = { high: 0.8, medium: 0.5 };

/** The tier of one probability. */
export function tierOf(probability: number, thresholds: TierThresholds = DEFAULT_TIERS): Tier {
  if (probability >= thresholds.high) return 'high';
  if (probability >= thresholds.medium) return 'medium';
  return 'low';
}

/** Counts customers per tier. */
export function countTiers(
  probabilities: ArrayLike<number>,
  thresholds = DEFAULT_TIERS,
): Record<Tier, number> {
  const counts: Record<Tier, number> = { high: 0, medium: 0, low: 0 };
  for (let i = 0; i < probabilities.length; i++) counts[tierOf(probabilities[i], thresholds)]++;
  return counts;
}

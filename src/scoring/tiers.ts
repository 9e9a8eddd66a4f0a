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

/** Tiers as configured: fixed probabilities, or the top k percent of the customers scored together. */
export type TierRule = TierThresholds | { topKPercent: { high: number; medium: number } };

/** The tier of every customer of one scoring run, and the lowest probability that reached each tier. */
export interface TierAssignment {
  tiers: Tier[];
  thresholds: TierThresholds;
}

/**
 * Tiers for one scoring run. Fixed thresholds: by probability. Top-k%: by rank, so exactly ⌈k% × n⌉
 * customers are in the tier even when many share a score; ties are broken by position (callers pass rows
 * in customer order, so the same data gives the same tiers).
 */
export function assignTiers(rule: TierRule, probabilities: ArrayLike<number>): TierAssignment {
  const n = probabilities.length;
  if (!('topKPercent' in rule)) {
    return { tiers: Array.from({ length: n }, (_, i) => tierOf(probabilities[i], rule)), thresholds: rule };
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => probabilities[b] - probabilities[a] || a - b,
  );
  const highCount = Math.ceil((rule.topKPercent.high / 100) * n);
  const mediumCount = Math.ceil((rule.topKPercent.medium / 100) * n);
  const tiers = new Array<Tier>(n).fill('low');
  order.forEach((row, rank) => {
    if (rank < highCount) tiers[row] = 'high';
    else if (rank < mediumCount) tiers[row] = 'medium';
  });
  const lowest = (count: number) =>
    count === 0 ? Number.POSITIVE_INFINITY : probabilities[order[count - 1]];
  return { tiers, thresholds: { high: lowest(highCount), medium: lowest(mediumCount) } };
}

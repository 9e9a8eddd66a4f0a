// The confusion matrix at one threshold of the test cutoff, from the precision–recall curve's points:
// with P positives among N rows, recall r and precision p at threshold t give
//   TP = r·P, flagged = TP / p, FP = flagged − TP, FN = P − TP, TN = N − flagged − FN.

import type { TestCurves } from '../api/types';

export interface ThresholdPoint {
  threshold: number;
  precision: number;
  recall: number;
  flagged: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

/** Every usable point of the PR curve, from the highest threshold (fewest flagged) to the lowest. */
export function thresholdPoints(test: TestCurves): ThresholdPoint[] {
  const { precision, recall, thresholds } = test.pr;
  const points: ThresholdPoint[] = [];
  const count = Math.min(precision.length, recall.length, thresholds.length);
  for (let index = 0; index < count; index++) {
    const threshold = thresholds[index];
    const p = precision[index];
    const r = recall[index];
    if (threshold === undefined || p === undefined || r === undefined) continue;
    if (!Number.isFinite(threshold) || p <= 0) continue;
    const truePositives = Math.round(r * test.positives);
    const flagged = Math.min(test.rows, Math.round(truePositives / p));
    const falsePositives = Math.max(0, flagged - truePositives);
    const falseNegatives = test.positives - truePositives;
    points.push({
      threshold,
      precision: p,
      recall: r,
      flagged,
      truePositives,
      falsePositives,
      falseNegatives,
      trueNegatives: Math.max(0, test.rows - flagged - falseNegatives),
    });
  }
  return points.sort((a, b) => b.threshold - a.threshold);
}

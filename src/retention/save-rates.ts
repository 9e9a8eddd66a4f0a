// Save rates: the share of would-be churners an action keeps. A strategy starts from its template's prior and
// moves towards what its campaigns measured as evidence accumulates, by pseudo-count shrinkage.

/** What campaigns measured for one strategy: treated and control customers and how many of each churned. */
export interface MeasuredOutcome {
  treated: number;
  treatedChurned: number;
  control: number;
  controlChurned: number;
}

/** How strongly the prior holds: worth this many treated customers of evidence (default). */
export const DEFAULT_PRIOR_WEIGHT = 200;

/**
 * The measured save rate: the relative fall in churn, 1 − treated rate / control rate, clipped to [0, 1]
 * (an action that seems to raise churn saves no one; one that removes all churn saves everyone). Null when
 * a group is empty or the control group did not churn at all (nothing to save, so no rate to learn).
 */
export function measuredSaveRate(outcome: MeasuredOutcome): number | null {
  if (outcome.treated <= 0 || outcome.control <= 0 || outcome.controlChurned <= 0) return null;
  const treatedRate = outcome.treatedChurned / outcome.treated;
  const controlRate = outcome.controlChurned / outcome.control;
  return Math.min(1, Math.max(0, 1 - treatedRate / controlRate));
}

/**
 * The shrunk save rate (k·prior + n·measured) / (k + n), as the posterior mean of a beta prior worth k
 * observations would be: with few treated customers (n ≪ k) it stays near the prior, with many it follows
 * the measurement. `n` is the number of treated customers behind the measurement.
 */
export function shrunkSaveRate(
  prior: number,
  measured: number | null,
  n: number,
  k = DEFAULT_PRIOR_WEIGHT,
): number {
  if (!(prior >= 0 && prior <= 1)) throw new RangeError(`prior=${prior} must be between 0 and 1`);
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError(`k=${k} must be a finite number >= 0`);
  if (measured === null || n <= 0) return prior;
  if (!(measured >= 0 && measured <= 1)) throw new RangeError(`measured=${measured} must be between 0 and 1`);
  if (!Number.isFinite(n)) throw new RangeError(`n=${n} must be finite`);
  return (k * prior + n * measured) / (k + n);
}

/** A strategy's save rate from its prior and its campaigns' measured outcome (null: none measured yet). */
export function estimateSaveRate(
  prior: number,
  outcome: MeasuredOutcome | null,
  k = DEFAULT_PRIOR_WEIGHT,
): number {
  if (outcome === null) return prior;
  return shrunkSaveRate(prior, measuredSaveRate(outcome), outcome.treated, k);
}

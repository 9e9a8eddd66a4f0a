// Treated vs hold-out control for a yes/no outcome (churned, repurchased): the difference of the two
// rates with Newcombe's hybrid score interval and a pooled two-proportion z-test.

import { InputError } from '../errors.js';
import { normalQuantile, normalSf } from './normal.js';

/** One group of an experiment: customers in it and how many had the event. */
export interface GroupCounts {
  n: number;
  events: number;
}

/** Treated rate minus control rate, with its interval and test. */
export interface ProportionDifference {
  treatedRate: number;
  controlRate: number;
  /** treatedRate − controlRate */
  difference: number;
  /** the confidence interval of the difference */
  low: number;
  high: number;
  pValue: number;
  confidence: number;
  /**
   * true when either group is too small for the interval to mean much: fewer than
   * `MIN_GROUP_SIZE` (30) customers, or fewer than `MIN_OUTCOMES` (5) events or 5 non-events — the
   * usual n·p ≥ 5 rule below which the z-test's normal approximation is poor.
   */
  tooSmall: boolean;
}

/** Fewest customers per group before a result is trusted. */
export const MIN_GROUP_SIZE = 30;
/** Fewest events, and fewest non-events, per group before a result is trusted. */
export const MIN_OUTCOMES = 5;

/** Compares the event rates of two groups: difference, Newcombe interval, pooled z-test p-value. */
export function compareProportions(
  treated: GroupCounts,
  control: GroupCounts,
  confidence = 0.95,
): ProportionDifference {
  checkGroup(treated, 'treated');
  checkGroup(control, 'control');
  if (!(confidence > 0 && confidence < 1)) {
    throw new InputError(`confidence=${confidence} must be between 0 and 1 (exclusive)`, {
      key: 'confidence',
    });
  }
  return proportionDifference(treated, control, confidence);
}

function checkGroup(group: GroupCounts, name: string): void {
  const { n, events } = group;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InputError(`${name}.n=${n} must be an integer >= 1`, { key: `${name}.n` });
  }
  if (!Number.isSafeInteger(events) || events < 0 || events > n) {
    throw new InputError(`${name}.events=${events} must be an integer between 0 and ${name}.n=${n}`, {
      key: `${name}.events`,
    });
  }
}

/** `compareProportions` on checked input. */
function proportionDifference(
  treated: GroupCounts,
  control: GroupCounts,
  confidence: number,
): ProportionDifference {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p1 = treated.events / treated.n;
  const p2 = control.events / control.n;
  const [l1, u1] = wilsonInterval(treated.events, treated.n, z);
  const [l2, u2] = wilsonInterval(control.events, control.n, z);
  const difference = p1 - p2;
  // Newcombe 1998 (Statistics in Medicine 17:873–890, method 10, "hybrid score"): each side of the
  // difference's interval combines the distances from each rate to the matching side of its own Wilson
  // interval, in quadrature:
  //   low  = δ − √((p1 − l1)² + (u2 − p2)²)
  //   high = δ + √((u1 − p1)² + (p2 − l2)²)
  // Coverage stays close to nominal at small n and rates near 0 or 1, where the Wald interval fails.
  const low = difference - Math.hypot(p1 - l1, u2 - p2);
  const high = difference + Math.hypot(u1 - p1, p2 - l2);
  return {
    treatedRate: p1,
    controlRate: p2,
    difference,
    low: Math.max(-1, low),
    high: Math.min(1, high),
    pValue: pooledZTest(treated, control),
    confidence,
    tooSmall: isTooSmall(treated) || isTooSmall(control),
  };
}

function isTooSmall(group: GroupCounts): boolean {
  return group.n < MIN_GROUP_SIZE || group.events < MIN_OUTCOMES || group.n - group.events < MIN_OUTCOMES;
}

/**
 * Wilson score interval for one proportion (Wilson 1927, JASA 22:209–212), no continuity correction:
 *   (2np̂ + z² ± z√(z² + 4np̂(1 − p̂))) / (2(n + z²)).
 */
export function wilsonInterval(events: number, n: number, z: number): [number, number] {
  const p = events / n;
  const z2 = z * z;
  const centre = 2 * events + z2;
  const spread = z * Math.sqrt(z2 + 4 * events * (1 - p));
  const denominator = 2 * (n + z2);
  // At 0 and n events the bound is exactly 0 (resp. 1); clamp away the rounding.
  const low = events === 0 ? 0 : (centre - spread) / denominator;
  const high = events === n ? 1 : (centre + spread) / denominator;
  return [low, high];
}

/**
 * Two-sided p-value of the pooled two-proportion z-test: z = (p̂1 − p̂2) / √(p̂(1 − p̂)(1/n1 + 1/n2)),
 * p̂ the pooled rate. When both groups are all events or all non-events there is no evidence of a
 * difference and the p-value is 1.
 */
function pooledZTest(treated: GroupCounts, control: GroupCounts): number {
  const pooled = (treated.events + control.events) / (treated.n + control.n);
  const variance = pooled * (1 - pooled) * (1 / treated.n + 1 / control.n);
  if (variance <= 0) return 1;
  const z = (treated.events / treated.n - control.events / control.n) / Math.sqrt(variance);
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}

// How well a score ranks customers by the churn the action prevents, measured on a randomised
// experiment: observed uplift among the top k%, and the Qini curve with its coefficient.
//
// Rows are ranked by score, highest first; equal scores keep their row order (so results are
// reproducible; a score with many ties is judged on that arbitrary order within each tie).

import { InputError } from '../errors.js';
import { bootstrapCounts, Random } from '../ml/random.js';

/** Observed uplift among the top-ranked customers. */
export interface UpliftAtK {
  /** Share of customers targeted, in (0, 1]. */
  fraction: number;
  /** round(fraction · n) rows, at least 1. */
  rows: number;
  treatedRows: number;
  controlRows: number;
  /** Churn rate of treated / control rows among them; null when that group is empty. */
  treatedRate: number | null;
  controlRate: number | null;
  /** controlRate − treatedRate (positive = the action reduced churn there); null when a group is empty. */
  uplift: number | null;
}

/** One point of the Qini curve. */
export interface QiniPoint {
  /** Share of customers targeted (rows / n). */
  fraction: number;
  rows: number;
  /** Churns prevented among the targeted, as a share of all treated customers (see `qiniCurve`). */
  gain: number;
}

/** The Qini curve and the area between it and random targeting. */
export interface QiniCurve {
  /** From (0, 0) to (1, overall uplift), `bins + 1` points. */
  points: QiniPoint[];
  /** Area between the curve and the straight line from its first to its last point (trapezoids). */
  coefficient: number;
}

/** Uplift among the top `fraction` (e.g. 0.3 for the top 30%) of rows ranked by `score`. */
export function upliftAtK(
  score: ArrayLike<number>,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  fraction: number,
): UpliftAtK {
  checkInputs(score, treated, churned);
  if (!(fraction > 0 && fraction <= 1)) {
    throw new InputError(`fraction=${fraction} must be in (0, 1]`, { key: 'fraction' });
  }
  const order = rankByScore(score);
  const rows = Math.max(1, Math.round(fraction * score.length));
  const counts = { treated: 0, control: 0, treatedEvents: 0, controlEvents: 0 };
  for (let r = 0; r < rows; r++) addRow(counts, order[r], treated, churned);
  const treatedRate = counts.treated > 0 ? counts.treatedEvents / counts.treated : null;
  const controlRate = counts.control > 0 ? counts.controlEvents / counts.control : null;
  return {
    fraction,
    rows,
    treatedRows: counts.treated,
    controlRows: counts.control,
    treatedRate,
    controlRate,
    uplift: treatedRate !== null && controlRate !== null ? controlRate - treatedRate : null,
  };
}

/**
 * The Qini curve (Radcliffe 2007, "Using control groups to target on predicted lift: building and
 * assessing uplift models", Direct Marketing Analytics Journal 1:14–21), for an outcome the action
 * should lower. Among the top t rows, with N_T(t), N_C(t) treated and control rows and E_T(t), E_C(t)
 * churned ones, the churns prevented among the targeted treated are
 *
 *   g(t) = E_C(t) · N_T(t) / N_C(t) − E_T(t)
 *
 * (control churn scaled to the treated count, minus the treated churn; Radcliffe's incremental
 * responses with the sign turned, since churn is the bad outcome). g(t) is 0 while either group is
 * empty. `gain` is g(t) / N_T(n), so the last point is the overall churn-rate difference
 * control − treated. Points sit at t = round(i · n / bins), i = 0…bins.
 *
 * The Qini coefficient here is Radcliffe's unnormalised q: the area between the curve and the random
 * line from (0, 0) to (1, gain(n)), by the trapezoid rule over the points; positive when the score
 * puts the customers the action helps first. (Radcliffe's Q divides this by the area of the best
 * possible ranking, which needs the counterfactuals we do not observe per customer; not computed.)
 */
export function qiniCurve(
  score: ArrayLike<number>,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  bins = 10,
): QiniCurve {
  checkInputs(score, treated, churned);
  if (!Number.isSafeInteger(bins) || bins < 1) {
    throw new InputError(`bins=${bins} must be an integer >= 1`, { key: 'bins' });
  }
  const points = curvePoints(rankByScore(score), treated, churned, bins);
  return { points, coefficient: areaAboveRandom(points) };
}

/**
 * How sure the data are that `challenger` ranks better than `incumbent`: the share of `resamples` bootstrap
 * resamples of the rows (the same resample for both) in which the challenger's Qini coefficient is larger.
 * Ranks are fixed and only the rows' multiplicities change, so each resample costs two passes over the rows.
 */
export function qiniWinShare(
  incumbent: ArrayLike<number>,
  challenger: ArrayLike<number>,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  options: { resamples?: number; seed?: number; bins?: number } = {},
): number {
  checkInputs(incumbent, treated, churned);
  checkInputs(challenger, treated, churned);
  const { resamples = 200, seed = 0, bins = 10 } = options;
  const orders = [rankByScore(incumbent), rankByScore(challenger)];
  const random = new Random(seed, 211);
  let wins = 0;
  for (let r = 0; r < resamples; r++) {
    const weights = bootstrapCounts(incumbent.length, random);
    const [a, b] = orders.map((order) =>
      areaAboveRandom(curvePoints(order, treated, churned, bins, weights)),
    );
    if (b! > a!) wins++;
  }
  return wins / resamples;
}

/** The Qini points of rows taken in `order`, each counted `weights[row]` times (default once). */
function curvePoints(
  order: Uint32Array,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  bins: number,
  weights?: Uint32Array,
): QiniPoint[] {
  const n = order.length;
  let totalTreated = 0;
  for (let i = 0; i < n; i++) totalTreated += treated[i] * (weights ? weights[i] : 1);
  const counts = { treated: 0, control: 0, treatedEvents: 0, controlEvents: 0 };
  const points: QiniPoint[] = [{ fraction: 0, rows: 0, gain: 0 }];
  let r = 0;
  for (let i = 1; i <= bins; i++) {
    const rows = Math.round((i * n) / bins);
    for (; r < rows; r++) addRow(counts, order[r], treated, churned, weights ? weights[order[r]] : 1);
    points.push({ fraction: rows / n, rows, gain: totalTreated > 0 ? prevented(counts) / totalTreated : 0 });
  }
  return points;
}

interface ArmCounts {
  treated: number;
  control: number;
  treatedEvents: number;
  controlEvents: number;
}

function addRow(
  counts: ArmCounts,
  row: number,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  weight = 1,
): void {
  if (treated[row] === 1) {
    counts.treated += weight;
    counts.treatedEvents += churned[row] * weight;
  } else {
    counts.control += weight;
    counts.controlEvents += churned[row] * weight;
  }
}

/** g(t) of `qiniCurve`. */
function prevented(counts: ArmCounts): number {
  if (counts.treated === 0 || counts.control === 0) return 0;
  return (counts.controlEvents * counts.treated) / counts.control - counts.treatedEvents;
}

/** ∫ (curve − line from the first to the last point), trapezoids between consecutive points. */
function areaAboveRandom(points: QiniPoint[]): number {
  const last = points[points.length - 1];
  const slope = last.fraction > 0 ? last.gain / last.fraction : 0;
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const aboveA = a.gain - slope * a.fraction;
    const aboveB = b.gain - slope * b.fraction;
    area += ((aboveA + aboveB) / 2) * (b.fraction - a.fraction);
  }
  return area;
}

/** Row indices by descending score; equal scores in row order. */
function rankByScore(score: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({ length: score.length }, (_, i) => i);
  return order.sort((a, b) => score[b] - score[a] || a - b);
}

function checkInputs(score: ArrayLike<number>, treated: ArrayLike<number>, churned: ArrayLike<number>): void {
  if (score.length === 0) throw new InputError('no rows to rank', { key: 'score' });
  for (const [key, values] of [
    ['treated', treated],
    ['churned', churned],
  ] as const) {
    if (values.length !== score.length) {
      throw new InputError(`${key} has ${values.length} values for ${score.length} scores`, { key });
    }
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== 0 && values[i] !== 1) {
        throw new InputError(`${key}=${values[i]} must be 0 or 1`, { key, row: i + 1 });
      }
    }
  }
  for (let i = 0; i < score.length; i++) {
    if (Number.isNaN(score[i])) throw new InputError('score is NaN', { key: 'score', row: i + 1 });
  }
}

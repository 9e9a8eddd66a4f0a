// The curves R10 asks for, of one model on its test rows, small enough to store with the model version and
// draw on a dashboard: ROC and precision-recall (thinned to at most ~200 points, thresholds kept, so an
// operating point can be chosen), lift and gains by decile, and the calibration curve.

import {
  type CalibrationBin,
  calibrationCurve,
  type DecileLift,
  liftByDecile,
  prCurve,
  rocCurve,
} from '../ml/metrics.js';

/** A curve coordinate; null where JSON cannot hold it (an infinite threshold) or a curve has no such point. */
type Point = number | null;

/** Curve points as plain arrays (JSON). */
export interface EvaluationCurves {
  roc: { fpr: Point[]; tpr: Point[]; thresholds: Point[] };
  pr: { precision: Point[]; recall: Point[]; thresholds: Point[] };
  lift: DecileLift[];
  calibration: CalibrationBin[];
  /** Test rows and churned among them: with pr, the number of customers flagged at each threshold. */
  rows: number;
  positives: number;
}

/** Points kept per curve, about. */
const MAX_POINTS = 200;

/** The curves of probabilities `p` against labels `y`. */
export function evaluationCurves(y: ArrayLike<number>, p: ArrayLike<number>): EvaluationCurves {
  const roc = rocCurve(y, p);
  const pr = prCurve(y, p);
  const rocKeep = thin(roc.fpr.length);
  const prKeep = thin(pr.precision.length);
  const pick = (values: Float64Array, keep: number[]) => keep.map((i) => finiteOrNull(values[i]));
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  return {
    roc: {
      fpr: pick(roc.fpr, rocKeep),
      tpr: pick(roc.tpr, rocKeep),
      thresholds: pick(roc.thresholds, rocKeep),
    },
    pr: {
      precision: pick(pr.precision, prKeep),
      recall: pick(pr.recall, prKeep),
      thresholds: pick(pr.thresholds, prKeep),
    },
    lift: liftByDecile(y, p),
    calibration: calibrationCurve(y, p),
    rows: y.length,
    positives,
  };
}

/** Evenly spaced indices of an n-point curve, always with its first and last point. */
function thin(n: number): number[] {
  if (n <= MAX_POINTS) return Array.from({ length: n }, (_, i) => i);
  const step = (n - 1) / (MAX_POINTS - 1);
  return Array.from({ length: MAX_POINTS }, (_, k) => Math.round(k * step));
}

function finiteOrNull(x: number | undefined): Point {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

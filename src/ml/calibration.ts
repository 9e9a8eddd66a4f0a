// Probability calibration fitted on held-out rows: isotonic regression and Platt scaling, as scikit-learn 1.2.
// A fitted calibrator is a plain JSON-serialisable object, saved beside the model and applied to its scores.

/** Piecewise-linear monotone map through (xThresholds[i], yThresholds[i]), constant outside the ends. */
export interface IsotonicCalibrator {
  method: 'isotonic';
  xThresholds: number[];
  yThresholds: number[];
}

/** Sigmoid map p = 1 / (1 + exp(a·f + b)); a < 0 when higher scores mean more positives. */
export interface PlattCalibrator {
  method: 'platt';
  a: number;
  b: number;
  /** `logit`: f is the log-odds of the model's probability (what `fitCalibrator` fits); absent: f is the score. */
  input?: 'logit';
}

export type Calibrator = IsotonicCalibrator | PlattCalibrator;
export type CalibrationMethod = Calibrator['method'];

/**
 * scikit-learn merges sorted x values closer than this to the first of their run (`_make_unique` uses
 * `np.finfo(float64).resolution`).
 */
const TIE_RESOLUTION = 1e-15;

// ------------------------------------------------------------------------------------------ public API

/** Fits a calibrator of the given kind mapping scores `p` to probabilities of `y` = 1. */
export function fitCalibrator(
  method: CalibrationMethod,
  p: ArrayLike<number>,
  y: ArrayLike<number>,
): Calibrator {
  if (method === 'isotonic') return fitIsotonic(p, y);
  // Platt scaling is a logistic fit on the model's log-odds, as scikit-learn fits it on decision values.
  if (method === 'platt') return { ...fitPlatt(logits(p), y), input: 'logit' };
  throw new Error(`fitCalibrator: method=${String(method)} must be 'isotonic' or 'platt'`);
}

/** Calibrated probabilities of the scores `p`. */
export function applyCalibrator(calibrator: Calibrator, p: ArrayLike<number>): Float64Array {
  for (let i = 0; i < p.length; i++) {
    if (Number.isNaN(p[i])) throw new Error(`applyCalibrator: p[${i}] is NaN`);
  }
  if (calibrator.method === 'isotonic') {
    const { xThresholds, yThresholds } = calibrator;
    if (xThresholds.length === 0 || xThresholds.length !== yThresholds.length) {
      throw new Error(
        `applyCalibrator: isotonic calibrator has ${xThresholds.length} x and ${yThresholds.length} y thresholds`,
      );
    }
    return predictIsotonic(xThresholds, yThresholds, p);
  }
  return predictPlatt(calibrator.a, calibrator.b, calibrator.input === 'logit' ? logits(p) : p);
}

/** Log-odds of probabilities, clipped so 0 and 1 stay finite. */
function logits(p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
    out[i] = Math.log(q / (1 - q));
  }
  return out;
}

/**
 * Isotonic regression as scikit-learn's IsotonicRegression(increasing=True, out_of_bounds='clip'): rows
 * with weight 0 dropped, tied x merged into one point (weighted mean y, summed weight), pool adjacent
 * violators, then only the ends of constant runs kept as thresholds.
 */
export function fitIsotonic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weight?: ArrayLike<number>,
): IsotonicCalibrator {
  if (x.length !== y.length) throw new Error(`fitIsotonic: x has ${x.length} rows but y has ${y.length}`);
  if (weight && weight.length !== x.length) {
    throw new Error(`fitIsotonic: x has ${x.length} rows but weight has ${weight.length}`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new Error(`fitIsotonic: x[${i}]=${x[i]} must be finite`);
    if (!Number.isFinite(y[i])) throw new Error(`fitIsotonic: y[${i}]=${y[i]} must be finite`);
    if (weight && !(weight[i] >= 0 && weight[i] < Infinity)) {
      throw new Error(`fitIsotonic: weight[${i}]=${weight[i]} must be finite and >= 0`);
    }
  }
  const rows: number[] = [];
  for (let i = 0; i < x.length; i++) if (!weight || weight[i] > 0) rows.push(i);
  if (rows.length === 0) throw new Error('fitIsotonic: no rows with positive weight');
  return fitIsotonicRows(x, y, weight, rows);
}

/**
 * Platt scaling: (a, b) minimising scikit-learn's `_sigmoid_calibration` objective exactly (Newton's
 * method), where scikit-learn stops BFGS at gradient norm 1e-5. Generic over the score f: scikit-learn's
 * CalibratedClassifierCV feeds it decision values, while we feed our models' probabilities p, which is fine
 * (the sigmoid of an affine map of p is still a monotone recalibration of p).
 */
export function fitPlatt(f: ArrayLike<number>, y: ArrayLike<number>): PlattCalibrator {
  if (f.length !== y.length) throw new Error(`fitPlatt: f has ${f.length} rows but y has ${y.length}`);
  if (f.length === 0) throw new Error('fitPlatt: no rows');
  for (let i = 0; i < f.length; i++) {
    if (!Number.isFinite(f[i])) throw new Error(`fitPlatt: f[${i}]=${f[i]} must be finite`);
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`fitPlatt: y[${i}]=${y[i]} must be 0 or 1`);
  }
  const { a, b } = plattNewton(f, y);
  return { method: 'platt', a, b };
}

// ------------------------------------------------------------------------------------------ isotonic

function fitIsotonicRows(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weight: ArrayLike<number> | undefined,
  rows: number[],
): IsotonicCalibrator {
  // numpy's lexsort((y, x)): by x, then y, then row (stable), which fixes the order of the sums below.
  rows.sort((i, j) => x[i] - x[j] || y[i] - y[j] || i - j);
  const points = mergeTiedX(x, y, weight, rows);
  poolAdjacentViolators(points.y, points.w);
  return keepRunEnds(points.x, points.y);
}

interface WeightedPoints {
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
}

/** scikit-learn's `_make_unique`: a run of x within TIE_RESOLUTION of its first value becomes one point. */
function mergeTiedX(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weight: ArrayLike<number> | undefined,
  rows: number[],
): WeightedPoints {
  const out: WeightedPoints = {
    x: new Float64Array(rows.length),
    y: new Float64Array(rows.length),
    w: new Float64Array(rows.length),
  };
  let m = 0;
  let runX = x[rows[0]];
  let sumWy = 0;
  let sumW = 0;
  for (const row of rows) {
    const w = weight ? weight[row] : 1;
    if (x[row] - runX >= TIE_RESOLUTION) {
      out.x[m] = runX;
      out.y[m] = sumWy / sumW;
      out.w[m] = sumW;
      m++;
      runX = x[row];
      sumWy = y[row] * w;
      sumW = w;
    } else {
      sumWy += y[row] * w;
      sumW += w;
    }
  }
  out.x[m] = runX;
  out.y[m] = sumWy / sumW;
  out.w[m] = sumW;
  m++;
  return { x: out.x.subarray(0, m), y: out.y.subarray(0, m), w: out.w.subarray(0, m) };
}

/**
 * Pool adjacent violators in place, single pass with backtracking, in the order scikit-learn's
 * `_inplace_contiguous_isotonic_regression` pools, so block means round exactly as theirs do.
 * Blocks are linked through `link`: for a block [s..e], link[s] = e and link[e] = s; a block's mean and
 * total weight live at its first index s.
 *
 *   y:    0.2 | 0.6  0.4  0.3 | 0.9      the run 0.6 ≥ 0.4 ≥ 0.3 is pooled into one block,
 *   link:  0  |  3    .    1  |  4       then we step back to the previous block to recheck.
 */
function poolAdjacentViolators(y: Float64Array, w: Float64Array): void {
  const n = y.length;
  const link = new Int32Array(n);
  for (let i = 0; i < n; i++) link[i] = i;
  let i = 0;
  while (i < n) {
    let k = link[i] + 1;
    if (k === n) break;
    if (y[i] < y[k]) {
      i = k;
      continue;
    }
    let sumWy = w[i] * y[i];
    let sumW = w[i];
    for (;;) {
      const previous = y[k];
      sumWy += w[k] * y[k];
      sumW += w[k];
      k = link[k] + 1;
      if (k === n || previous < y[k]) break;
    }
    y[i] = sumWy / sumW;
    w[i] = sumW;
    link[i] = k - 1;
    link[k - 1] = i;
    if (i > 0) i = link[i - 1];
  }
  for (let start = 0; start < n; ) {
    const end = link[start] + 1;
    y.fill(y[start], start + 1, end);
    start = end;
  }
}

/** Keeps the first and last point and every point whose y differs from a neighbour's. */
function keepRunEnds(x: Float64Array, y: Float64Array): IsotonicCalibrator {
  const xThresholds: number[] = [];
  const yThresholds: number[] = [];
  const n = y.length;
  for (let i = 0; i < n; i++) {
    if (i === 0 || i === n - 1 || y[i] !== y[i - 1] || y[i] !== y[i + 1]) {
      xThresholds.push(x[i]);
      yThresholds.push(y[i]);
    }
  }
  return { method: 'isotonic', xThresholds, yThresholds };
}

/**
 * Linear interpolation between thresholds after clipping to [first, last] x: scipy's interp1d, which
 * scikit-learn uses and which delegates to numpy's interp. A query equal to a threshold returns its y
 * exactly; otherwise slope · (v − x_j) + y_j with x_j the last threshold <= v.
 */
function predictIsotonic(xs: number[], ys: number[], p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length);
  const last = xs.length - 1;
  for (let i = 0; i < p.length; i++) {
    const v = Math.min(Math.max(p[i], xs[0]), xs[last]);
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (xs[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    if (lo === last || xs[lo] === v) {
      out[i] = ys[lo];
    } else {
      const slope = (ys[lo + 1] - ys[lo]) / (xs[lo + 1] - xs[lo]);
      out[i] = slope * (v - xs[lo]) + ys[lo];
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------ Platt

function predictPlatt(a: number, b: number, f: ArrayLike<number>): Float64Array {
  const out = new Float64Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = 1 / (1 + Math.exp(a * f[i] + b));
  return out;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Platt's objective with smoothed targets (Platt 1999, §2.2; t = (N+ + 1)/(N+ + 2) for positives,
 * 1/(N− + 2) for negatives), with P = 1/(1 + e^z), z = a·f + b:
 *   F(a, b) = −Σ [t log P + (1 − t) log(1 − P)] = Σ [softplus(z) − (1 − t) z]
 */
function plattObjective(f: ArrayLike<number>, t: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < f.length; i++) {
    const z = a * f[i] + b;
    sum += softplus(z) - (1 - t[i]) * z;
  }
  return sum;
}

/**
 * Newton's method with a backtracking (Armijo) line search and a tiny ridge on the Hessian, as in Lin, Lin
 * & Weng 2007, "A note on Platt's probabilistic outputs for support vector machines", Alg. 1. Starts where
 * scikit-learn starts: a = 0, b = log((N− + 1)/(N+ + 1)).
 *   ∇F = Σ (t − P) · (f, 1),   ∇²F = Σ P(1 − P) · [[f², f], [f, 1]]
 * Near the optimum the objective's decrease falls below its rounding error; there the line search cannot
 * judge a step, so the full Newton step is taken (quadratic convergence) until the step itself is negligible.
 */
function plattNewton(f: ArrayLike<number>, y: ArrayLike<number>): { a: number; b: number } {
  const n = f.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i];
  const negatives = n - positives;
  const tPositive = (positives + 1) / (positives + 2);
  const tNegative = 1 / (negatives + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = y[i] === 1 ? tPositive : tNegative;

  const ridge = 1e-12;
  let a = 0;
  let b = Math.log((negatives + 1) / (positives + 1));
  let objective = plattObjective(f, t, a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = ridge;
    let hab = 0;
    let hbb = ridge;
    for (let i = 0; i < n; i++) {
      const fi = f[i];
      const p = 1 / (1 + Math.exp(a * fi + b));
      const r = t[i] - p;
      const h = p * (1 - p);
      ga += r * fi;
      gb += r;
      haa += h * fi * fi;
      hab += h * fi;
      hbb += h;
    }
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    const slope = ga * da + gb * db;
    if (!(slope < 0)) break; // zero gradient (or a degenerate Hessian): nothing left to gain

    let step = 1;
    let next = plattObjective(f, t, a + da, b + db);
    if (-slope > 1e-13 * (1 + Math.abs(objective))) {
      while (next > objective + 1e-4 * step * slope && step > 1e-10) {
        step /= 2;
        next = plattObjective(f, t, a + step * da, b + step * db);
      }
      if (next > objective + 1e-4 * step * slope) break;
    }
    a += step * da;
    b += step * db;
    objective = next;
    if (
      Math.abs(step * da) <= 1e-15 * Math.max(1, Math.abs(a)) &&
      Math.abs(step * db) <= 1e-15 * Math.max(1, Math.abs(b))
    ) {
      break;
    }
  }
  return { a, b };
}

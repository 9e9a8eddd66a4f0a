// Binary-classification metrics computed as scikit-learn 1.2 computes them (labels 0/1, positive class 1).
// The ranking metrics share one descending sort of the scores; no loop allocates per row.

/** Counts of the prediction "positive iff score >= threshold". */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** One tenth of the customers, ranked by descending predicted risk. */
export interface DecileLift {
  /** 1 = the highest-risk tenth. */
  decile: number;
  count: number;
  positives: number;
  /** positives / count; 0 for an empty decile (fewer than 10 rows). */
  rate: number;
  /** rate / overall positive rate; 0 when there are no positives at all. */
  lift: number;
  /** Share of all positives found in deciles 1..decile; 0 when there are no positives at all. */
  cumulativeGain: number;
}

/** ROC points by decreasing threshold, starting at (0, 0). */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** Precision-recall points by decreasing threshold (increasing recall). */
export interface PrCurve {
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

/** One non-empty bin of a reliability diagram. */
export interface CalibrationBin {
  meanPredicted: number;
  fractionPositive: number;
  count: number;
}

/** The headline numbers of a fitted model on held-out rows; threshold metrics at 0.5. */
export interface BinaryEvaluation {
  rocAuc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  accuracy: number;
  precision: number;
  recall: number;
  topDecileLift: number;
}

/** Log loss clips probabilities to [CLIP, 1 − CLIP], as our golden fixtures and ref_gbdt.py do. */
const LOG_LOSS_CLIP = 1e-15;
const DEFAULT_THRESHOLD = 0.5;

// ------------------------------------------------------------------------------------------ public API

/** Area under the ROC curve (trapezoidal, a tied positive/negative pair counts ½); throws with one class. */
export function rocAuc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  checkBinary('rocAuc', y, score, 'score');
  return rocAucOf(thresholdCounts(y, score, descendingOrder(score)));
}

/** Average precision: Σ (R_k − R_{k−1}) P_k over distinct score thresholds, no interpolation. */
export function averagePrecision(y: ArrayLike<number>, score: ArrayLike<number>): number {
  checkBinary('averagePrecision', y, score, 'score');
  return averagePrecisionOf(thresholdCounts(y, score, descendingOrder(score)));
}

/** Mean log loss with p clipped to [1e-15, 1 − 1e-15], then log(1 − p) as scikit-learn takes it. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkBinary('logLoss', y, p, 'probability');
  return logLossOf(y, p);
}

/** Brier score: mean squared difference between the unclipped probability and the label. */
export function brier(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkBinary('brier', y, p, 'probability');
  return brierOf(y, p);
}

/** Counts of true/false positives/negatives of the prediction "positive iff p >= threshold". */
export function confusionAt(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  threshold = DEFAULT_THRESHOLD,
): Confusion {
  checkBinary('confusionAt', y, p, 'score');
  checkThreshold('confusionAt', threshold);
  return confusionOf(y, p, threshold);
}

/** Share of rows predicted right, predicting positive iff p >= threshold. */
export function accuracyAt(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  threshold = DEFAULT_THRESHOLD,
): number {
  return accuracyOf(confusionAt(y, p, threshold));
}

/** tp / (tp + fp) at the threshold; 0 when nothing is predicted positive. */
export function precisionAt(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  threshold = DEFAULT_THRESHOLD,
): number {
  return precisionOf(confusionAt(y, p, threshold));
}

/** tp / (tp + fn) at the threshold; 0 when there are no positives. */
export function recallAt(y: ArrayLike<number>, p: ArrayLike<number>, threshold = DEFAULT_THRESHOLD): number {
  return recallOf(confusionAt(y, p, threshold));
}

/** Rows by descending p (ties by row index) cut into 10 near-equal groups, larger groups first. */
export function liftByDecile(y: ArrayLike<number>, p: ArrayLike<number>): DecileLift[] {
  checkBinary('liftByDecile', y, p, 'score');
  return liftByDecileOf(y, descendingOrder(p));
}

/** Lift of the highest-risk tenth: its positive rate over the overall positive rate. */
export function topDecileLift(y: ArrayLike<number>, p: ArrayLike<number>): number {
  return liftByDecile(y, p)[0].lift;
}

/** ROC curve with one point per distinct score, like roc_curve(drop_intermediate=False) in scikit-learn 1.2. */
export function rocCurve(y: ArrayLike<number>, score: ArrayLike<number>): RocCurve {
  checkBinary('rocCurve', y, score, 'score');
  const counts = thresholdCounts(y, score, descendingOrder(score));
  const { tps, fps, thresholds } = counts;
  const positives = tps[tps.length - 1];
  const negatives = fps[fps.length - 1];
  checkBothClasses('rocCurve', positives, negatives);
  const m = thresholds.length;
  const curve: RocCurve = {
    fpr: new Float64Array(m + 1),
    tpr: new Float64Array(m + 1),
    thresholds: new Float64Array(m + 1),
  };
  // scikit-learn 1.2 starts the curve at (0, 0) with threshold max + 1 (later versions use +Infinity).
  curve.thresholds[0] = thresholds[0] + 1;
  for (let k = 0; k < m; k++) {
    curve.fpr[k + 1] = fps[k] / negatives;
    curve.tpr[k + 1] = tps[k] / positives;
    curve.thresholds[k + 1] = thresholds[k];
  }
  return curve;
}

/**
 * Precision and recall at each distinct score, by decreasing threshold. scikit-learn returns the same
 * points in the opposite order and appends the sentinel (precision 1, recall 0); we leave it out.
 */
export function prCurve(y: ArrayLike<number>, score: ArrayLike<number>): PrCurve {
  checkBinary('prCurve', y, score, 'score');
  const { tps, fps, thresholds } = thresholdCounts(y, score, descendingOrder(score));
  const positives = tps[tps.length - 1];
  if (positives === 0) throw new Error('prCurve: y has no positives, so recall is undefined');
  const m = thresholds.length;
  const curve: PrCurve = {
    precision: new Float64Array(m),
    recall: new Float64Array(m),
    thresholds: Float64Array.from(thresholds),
  };
  for (let k = 0; k < m; k++) {
    curve.precision[k] = tps[k] / (tps[k] + fps[k]);
    curve.recall[k] = tps[k] / positives;
  }
  return curve;
}

/** Reliability diagram over `bins` equal-width bins of [0, 1], as calibration_curve(strategy='uniform'). */
export function calibrationCurve(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): CalibrationBin[] {
  checkBinary('calibrationCurve', y, p, 'probability');
  checkBins('calibrationCurve', bins);
  return calibrationCurveOf(y, p, bins);
}

/** Expected calibration error: Σ count/n · |fractionPositive − meanPredicted| over the uniform bins. */
export function expectedCalibrationError(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): number {
  checkBinary('expectedCalibrationError', y, p, 'probability');
  checkBins('expectedCalibrationError', bins);
  return eceOf(calibrationCurveOf(y, p, bins), y.length);
}

/** All headline metrics of one model on one set of rows, sorting the scores once; throws with one class. */
export function evaluateBinary(y: ArrayLike<number>, p: ArrayLike<number>): BinaryEvaluation {
  checkBinary('evaluateBinary', y, p, 'probability');
  const order = descendingOrder(p);
  const counts = thresholdCounts(y, p, order);
  const confusion = confusionOf(y, p, DEFAULT_THRESHOLD);
  return {
    rocAuc: rocAucOf(counts),
    prAuc: averagePrecisionOf(counts),
    logLoss: logLossOf(y, p),
    brier: brierOf(y, p),
    accuracy: accuracyOf(confusion),
    precision: precisionOf(confusion),
    recall: recallOf(confusion),
    topDecileLift: liftByDecileOf(y, order)[0].lift,
  };
}

// ------------------------------------------------------------------------------------------ validation

function checkBinary(
  fn: string,
  y: ArrayLike<number>,
  score: ArrayLike<number>,
  kind: 'score' | 'probability',
): void {
  const what = kind === 'score' ? 'score' : 'p';
  if (y.length !== score.length) {
    throw new Error(`${fn}: y has ${y.length} rows but ${what} has ${score.length}`);
  }
  if (y.length === 0) throw new Error(`${fn}: no rows`);
  if (y.length > 0xffffffff) throw new Error(`${fn}: ${y.length} rows is more than a Uint32Array can index`);
  for (let i = 0; i < y.length; i++) {
    const label = y[i];
    if (label !== 0 && label !== 1) throw new Error(`${fn}: y[${i}]=${label} must be 0 or 1`);
    const s = score[i];
    const ok = kind === 'probability' ? s >= 0 && s <= 1 : !Number.isNaN(s);
    if (!ok) {
      throw new Error(
        `${fn}: ${what}[${i}]=${s} must be ${kind === 'probability' ? 'in [0, 1]' : 'a number'}`,
      );
    }
  }
}

function checkBothClasses(fn: string, positives: number, negatives: number): void {
  if (positives === 0 || negatives === 0) {
    throw new Error(
      `${fn}: only one class present in y (${positives} positives, ${negatives} negatives); ` +
        'ROC is undefined',
    );
  }
}

function checkThreshold(fn: string, threshold: number): void {
  if (Number.isNaN(threshold)) throw new Error(`${fn}: threshold=${threshold} must be a number`);
}

function checkBins(fn: string, bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`${fn}: bins=${bins} must be an integer >= 1`);
}

// ------------------------------------------------------------------------------------------ ranking

/** Row indices by descending score; tied rows keep ascending row order, so every result is deterministic. */
function descendingOrder(score: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(score.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // `||` also turns Infinity − Infinity (NaN) into the index tie-break.
  return order.sort((a, b) => score[b] - score[a] || a - b);
}

/**
 * Cumulative positives (`tps`) and negatives (`fps`) with score >= each distinct threshold, thresholds
 * decreasing: scikit-learn's `_binary_clf_curve`. Tied scores form one threshold.
 *
 *   order:     r3   r0   r7 | r1   r5 | r2 ...    (rows by descending score, `|` = the score changes)
 *   tps, fps:  counted up to each `|`
 */
interface ThresholdCounts {
  tps: Float64Array;
  fps: Float64Array;
  thresholds: Float64Array;
}

function thresholdCounts(
  y: ArrayLike<number>,
  score: ArrayLike<number>,
  order: Uint32Array,
): ThresholdCounts {
  const n = order.length;
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    if (i === n - 1 || score[order[i]] !== score[order[i + 1]]) distinct++;
  }
  const counts: ThresholdCounts = {
    tps: new Float64Array(distinct),
    fps: new Float64Array(distinct),
    thresholds: new Float64Array(distinct),
  };
  let tp = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const row = order[i];
    tp += y[row];
    if (i === n - 1 || score[row] !== score[order[i + 1]]) {
      counts.tps[k] = tp;
      counts.fps[k] = i + 1 - tp;
      counts.thresholds[k] = score[row];
      k++;
    }
  }
  return counts;
}

/**
 * Trapezoidal area under (fps/N, tps/P). Twice the area times P·N is an integer sum, kept exact in doubles
 * (below 2^53 up to ~9e7 rows), and divided once at the end.
 */
function rocAucOf({ tps, fps }: ThresholdCounts): number {
  const positives = tps[tps.length - 1];
  const negatives = fps[fps.length - 1];
  checkBothClasses('rocAuc', positives, negatives);
  let twiceArea = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < tps.length; k++) {
    twiceArea += (fps[k] - prevFp) * (tps[k] + prevTp);
    prevTp = tps[k];
    prevFp = fps[k];
  }
  return twiceArea / (2 * positives * negatives);
}

/** Σ (R_k − R_{k−1}) P_k with R_k = tps_k / P and P_k = tps_k / (tps_k + fps_k). */
function averagePrecisionOf({ tps, fps }: ThresholdCounts): number {
  const positives = tps[tps.length - 1];
  if (positives === 0) throw new Error('averagePrecision: y has no positives, so recall is undefined');
  let sum = 0;
  let prevTp = 0;
  for (let k = 0; k < tps.length; k++) {
    sum += (tps[k] - prevTp) * (tps[k] / (tps[k] + fps[k]));
    prevTp = tps[k];
  }
  return sum / positives;
}

/**
 * Deciles as numpy's array_split cuts them: the first n mod 10 groups get one row more.
 *
 *   order:  [ d1: ⌈n/10⌉ rows ][ d2 ] ... [ d(n mod 10) ][ ⌊n/10⌋ rows ] ... [ d10 ]
 */
function liftByDecileOf(y: ArrayLike<number>, order: Uint32Array): DecileLift[] {
  const n = order.length;
  let totalPositives = 0;
  for (let i = 0; i < n; i++) totalPositives += y[i];
  const overallRate = totalPositives / n;
  const base = Math.floor(n / 10);
  const extra = n % 10;
  const deciles: DecileLift[] = [];
  let start = 0;
  let cumulative = 0;
  for (let d = 0; d < 10; d++) {
    const count = base + (d < extra ? 1 : 0);
    let positives = 0;
    for (let i = start; i < start + count; i++) positives += y[order[i]];
    start += count;
    cumulative += positives;
    const rate = count === 0 ? 0 : positives / count;
    deciles.push({
      decile: d + 1,
      count,
      positives,
      rate,
      lift: totalPositives === 0 ? 0 : rate / overallRate,
      cumulativeGain: totalPositives === 0 ? 0 : cumulative / totalPositives,
    });
  }
  return deciles;
}

// ------------------------------------------------------------------------------------------ pointwise

/**
 * scikit-learn's log_loss on the clipped p. Clipping is not symmetric in doubles: 1 − (1 − 1e-15) is
 * 9.992e-16, so a negative scored 1 costs 34.5396 and a positive scored 0 costs 34.5388. Sums are
 * compensated (Neumaier) so a million rows keep full precision.
 */
function logLossOf(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i], LOG_LOSS_CLIP), 1 - LOG_LOSS_CLIP);
    const term = y[i] === 1 ? -Math.log(q) : -Math.log(1 - q);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  }
  return (sum + compensation) / y.length;
}

/** Mean of (p − y)², compensated summation. */
function brierOf(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < y.length; i++) {
    const d = p[i] - y[i];
    const term = d * d;
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  }
  return (sum + compensation) / y.length;
}

function confusionOf(y: ArrayLike<number>, p: ArrayLike<number>, threshold: number): Confusion {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    positives += y[i];
    if (p[i] >= threshold) {
      if (y[i] === 1) tp++;
      else fp++;
    }
  }
  return { tp, fp, tn: y.length - positives - fp, fn: positives - tp };
}

function accuracyOf({ tp, fp, tn, fn }: Confusion): number {
  return (tp + tn) / (tp + fp + tn + fn);
}

function precisionOf({ tp, fp }: Confusion): number {
  return tp + fp === 0 ? 0 : tp / (tp + fp);
}

function recallOf({ tp, fn }: Confusion): number {
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}

// ------------------------------------------------------------------------------------------ calibration

/**
 * Bin edges as numpy's linspace(0, 1, bins + 1) computes them (i · (1/bins), so 0.30000000000000004), and a
 * row goes to the bin numpy's searchsorted(edges[1:-1], p) picks: bins are (lo, hi], the first is [0, hi].
 */
function calibrationCurveOf(y: ArrayLike<number>, p: ArrayLike<number>, bins: number): CalibrationBin[] {
  const step = 1 / bins;
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const v = p[i];
    let b = Math.min(bins - 1, Math.floor(v * bins));
    while (b > 0 && b * step >= v) b--;
    while (b < bins - 1 && (b + 1) * step < v) b++;
    sumP[b] += v;
    sumY[b] += y[i];
    count[b]++;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    out.push({ meanPredicted: sumP[b] / count[b], fractionPositive: sumY[b] / count[b], count: count[b] });
  }
  return out;
}

function eceOf(curve: CalibrationBin[], n: number): number {
  let ece = 0;
  for (const bin of curve) ece += (bin.count / n) * Math.abs(bin.fractionPositive - bin.meanPredicted);
  return ece;
}

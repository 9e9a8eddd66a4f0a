import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  accuracyAt,
  averagePrecision,
  brier,
  calibrationCurve,
  confusionAt,
  evaluateBinary,
  expectedCalibrationError,
  liftByDecile,
  logLoss,
  prCurve,
  precisionAt,
  recallAt,
  rocAuc,
  rocCurve,
  topDecileLift,
} from './metrics.js';
import { expectClose, uniform } from './testing/expect-close.js';

interface MetricsCase {
  name: string;
  y_true: number[];
  y_score: number[];
  roc_auc: number;
  average_precision: number;
  log_loss: number;
  brier: number;
  accuracy_at_0_5: number;
  precision_at_0_5: number;
  recall_at_0_5: number;
}

const goldenUrl = new URL('../../../shared/golden/metrics.json', import.meta.url);
const cases = JSON.parse(readFileSync(goldenUrl, 'utf8')) as MetricsCase[];

/** Golden tolerance for all seven metrics: 1e-12 relative with a 1e-15 floor for zeros. */
const REL = 1e-12;
const ABS = 1e-15;

describe('metrics against scikit-learn 1.2 (shared/golden/metrics.json)', () => {
  it('reads the fixture from /work/shared/golden beside the repository', () => {
    expect(goldenUrl.pathname.endsWith('/shared/golden/metrics.json')).toBe(true);
    expect(cases.length).toBe(9);
  });

  for (const c of cases) {
    it(`${c.name}: all seven metrics within 1e-12 relative`, () => {
      const y = c.y_true;
      const s = c.y_score;
      expectClose(rocAuc(y, s), c.roc_auc, REL, ABS, 'rocAuc');
      expectClose(averagePrecision(y, s), c.average_precision, REL, ABS, 'averagePrecision');
      expectClose(logLoss(y, s), c.log_loss, REL, ABS, 'logLoss');
      expectClose(brier(y, s), c.brier, REL, ABS, 'brier');
      expectClose(accuracyAt(y, s), c.accuracy_at_0_5, REL, ABS, 'accuracyAt');
      expectClose(precisionAt(y, s), c.precision_at_0_5, REL, ABS, 'precisionAt');
      expectClose(recallAt(y, s), c.recall_at_0_5, REL, ABS, 'recallAt');
    });

    it(`${c.name}: evaluateBinary agrees with the single metrics`, () => {
      const e = evaluateBinary(c.y_true, Float64Array.from(c.y_score));
      expectClose(e.rocAuc, c.roc_auc, REL, ABS, 'rocAuc');
      expectClose(e.prAuc, c.average_precision, REL, ABS, 'prAuc');
      expectClose(e.logLoss, c.log_loss, REL, ABS, 'logLoss');
      expectClose(e.brier, c.brier, REL, ABS, 'brier');
      expect(e.accuracy).toBe(accuracyAt(c.y_true, c.y_score));
      expect(e.precision).toBe(precisionAt(c.y_true, c.y_score));
      expect(e.recall).toBe(recallAt(c.y_true, c.y_score));
      expect(e.topDecileLift).toBe(topDecileLift(c.y_true, c.y_score));
    });
  }

  it('tiny_n3 works out by hand: AUC 1/4, AP 7/12', () => {
    expect(rocAuc([0, 1, 1], [0.4, 0.1, 0.4])).toBe(0.25);
    expectClose(averagePrecision([0, 1, 1], [0.4, 0.1, 0.4]), 7 / 12, 1e-15, 0);
  });
});

/** Slow twins: ROC AUC by counting every positive/negative pair, AP from its definition per threshold. */
function pairAuc(y: number[], s: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < y.length; j++) {
      if (y[i] !== 1 || y[j] !== 0) continue;
      pairs++;
      wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

function definitionAp(y: number[], s: number[]): number {
  const positives = y.reduce((a, b) => a + b, 0);
  const thresholds = [...new Set(s)].sort((a, b) => b - a);
  let ap = 0;
  let previousRecall = 0;
  for (const t of thresholds) {
    let tp = 0;
    let predicted = 0;
    for (let i = 0; i < y.length; i++) {
      if (s[i] >= t) {
        predicted++;
        tp += y[i];
      }
    }
    ap += (tp / positives - previousRecall) * (tp / predicted);
    previousRecall = tp / positives;
  }
  return ap;
}

describe('ranking metrics against their slow twins', () => {
  it('rocAuc and averagePrecision match pair counting and the per-threshold definition, with ties', () => {
    const next = uniform(1);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(next() * 200);
      const y = Array.from({ length: n }, (_, i) => (i < 2 ? i : next() < 0.3 ? 1 : 0));
      const s = y.map((label) => Math.round((next() + 0.4 * label) * 8) / 8);
      expectClose(rocAuc(y, s), pairAuc(y, s), 1e-12, 1e-15, `auc trial ${trial}`);
      expectClose(averagePrecision(y, s), definitionAp(y, s), 1e-12, 1e-15, `ap trial ${trial}`);
    }
  });

  it('does not depend on row order', () => {
    const y = [1, 0, 0, 1, 0, 1, 0, 0];
    const s = [0.9, 0.3, 0.9, 0.5, 0.1, 0.3, 0.5, 0.2];
    const perm = [7, 2, 5, 0, 3, 6, 1, 4];
    expect(
      rocAuc(
        perm.map((i) => y[i]),
        perm.map((i) => s[i]),
      ),
    ).toBe(rocAuc(y, s));
    expect(
      averagePrecision(
        perm.map((i) => y[i]),
        perm.map((i) => s[i]),
      ),
    ).toBe(averagePrecision(y, s));
  });

  it('throws when only one class is present', () => {
    expect(() => rocAuc([0, 0, 0], [0.1, 0.2, 0.3])).toThrow(/only one class/);
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(/only one class/);
    expect(() => evaluateBinary([1, 1], [0.1, 0.2])).toThrow(/only one class/);
  });

  it('rejects bad input, naming the argument and the row', () => {
    expect(() => rocAuc([0, 1], [0.1])).toThrow(/y has 2 rows but score has 1/);
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow(/y\[1\]=2 must be 0 or 1/);
    expect(() => rocAuc([0, 1], [0.1, Number.NaN])).toThrow(/score\[1\]=NaN/);
    expect(() => logLoss([0, 1], [0.1, 1.2])).toThrow(/p\[1\]=1.2 must be in \[0, 1\]/);
    expect(() => brier([], [])).toThrow(/no rows/);
    expect(() => calibrationCurve([0, 1], [0.1, 0.2], 0)).toThrow(/bins=0/);
  });
});

describe('log loss clipping', () => {
  it('clips then takes log(1 − p): a negative at 1 costs more than a positive at 0', () => {
    expectClose(logLoss([0], [1]), -Math.log(1 - (1 - 1e-15)), 1e-15, 0);
    expectClose(logLoss([0], [1]), 34.539575992340879, 1e-12, 0);
    expectClose(logLoss([1], [0]), 34.538776394910684, 1e-12, 0);
  });
});

describe('confusion and threshold metrics', () => {
  const y = [1, 1, 0, 0, 1, 0];
  const p = [0.9, 0.4, 0.5, 0.1, 0.5, 0.7];

  it('counts p >= threshold as predicted positive', () => {
    expect(confusionAt(y, p, 0.5)).toEqual({ tp: 2, fp: 2, tn: 1, fn: 1 });
    expect(confusionAt(y, p, 0.95)).toEqual({ tp: 0, fp: 0, tn: 3, fn: 3 });
    expect(confusionAt(y, p, 0)).toEqual({ tp: 3, fp: 3, tn: 0, fn: 0 });
  });

  it('derives accuracy, precision and recall, 0 on an empty denominator', () => {
    expect(accuracyAt(y, p)).toBe(3 / 6);
    expect(precisionAt(y, p)).toBe(2 / 4);
    expect(recallAt(y, p)).toBe(2 / 3);
    expect(precisionAt(y, p, 0.95)).toBe(0);
    expect(recallAt([0, 0], [0.7, 0.2])).toBe(0);
  });
});

describe('lift by decile', () => {
  it('splits 23 rows as 3,3,3,2,...,2 by descending p and computes rate, lift and gain', () => {
    // p = 1 − i/23: row 0 is the riskiest. Positives at rows 0, 1, 4, 10, 22.
    const n = 23;
    const p = Array.from({ length: n }, (_, i) => 1 - i / n);
    const y = Array.from({ length: n }, (_, i) => ([0, 1, 4, 10, 22].includes(i) ? 1 : 0));
    const deciles = liftByDecile(y, p);
    expect(deciles.map((d) => d.count)).toEqual([3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
    expect(deciles.map((d) => d.positives)).toEqual([2, 1, 0, 1, 0, 0, 0, 0, 0, 1]);
    const overall = 5 / 23;
    expectClose(deciles[0].rate, 2 / 3, 1e-15, 0);
    expectClose(deciles[0].lift, 2 / 3 / overall, 1e-15, 0);
    expectClose(deciles[3].lift, 1 / 2 / overall, 1e-15, 0);
    expect(deciles[2].lift).toBe(0);
    expect(deciles.map((d) => d.cumulativeGain)).toEqual([0.4, 0.6, 0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 1]);
    expect(deciles.map((d) => d.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(topDecileLift(y, p)).toBe(deciles[0].lift);
  });

  it('breaks ties by row index, so equal scores keep their row order', () => {
    // All 20 scores equal: decile 1 is rows 0 and 1, decile 10 rows 18 and 19.
    const y = Array.from({ length: 20 }, (_, i) => (i < 2 ? 1 : 0));
    const p = new Array<number>(20).fill(0.3);
    const deciles = liftByDecile(y, p);
    expect(deciles[0].positives).toBe(2);
    expect(deciles[0].lift).toBe(10);
    expect(deciles[0].cumulativeGain).toBe(1);
  });

  it('leaves the last deciles empty with fewer than 10 rows', () => {
    const deciles = liftByDecile([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6]);
    expect(deciles.map((d) => d.count)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(deciles[0].lift).toBe(2);
    expect(deciles[9]).toEqual({ decile: 10, count: 0, positives: 0, rate: 0, lift: 0, cumulativeGain: 1 });
  });
});

describe('curves', () => {
  const y = [0, 1, 1, 0, 1];
  const s = [0.2, 0.8, 0.5, 0.5, 0.1];

  it('rocCurve has one point per distinct score after the origin (scikit-learn 1.2 layout)', () => {
    const curve = rocCurve(y, s);
    expect([...curve.thresholds]).toEqual([1.8, 0.8, 0.5, 0.2, 0.1]);
    expect([...curve.fpr]).toEqual([0, 0, 0.5, 1, 1]);
    expect([...curve.tpr]).toEqual([0, 1 / 3, 2 / 3, 2 / 3, 1]);
  });

  it('prCurve has precision and recall at each distinct score, thresholds decreasing', () => {
    const curve = prCurve(y, s);
    expect([...curve.thresholds]).toEqual([0.8, 0.5, 0.2, 0.1]);
    expect([...curve.precision]).toEqual([1, 2 / 3, 2 / 4, 3 / 5]);
    expect([...curve.recall]).toEqual([1 / 3, 2 / 3, 2 / 3, 1]);
  });

  it('the trapezoids under rocCurve give rocAuc', () => {
    const { fpr, tpr } = rocCurve(y, s);
    let area = 0;
    for (let k = 1; k < fpr.length; k++) area += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
    expectClose(area, rocAuc(y, s), 1e-15, 0);
  });
});

describe('calibration curve and ECE', () => {
  it('puts p into (lo, hi] bins with numpy linspace edges and skips empty bins', () => {
    // Edges are i · 0.1, so the 4th is 0.30000000000000004 and the 8th 0.7000000000000001. Values on an
    // edge go to the bin below it: 0.1 to the first bin, 0.1 · 3 to the third; 0.7 is below its edge.
    const y = [0, 1, 0, 1, 1, 1, 0];
    const p = [0.05, 0.1, 0.1 * 3, 0.35, 0.7, 0.95, 1];
    expect(calibrationCurve(y, p, 10)).toEqual([
      { meanPredicted: (0.05 + 0.1) / 2, fractionPositive: 0.5, count: 2 },
      { meanPredicted: 0.1 * 3, fractionPositive: 0, count: 1 },
      { meanPredicted: 0.35, fractionPositive: 1, count: 1 },
      { meanPredicted: 0.7, fractionPositive: 1, count: 1 },
      { meanPredicted: (0.95 + 1) / 2, fractionPositive: 0.5, count: 2 },
    ]);
  });

  it('ECE weighs each bin gap by its share of rows', () => {
    const y = [0, 1, 0, 1, 1, 0];
    const p = [0.05, 0.1, 0.32, 0.38, 0.95, 1];
    const expected =
      (2 / 6) * Math.abs(0.5 - 0.075) + (2 / 6) * Math.abs(0.5 - 0.35) + (2 / 6) * Math.abs(0.5 - 0.975);
    expectClose(expectedCalibrationError(y, p), expected, 1e-14, 0);
    // Bins [0, .25], (.25, .5], (.5, .75]: gaps 0.25, 0 and 0.25, each bin a third of the rows.
    expectClose(
      expectedCalibrationError([0, 1, 0, 0, 1, 1], [0.5, 0.5, 0.25, 0.25, 0.75, 0.75], 4),
      1 / 6,
      1e-15,
      0,
    );
    // Perfectly calibrated: the only bin's positive fraction equals its mean prediction.
    expect(expectedCalibrationError([0, 1], [0.5, 0.5], 4)).toBe(0);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCalibrator, fitCalibrator, fitIsotonic, fitPlatt } from './calibration.js';
import { expectedCalibrationError } from './metrics.js';
import { expectAllClose, expectClose, uniform } from './testing/expect-close.js';

interface IsotonicCase {
  x: number[];
  y: number[];
  X_thresholds: number[];
  y_thresholds: number[];
  fit_at_x: number[];
  query: number[];
  predict: number[];
  n_distinct_x: number;
}

interface PlattCase {
  a: number;
  b: number;
  query: number[];
  predict: number[];
  a_optimum: number;
  b_optimum: number;
  predict_optimum: number[];
}

interface CalibrationGolden {
  isotonic: IsotonicCase;
  isotonic_ties: IsotonicCase;
  platt: PlattCase;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../shared/golden/calibration.json', import.meta.url), 'utf8'),
) as CalibrationGolden;

describe('isotonic calibration against scikit-learn 1.2 (shared/golden/calibration.json)', () => {
  for (const name of ['isotonic', 'isotonic_ties'] as const) {
    const c = golden[name];

    it(`${name}: thresholds, fit at x and clipped linear predictions within 1e-12`, () => {
      const calibrator = fitIsotonic(c.x, c.y);
      expect(calibrator.method).toBe('isotonic');
      expectAllClose(calibrator.xThresholds, c.X_thresholds, 0, 1e-12, 'xThresholds');
      expectAllClose(calibrator.yThresholds, c.y_thresholds, 0, 1e-12, 'yThresholds');
      expectAllClose(applyCalibrator(calibrator, c.x), c.fit_at_x, 0, 1e-12, 'fit_at_x');
      expectAllClose(applyCalibrator(calibrator, c.query), c.predict, 0, 1e-12, 'predict');
    });
  }

  it('isotonic_ties really has tied x', () => {
    expect(golden.isotonic_ties.n_distinct_x).toBeLessThan(golden.isotonic_ties.x.length);
  });

  it('fitCalibrator("isotonic") is fitIsotonic, and the result survives JSON', () => {
    const { x, y } = golden.isotonic;
    const calibrator = fitCalibrator('isotonic', x, y);
    expect(calibrator).toEqual(fitIsotonic(x, y));
    expect(JSON.parse(JSON.stringify(calibrator))).toEqual(calibrator);
  });
});

describe('isotonic regression on small hand-checked data', () => {
  it('pools violators into weighted means and keeps only the ends of constant runs', () => {
    // x 1..6, y 0 1 0 0 1 1: (1, 0) stays; 1 0 0 pools to 1/3; then 1 1.
    const calibrator = fitIsotonic([1, 2, 3, 4, 5, 6], [0, 1, 0, 0, 1, 1]);
    expect(calibrator.xThresholds).toEqual([1, 2, 4, 5, 6]);
    expect(calibrator.yThresholds).toEqual([0, 1 / 3, 1 / 3, 1, 1]);
  });

  it('merges tied x into their mean and interpolates linearly, clipping outside the range', () => {
    const calibrator = fitIsotonic([0.25, 0.25, 0.25, 0.25, 0.75], [0, 1, 1, 0, 1]);
    expect(calibrator.xThresholds).toEqual([0.25, 0.75]);
    expect(calibrator.yThresholds).toEqual([0.5, 1]);
    expect([...applyCalibrator(calibrator, [0, 0.25, 0.5, 0.75, 0.9])]).toEqual([0.5, 0.5, 0.75, 1, 1]);
  });

  it('uses weights and ignores rows of weight 0', () => {
    // Points (1, 1, w 3), (2, 0, w 1): pooled to 3/4. The zero-weight row at x = 0 is dropped.
    const calibrator = fitIsotonic([0, 1, 2], [1, 1, 0], [0, 3, 1]);
    expect(calibrator.xThresholds).toEqual([1, 2]);
    expect(calibrator.yThresholds).toEqual([0.75, 0.75]);
  });

  it('a single distinct x predicts its mean everywhere', () => {
    const calibrator = fitIsotonic([0.3, 0.3], [0, 1]);
    expect([...applyCalibrator(calibrator, [0, 0.3, 1])]).toEqual([0.5, 0.5, 0.5]);
  });

  it('rejects bad input, naming the argument and the row', () => {
    expect(() => fitIsotonic([0.1, 0.2], [0])).toThrow(/x has 2 rows but y has 1/);
    expect(() => fitIsotonic([0.1, Number.NaN], [0, 1])).toThrow(/x\[1\]=NaN/);
    expect(() => fitIsotonic([0.1, 0.2], [0, 1], [1, -1])).toThrow(/weight\[1\]=-1/);
    expect(() => fitIsotonic([0.1], [0], [0])).toThrow(/no rows with positive weight/);
    expect(() => applyCalibrator(fitIsotonic([0.1], [0]), [Number.NaN])).toThrow(/p\[0\] is NaN/);
  });
});

describe('Platt scaling against scikit-learn 1.2 (shared/golden/calibration.json)', () => {
  const { x, y } = golden.isotonic;
  const c = golden.platt;
  const calibrator = fitPlatt(x, y);

  it('reaches the exact optimum a_optimum, b_optimum within 1e-9', () => {
    expect(calibrator.method).toBe('platt');
    expectClose(calibrator.a, c.a_optimum, 1e-9, 0, 'a');
    expectClose(calibrator.b, c.b_optimum, 1e-9, 0, 'b');
    expectAllClose(applyCalibrator(calibrator, c.query), c.predict_optimum, 1e-9, 0, 'predict_optimum');
  });

  it("agrees with scikit-learn's BFGS a, b (stopped at gradient 1e-5) within 1e-6 relative", () => {
    expectClose(calibrator.a, c.a, 1e-6, 0, 'a');
    expectClose(calibrator.b, c.b, 1e-6, 0, 'b');
    // A flat 1e-6 relative on `predict` does not hold even for the exact optimum: at the low-probability
    // query points scikit-learn's own predict is up to 2.9e-6 relative from predict_optimum (q = −0.5).
    // What 1e-6 relative on a and b allows is |Δp| <= p(1 − p) · 1e-6 · (|a·q| + |b|).
    const predicted = applyCalibrator(calibrator, c.query);
    for (let i = 0; i < c.query.length; i++) {
      const p = c.predict[i];
      const allowed = p * (1 - p) * 1e-6 * (Math.abs(c.a * c.query[i]) + Math.abs(c.b));
      expectClose(predicted[i], p, 0, allowed, `predict[${i}]`);
    }
  });

  it('fitPlatt survives JSON', () => {
    expect(JSON.parse(JSON.stringify(calibrator))).toEqual(calibrator);
  });

  it('predicts the smoothed base rate when the score carries no information', () => {
    // Constant f: only a·f + b is identified (the ridge keeps Newton's system solvable); P = mean target.
    const fit = fitPlatt([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0]);
    const p = applyCalibrator(fit, [0.5])[0];
    const targetMean = (2 / 3 + 3 * (1 / 5)) / 4;
    expectClose(p, targetMean, 1e-12, 0, 'p');
  });

  it('rejects labels other than 0 and 1', () => {
    expect(() => fitPlatt([0.1, 0.2], [0, 2])).toThrow(/y\[1\]=2 must be 0 or 1/);
  });
});

describe('calibrating an over-confident score', () => {
  // True probability q uniform in (0.1, 0.9); the model reports sigmoid(3 · logit q): too close to 0 and 1.
  function overConfident(n: number, seed: number): { p: Float64Array; y: Float64Array } {
    const next = uniform(seed);
    const p = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const q = 0.1 + 0.8 * next();
      y[i] = next() < q ? 1 : 0;
      p[i] = 1 / (1 + ((1 - q) / q) ** 3);
    }
    return { p, y };
  }

  const fitRows = overConfident(4000, 1);
  const heldOut = overConfident(4000, 2);
  const before = expectedCalibrationError(heldOut.y, heldOut.p);

  for (const method of ['isotonic', 'platt'] as const) {
    it(`${method} cuts the held-out ECE at least in half`, () => {
      const calibrator = fitCalibrator(method, fitRows.p, fitRows.y);
      const after = expectedCalibrationError(heldOut.y, applyCalibrator(calibrator, heldOut.p));
      expect(before).toBeGreaterThan(0.05);
      expect(after).toBeLessThan(before / 2);
    });
  }
});

describe('fitCalibrator("platt")', () => {
  it('fits on the log-odds of the probabilities and applies the same map', () => {
    const p = [0.02, 0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.75, 0.9, 0.97];
    const y = [0, 0, 0, 1, 0, 0, 1, 1, 0, 1];
    const logit = p.map((q) => Math.log(q / (1 - q)));
    const calibrator = fitCalibrator('platt', p, y);
    const direct = fitPlatt(logit, y);
    expect(calibrator).toEqual({ ...direct, input: 'logit' });
    const expected = logit.map((f) => 1 / (1 + Math.exp(direct.a * f + direct.b)));
    expectAllClose(applyCalibrator(calibrator, p), expected, 1e-12, 0, 'platt on logits');
  });
});

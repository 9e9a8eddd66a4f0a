import { describe, expect, it } from 'vitest';
import { Random } from '../ml/random.js';
import { evaluationCurves } from './evaluation-curves.js';

describe('evaluationCurves', () => {
  const random = new Random(5);
  const n = 5000;
  const p = Float64Array.from({ length: n }, () => random.next());
  const y = Uint8Array.from(p, (x) => (random.next() < x ? 1 : 0));
  const curves = evaluationCurves(y, p);

  it('thins long curves to about 200 points, keeping both ends', () => {
    expect(curves.roc.fpr).toHaveLength(200);
    expect(curves.roc.fpr[0]).toBe(0);
    expect(curves.roc.fpr.at(-1)).toBe(1);
    expect(curves.roc.tpr.at(-1)).toBe(1);
    expect(curves.pr.recall.length).toBeLessThanOrEqual(200);
  });

  it('is plain JSON, thresholds kept with their points', () => {
    expect(JSON.parse(JSON.stringify(curves))).toEqual(curves);
    expect(curves.roc.thresholds).toHaveLength(curves.roc.fpr.length);
    expect(curves.roc.thresholds.every((t) => typeof t === 'number')).toBe(true);
  });

  it('carries lift by decile, the calibration curve and the counts', () => {
    expect(curves.lift).toHaveLength(10);
    expect(curves.lift[0]!.lift).toBeGreaterThan(1.5);
    expect(curves.calibration.reduce((a, b) => a + b.count, 0)).toBe(n);
    expect(curves.rows).toBe(n);
    expect(curves.positives).toBe(y.reduce((a, b) => a + b, 0));
  });
});

import { describe, expect, it } from 'vitest';
import { estimateSaveRate, measuredSaveRate, shrunkSaveRate } from './save-rates.js';

describe('measuredSaveRate', () => {
  it('is the relative fall in churn, clipped to [0, 1]', () => {
    // control churns 40%, treated 30%: a quarter of the would-be churners stayed.
    expect(
      measuredSaveRate({ treated: 100, treatedChurned: 30, control: 50, controlChurned: 20 }),
    ).toBeCloseTo(0.25, 12);
    expect(measuredSaveRate({ treated: 100, treatedChurned: 50, control: 50, controlChurned: 20 })).toBe(0);
    expect(measuredSaveRate({ treated: 100, treatedChurned: 0, control: 50, controlChurned: 20 })).toBe(1);
  });

  it('is null when there is nothing to learn from', () => {
    expect(measuredSaveRate({ treated: 100, treatedChurned: 3, control: 10, controlChurned: 0 })).toBeNull();
    expect(measuredSaveRate({ treated: 0, treatedChurned: 0, control: 10, controlChurned: 4 })).toBeNull();
  });
});

describe('shrunkSaveRate', () => {
  it('weighs prior and measurement by k and n', () => {
    expect(shrunkSaveRate(0.2, 0.5, 100, 100)).toBeCloseTo(0.35, 12);
    expect(shrunkSaveRate(0.2, 0.5, 10, 90)).toBeCloseTo((90 * 0.2 + 10 * 0.5) / 100, 12);
  });

  it('stays near the prior with little data and follows the data with much', () => {
    expect(Math.abs(shrunkSaveRate(0.2, 0.8, 5) - 0.2)).toBeLessThan(0.02);
    expect(Math.abs(shrunkSaveRate(0.2, 0.8, 100_000) - 0.8)).toBeLessThan(0.01);
    expect(shrunkSaveRate(0.2, null, 1000)).toBe(0.2);
    expect(shrunkSaveRate(0.2, 0.6, 50, 0)).toBe(0.6);
  });

  it('rejects impossible inputs, naming them', () => {
    expect(() => shrunkSaveRate(1.2, 0.5, 10)).toThrow(/prior=1.2/);
    expect(() => shrunkSaveRate(0.2, 0.5, 10, -1)).toThrow(/k=-1/);
    expect(() => shrunkSaveRate(0.2, 2, 10)).toThrow(/measured=2/);
  });
});

describe('estimateSaveRate', () => {
  it('combines a measured outcome with the prior', () => {
    const outcome = { treated: 200, treatedChurned: 30, control: 200, controlChurned: 60 };
    // measured 0.5 from 200 treated, prior 0.1 worth 200: halfway.
    expect(estimateSaveRate(0.1, outcome, 200)).toBeCloseTo(0.3, 12);
    expect(estimateSaveRate(0.1, null)).toBe(0.1);
  });
});

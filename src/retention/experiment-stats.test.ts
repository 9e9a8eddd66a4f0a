import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { Random } from '../ml/random.js';
import { compareProportions, type GroupCounts, wilsonInterval } from './experiment-stats.js';

// Reference figures computed with scipy 1.17.1: Wilson bounds from
// `scipy.stats.binomtest(x, n).proportion_ci(0.95, method='wilson')`, combined by Newcombe's method 10
// formula; p-values as `2 * scipy.stats.norm.sf(|z|)` with the pooled standard error. The first seven
// cases are the worked examples of Newcombe 1998 (Statistics in Medicine 17:873–890, Table II); rounded
// to 4 decimals the bounds are the ones printed there for method 10.
const references: Array<[GroupCounts, GroupCounts, number, number, number]> = [
  [
    { events: 56, n: 70 },
    { events: 48, n: 80 },
    0.052431472402364815,
    0.3338726540369059,
    0.00804508136819656,
  ],
  [{ events: 9, n: 10 }, { events: 3, n: 10 }, 0.17052272393450302, 0.8090179735354881, 0.006169899320544151],
  [{ events: 6, n: 7 }, { events: 2, n: 7 }, 0.0582279274823122, 0.8062496375242278, 0.030753561259274524],
  [{ events: 5, n: 56 }, { events: 0, n: 29 }, -0.03813714790353688, 0.1925600138551116, 0.09718656817057973],
  [{ events: 0, n: 10 }, { events: 0, n: 20 }, -0.16112515805281935, 0.27753279986288926, 1],
  [{ events: 0, n: 10 }, { events: 0, n: 10 }, -0.27753279986288926, 0.27753279986288926, 1],
  [{ events: 10, n: 10 }, { events: 0, n: 20 }, 0.6790860371419147, 1, 4.320463057827506e-8],
  [
    { events: 120, n: 1000 },
    { events: 150, n: 1000 },
    -0.06000825857012654,
    -1.3782434204030747e-5,
    0.04964038686536878,
  ],
  [
    { events: 18, n: 400 },
    { events: 31, n: 400 },
    -0.0670215300074423,
    0.0010488016634236375,
    0.055266970549595576,
  ],
];

describe('compareProportions', () => {
  it.each(references)('%o vs %o matches the scipy reference', (treated, control, low, high, pValue) => {
    const result = compareProportions(treated, control);
    expect(result.difference).toBeCloseTo(treated.events / treated.n - control.events / control.n, 15);
    expect(result.low).toBeCloseTo(low, 12);
    expect(result.high).toBeCloseTo(high, 12);
    // Relative tolerance 1e-10: p-values span many orders of magnitude.
    expect(Math.abs(result.pValue - pValue) / pValue).toBeLessThan(1e-10);
    expect(result.confidence).toBe(0.95);
  });

  it('matches the scipy Wilson interval for one proportion', () => {
    // scipy: binomtest(56, 70).proportion_ci(0.95, method='wilson') = (0.6918335550374693, 0.8769526075163704)
    const [low, high] = wilsonInterval(56, 70, 1.959963984540054);
    expect(low).toBeCloseTo(0.6918335550374693, 13);
    expect(high).toBeCloseTo(0.8769526075163704, 13);
  });

  it('narrows at a lower confidence and widens at a higher one', () => {
    const t = { n: 500, events: 60 };
    const c = { n: 500, events: 85 };
    const at90 = compareProportions(t, c, 0.9);
    const at95 = compareProportions(t, c, 0.95);
    const at99 = compareProportions(t, c, 0.99);
    expect(at90.low).toBeGreaterThan(at95.low);
    expect(at90.high).toBeLessThan(at95.high);
    expect(at99.low).toBeLessThan(at95.low);
    expect(at99.high).toBeGreaterThan(at95.high);
    expect(at95.pValue).toBe(at99.pValue);
  });

  it('is antisymmetric when the groups swap', () => {
    const a = compareProportions({ n: 120, events: 14 }, { n: 90, events: 20 });
    const b = compareProportions({ n: 90, events: 20 }, { n: 120, events: 14 });
    expect(b.difference).toBeCloseTo(-a.difference, 15);
    expect(b.low).toBeCloseTo(-a.high, 15);
    expect(b.high).toBeCloseTo(-a.low, 15);
    expect(b.pValue).toBeCloseTo(a.pValue, 15);
  });

  it('flags groups too small to tell', () => {
    expect(compareProportions({ n: 1000, events: 100 }, { n: 1000, events: 130 }).tooSmall).toBe(false);
    expect(compareProportions({ n: 29, events: 10 }, { n: 1000, events: 130 }).tooSmall).toBe(true); // n < 30
    expect(compareProportions({ n: 1000, events: 100 }, { n: 200, events: 4 }).tooSmall).toBe(true); // 4 events
    expect(compareProportions({ n: 100, events: 96 }, { n: 100, events: 90 }).tooSmall).toBe(true); // 4 non-events
    expect(compareProportions({ n: 30, events: 5 }, { n: 30, events: 25 }).tooSmall).toBe(false); // at the limits
  });

  it('rejects bad input, naming the field', () => {
    const ok = { n: 10, events: 2 };
    const cases: Array<[GroupCounts, GroupCounts, number, string]> = [
      [{ n: 0, events: 0 }, ok, 0.95, 'treated.n'],
      [{ n: 10.5, events: 2 }, ok, 0.95, 'treated.n'],
      [ok, { n: 10, events: 11 }, 0.95, 'control.events'],
      [ok, { n: 10, events: -1 }, 0.95, 'control.events'],
      [ok, { n: 10, events: 1.5 }, 0.95, 'control.events'],
      [ok, { n: Number.NaN, events: 1 }, 0.95, 'control.n'],
      [ok, ok, 1, 'confidence'],
      [ok, ok, 0, 'confidence'],
      [ok, ok, Number.NaN, 'confidence'],
    ];
    for (const [treated, control, confidence, key] of cases) {
      let caught: unknown;
      try {
        compareProportions(treated, control, confidence);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).where.key).toBe(key);
      expect((caught as InputError).message).toContain(key);
    }
  });
});

/** A binomial draw as a sum of Bernoulli trials (slow but exact; n is small here). */
function binomial(n: number, p: number, random: Random): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (random.next() < p) k++;
  return k;
}

/** Share of `experiments` simulated experiments whose interval holds the true difference, and share rejected at 5%. */
function simulate(n1: number, p1: number, n2: number, p2: number, experiments: number, seed: number) {
  const random = new Random(seed);
  let covered = 0;
  let rejected = 0;
  for (let e = 0; e < experiments; e++) {
    const result = compareProportions(
      { n: n1, events: binomial(n1, p1, random) },
      { n: n2, events: binomial(n2, p2, random) },
    );
    if (result.low <= p1 - p2 && p1 - p2 <= result.high) covered++;
    if (result.pValue < 0.05) rejected++;
  }
  return { coverage: covered / experiments, rejection: rejected / experiments };
}

describe('compareProportions by simulation', () => {
  it('covers the true difference about 95% of the time at low churn rates', () => {
    // 2,000 experiments: the standard error of an estimated 0.95 coverage is 0.005, so 0.93–0.97 is ±4 SE.
    for (const { coverage } of [
      simulate(150, 0.08, 150, 0.12, 2000, 1),
      simulate(30, 0.5, 20, 0.3, 2000, 2),
    ]) {
      expect(coverage).toBeGreaterThanOrEqual(0.93);
      expect(coverage).toBeLessThanOrEqual(0.97);
    }
  });

  it('rejects a true null about 5% of the time', () => {
    const { rejection } = simulate(500, 0.2, 500, 0.2, 2000, 3);
    expect(rejection).toBeGreaterThan(0.03);
    expect(rejection).toBeLessThan(0.07);
  });
});

import { describe, expect, it } from 'vitest';
import { HIST_STRIDE, histogramLayout } from './histogram.js';
import { Random } from './random.js';
import {
  defaultSplitParams,
  findBestSplit,
  findCategoricalSplit,
  findNumericSplit,
  leafValue,
  type NodeTotals,
  SplitInfo,
  type SplitParams,
  SplitScratch,
  splitGain,
} from './split-finder.js';

type Bin = [grad: number, hess: number, count: number];

/** A one-feature histogram from its bins (the last one is the missing bin) and the node totals. */
function oneFeature(bins: Bin[]) {
  const layout = histogramLayout([bins.length]);
  const histogram = Float64Array.from(bins.flat());
  const totals: NodeTotals = { grad: 0, hess: 0, count: 0 };
  for (const [g, h, c] of bins) {
    totals.grad += g;
    totals.hess += h;
    totals.count += c;
  }
  return { layout, histogram, totals };
}

const params: SplitParams = { ...defaultSplitParams, minDataInLeaf: 10 };

function numericSplit(bins: Bin[], p: SplitParams = params): SplitInfo {
  const { layout, histogram, totals } = oneFeature(bins);
  const best = new SplitInfo();
  findNumericSplit(histogram, layout, 0, totals, p, best);
  return best;
}

function categoricalSplit(bins: Bin[], p: SplitParams = params): SplitInfo {
  const { layout, histogram, totals } = oneFeature(bins);
  const best = new SplitInfo();
  findCategoricalSplit(histogram, layout, 0, totals, p, new SplitScratch(), best);
  return best;
}

describe('leaf value and gain', () => {
  it('follow Eq. 5 and Eq. 7 of Chen & Guestrin (without ½ and γ)', () => {
    expect(leafValue(-6, 2, 1)).toBe(2);
    // 4²/(1+1) + (−6)²/(3+1) − (−2)²/(4+1) = 8 + 9 − 0.8
    expect(splitGain(4, 1, -6, 3, 1)).toBeCloseTo(16.2, 12);
  });
});

describe('findNumericSplit', () => {
  const bins: Bin[] = [
    [-10, 5, 25],
    [-8, 5, 25],
    [9, 5, 25],
    [11, 5, 25],
  ];

  it('cuts where the gradient changes sign and learns that missing rows go right', () => {
    const best = numericSplit([...bins, [6, 3, 25]]);
    expect(best.feature).toBe(0);
    expect(best.thresholdBin).toBe(1);
    expect(best.missingLeft).toBe(false);
    expect(Array.from(best.leftMask.subarray(0, 5))).toEqual([1, 1, 0, 0, 0]);
    expect(best.gain).toBeCloseTo(splitGain(-18, 10, 26, 13, 1), 12);
    expect([best.leftGrad, best.leftHess, best.leftCount]).toEqual([-18, 10, 50]);
    expect([best.rightGrad, best.rightHess, best.rightCount]).toEqual([26, 13, 75]);
  });

  it('learns that missing rows go left when they look like the left side', () => {
    const best = numericSplit([...bins, [-6, 3, 25]]);
    expect(best.thresholdBin).toBe(1);
    expect(best.missingLeft).toBe(true);
    expect(Array.from(best.leftMask.subarray(0, 5))).toEqual([1, 1, 0, 0, 1]);
    expect(best.gain).toBeCloseTo(splitGain(-24, 13, 20, 10, 1), 12);
  });

  it('can split present values from missing ones', () => {
    const best = numericSplit([
      [-1, 5, 25],
      [1, 5, 25],
      [0, 5, 25],
      [40, 5, 25],
    ]);
    expect(best.thresholdBin).toBe(2);
    expect(best.missingLeft).toBe(false);
  });

  it('sends missing values with the larger child when the node has none', () => {
    const best = numericSplit([
      [-10, 5, 25],
      [9, 5, 20],
      [11, 5, 25],
      [0, 0, 0],
    ]);
    expect(best.thresholdBin).toBe(0);
    expect(best.missingLeft).toBe(false);
    const mirrored = numericSplit([
      [-10, 5, 25],
      [-9, 5, 20],
      [11, 5, 25],
      [0, 0, 0],
    ]);
    expect(mirrored.thresholdBin).toBe(1);
    expect(mirrored.missingLeft).toBe(true);
  });

  it('respects minDataInLeaf, minSumHessian and minGain', () => {
    const all: Bin[] = [...bins, [6, 3, 25]];
    expect(numericSplit(all, { ...params, minDataInLeaf: 63 }).feature).toBe(-1);
    expect(numericSplit(all, { ...params, minDataInLeaf: 50 }).thresholdBin).toBe(1);
    expect(numericSplit(all, { ...params, minSumHessian: 12 }).feature).toBe(-1);
    expect(numericSplit(all, { ...params, minGain: 1e6 }).feature).toBe(-1);
  });

  it('finds the best split that brute force finds, on random histograms', () => {
    const random = new Random(11);
    for (let trial = 0; trial < 300; trial++) {
      const nValue = 1 + random.nextInt(12);
      const bins: Bin[] = Array.from({ length: nValue + 1 }, () => {
        const count = random.next() < 0.25 ? 0 : 1 + random.nextInt(30);
        return count === 0 ? [0, 0, 0] : [(random.next() - 0.5) * count, random.next() * count, count];
      });
      const p = { ...params, minDataInLeaf: 1 + random.nextInt(20), lambda: random.next() * 3 };
      const best = numericSplit(bins, p);
      expect(best.gain).toBeCloseTo(bruteForceNumeric(bins, p), 9);
    }
  });
});

/** The slow twin: every threshold (empty bins included) and both sides for missing values. */
function bruteForceNumeric(bins: Bin[], p: SplitParams): number {
  const missing = bins[bins.length - 1];
  const total = bins.reduce((t, b) => [t[0] + b[0], t[1] + b[1], t[2] + b[2]], [0, 0, 0]);
  let best = Number.NEGATIVE_INFINITY;
  for (let cut = 0; cut < bins.length - 1; cut++) {
    for (const missingLeft of [false, true]) {
      const left = [0, 0, 0];
      for (let b = 0; b <= cut; b++) for (let k = 0; k < 3; k++) left[k] += bins[b][k];
      if (missingLeft) for (let k = 0; k < 3; k++) left[k] += missing[k];
      const right = [total[0] - left[0], total[1] - left[1], total[2] - left[2]];
      const minData = Math.max(1, p.minDataInLeaf);
      if (left[2] < minData || right[2] < minData) continue;
      if (left[1] < p.minSumHessian || right[1] < p.minSumHessian) continue;
      const gain = splitGain(left[0], left[1], right[0], right[1], p.lambda);
      if (gain > p.minGain) best = Math.max(best, gain);
    }
  }
  return best;
}

describe('findCategoricalSplit', () => {
  const plain: SplitParams = { ...params, catSmooth: 0, catL2: 0, lambda: 0, minDataPerCategory: 1 };

  it('groups categories by gradient ratio, whatever their bin order', () => {
    const best = categoricalSplit(
      [
        [10, 5, 20],
        [-10, 5, 20],
        [9, 5, 20],
        [-9, 5, 20],
        [0, 0, 0],
      ],
      plain,
    );
    expect(best.categorical).toBe(true);
    expect(Array.from(best.leftMask.subarray(0, 4))).toEqual([0, 1, 0, 1]);
    expect(best.gain).toBeCloseTo(splitGain(-19, 10, 19, 10, 0), 12);
    expect([best.leftCount, best.rightCount]).toEqual([40, 40]);
  });

  it('learns the side of missing values', () => {
    const best = categoricalSplit(
      [
        [10, 5, 20],
        [-10, 5, 20],
        [-9, 5, 20],
        [-8, 4, 20],
      ],
      plain,
    );
    expect(Array.from(best.leftMask.subarray(0, 4))).toEqual([0, 1, 1, 1]);
    expect(best.missingLeft).toBe(true);
  });

  it('puts at most maxCatThreshold categories on the left and sends rare ones right', () => {
    const bins: Bin[] = [
      [-10, 5, 20],
      [-10, 5, 20],
      [-10, 5, 3],
      [10, 5, 20],
      [10, 5, 20],
      [10, 5, 20],
      [0, 0, 0],
    ];
    const best = categoricalSplit(bins, { ...plain, maxCatThreshold: 1, minDataPerCategory: 5 });
    expect(best.leftMask.subarray(0, 7).reduce((a, b) => a + b, 0)).toBe(1);
    expect(best.leftMask[2]).toBe(0);
  });

  it('finds the best of all subsets when λ = 0 (Fisher 1958: sorting by G/H is optimal)', () => {
    const random = new Random(12);
    for (let trial = 0; trial < 100; trial++) {
      const k = 2 + random.nextInt(7);
      const bins: Bin[] = Array.from({ length: k }, () => {
        const count = 1 + random.nextInt(30);
        return [(random.next() - 0.5) * count, 0.1 + random.next() * count, count];
      });
      bins.push([0, 0, 0]);
      const best = categoricalSplit(bins, { ...plain, maxCatThreshold: 64, minDataInLeaf: 1 });
      expect(best.gain).toBeCloseTo(bruteForceSubsets(bins), 9);
    }
  });

  it('charges categorical children catL2 extra', () => {
    const bins: Bin[] = [
      [10, 5, 20],
      [-10, 5, 20],
      [0, 0, 0],
    ];
    const withL2 = categoricalSplit(bins, { ...plain, catL2: 10 });
    expect(withL2.gain).toBeCloseTo(2 * (100 / 15) - 0, 12);
  });
});

/** The slow twin: every non-trivial subset of categories on the left (no missing rows). */
function bruteForceSubsets(bins: Bin[]): number {
  const k = bins.length - 1;
  const total = bins.reduce((t, b) => [t[0] + b[0], t[1] + b[1]], [0, 0]);
  let best = Number.NEGATIVE_INFINITY;
  for (let mask = 1; mask < (1 << k) - 1; mask++) {
    let g = 0;
    let h = 0;
    for (let b = 0; b < k; b++) {
      if (mask & (1 << b)) {
        g += bins[b][0];
        h += bins[b][1];
      }
    }
    best = Math.max(best, splitGain(g, h, total[0] - g, total[1] - h, 0));
  }
  return best;
}

describe('findBestSplit', () => {
  it('takes the feature with the higher gain, the earlier one on ties', () => {
    const layout = histogramLayout([3, 3, 3]);
    const weak: Bin[] = [
      [-2, 5, 20],
      [2, 5, 20],
      [0, 0, 0],
    ];
    const strong: Bin[] = [
      [-9, 5, 20],
      [9, 5, 20],
      [0, 0, 0],
    ];
    const histogram = Float64Array.from([...weak, ...strong, ...strong].flat());
    const totals = { grad: 0, hess: 10, count: 40 };
    const best = new SplitInfo();
    findBestSplit(histogram, layout, new Uint8Array(3), [0, 1, 2], totals, params, new SplitScratch(), best);
    expect(best.feature).toBe(1);
    expect(histogram.length).toBe(HIST_STRIDE * 9);
  });
});

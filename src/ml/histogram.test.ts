import { describe, expect, it } from 'vitest';
import type { BinnedMatrix } from './binning.js';
import {
  HIST_STRIDE,
  HistogramBuilder,
  HistogramPool,
  histogramLayout,
  subtractHistogram,
} from './histogram.js';
import { quantizedBuffers, quantizeGradients } from './quantize.js';
import { Random, sampleWithoutReplacement, shuffle } from './random.js';

/** A random binned matrix with features of different bin counts. */
function randomBinned(nRows: number, nBins: number[], seed: number): BinnedMatrix {
  const random = new Random(seed);
  const binned = new Uint8Array(nRows * nBins.length);
  nBins.forEach((bins, j) => {
    for (let i = 0; i < nRows; i++) binned[j * nRows + i] = random.nextInt(bins);
  });
  return {
    binned,
    nRows,
    nFeatures: nBins.length,
    nBins: Int32Array.from(nBins),
    missingBin: Int32Array.from(nBins, (b) => b - 1),
    categorical: new Uint8Array(nBins.length),
  };
}

function randomGradients(n: number, seed: number): [Float32Array, Float32Array] {
  const random = new Random(seed);
  const grad = Float32Array.from({ length: n }, () => random.next() * 2 - 1);
  const hess = Float32Array.from({ length: n }, () => random.next() * 0.25);
  return [grad, hess];
}

/** The slow twin: per feature, a separate [grad, hess, count] triple per bin, summed row by row. */
function naiveHistogram(
  data: BinnedMatrix,
  features: number[],
  rows: ArrayLike<number>,
  grad: Float32Array,
  hess: Float32Array,
): Map<number, number[][]> {
  const out = new Map<number, number[][]>();
  for (const f of features) {
    const bins = Array.from({ length: data.nBins[f] }, () => [0, 0, 0]);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const bin = bins[data.binned[f * data.nRows + row]];
      bin[0] += grad[row];
      bin[1] += hess[row];
      bin[2] += 1;
    }
    out.set(f, bins);
  }
  return out;
}

function expectClose(
  histogram: Float64Array,
  data: BinnedMatrix,
  expected: Map<number, number[][]>,
  tolerance: number,
): void {
  const layout = histogramLayout(data.nBins);
  let worst = 0;
  for (const [f, bins] of expected) {
    bins.forEach((triple, b) => {
      for (let k = 0; k < HIST_STRIDE; k++) {
        const got = histogram[HIST_STRIDE * (layout.offsets[f] + b) + k];
        worst = Math.max(worst, Math.abs(got - triple[k]));
      }
    });
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

describe('histogramLayout', () => {
  it('places features one after another', () => {
    const layout = histogramLayout([3, 256, 2]);
    expect(Array.from(layout.offsets)).toEqual([0, 3, 259]);
    expect(layout.totalBins).toBe(261);
  });
});

describe('HistogramBuilder', () => {
  const data = randomBinned(5000, [2, 17, 256, 5, 64], 1);
  const [grad, hess] = randomGradients(5000, 2);
  const builder = new HistogramBuilder(data);
  const pool = new HistogramPool(builder.layout);

  it('equals the naive histogram for a subset of rows and features', () => {
    const rows = sampleWithoutReplacement(5000, 1234, new Random(3));
    const features = [0, 2, 4];
    const histogram = pool.acquire().fill(Number.NaN);
    builder.build(histogram, features, rows, 0, rows.length, grad, hess);
    expectClose(histogram, data, naiveHistogram(data, features, rows, grad, hess), 1e-9);
    // Features not asked for are left alone.
    expect(Number.isNaN(histogram[HIST_STRIDE * builder.layout.offsets[1]])).toBe(true);
    pool.release(histogram);
  });

  it('equals the naive histogram with every feature (the row-major kernel)', () => {
    const rows = sampleWithoutReplacement(5000, 2001, new Random(6));
    const features = [0, 1, 2, 3, 4];
    const histogram = pool.acquire().fill(Number.NaN);
    builder.build(histogram, features, rows, 0, rows.length, grad, hess);
    expectClose(histogram, data, naiveHistogram(data, features, rows, grad, hess), 1e-9);
    pool.release(histogram);
  });

  it('accumulates small nodes sparsely, lists their bins, and cleans up after itself', () => {
    const rows = sampleWithoutReplacement(5000, 40, new Random(7));
    const histogram = new Float64Array(HIST_STRIDE * builder.layout.totalBins);
    const touched = new Int32Array(256);
    builder.gather(rows, 0, rows.length, grad, hess);
    for (const f of [1, 2, 4]) {
      const count = builder.accumulateSparse(histogram, f, rows, 0, rows.length, touched);
      const expected = naiveHistogram(data, [f], rows, grad, hess);
      expectClose(histogram, data, expected, 1e-9);
      const missingBin = data.nBins[f] - 1;
      const used = expected
        .get(f)!
        .map((triple, bin) => (triple[2] > 0 && bin !== missingBin ? bin : -1))
        .filter((bin) => bin >= 0);
      expect(Array.from(touched.subarray(0, count))).toEqual(used);
      builder.clearBins(histogram, f, touched, count);
      expect(histogram.every((v) => v === 0)).toBe(true);
    }
  });

  it('reads only rows[begin..end)', () => {
    const rows = Uint32Array.from({ length: 5000 }, (_, i) => i);
    const histogram = pool.acquire();
    builder.build(histogram, [1, 3], rows, 100, 900, grad, hess);
    expectClose(histogram, data, naiveHistogram(data, [1, 3], rows.subarray(100, 900), grad, hess), 1e-9);
    pool.release(histogram);
  });

  it('does not depend on the order of the rows', () => {
    const rows = sampleWithoutReplacement(5000, 3000, new Random(4));
    const shuffled = shuffle(rows.slice(), new Random(5));
    const features = [0, 1, 2, 3, 4];
    const a = new Float64Array(HIST_STRIDE * builder.layout.totalBins);
    const b = new Float64Array(HIST_STRIDE * builder.layout.totalBins);
    builder.build(a, features, rows, 0, rows.length, grad, hess);
    builder.build(b, features, shuffled, 0, shuffled.length, grad, hess);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-10);
    // Counts are exact whatever the order.
    for (let i = 2; i < a.length; i += HIST_STRIDE) expect(a[i]).toBe(b[i]);
  });

  it('gives the larger child as parent minus smaller child, as if rebuilt', () => {
    const rows = Uint32Array.from({ length: 5000 }, (_, i) => i);
    const features = [0, 1, 2, 3, 4];
    const parent = pool.acquire();
    const child = pool.acquire();
    const sibling = pool.acquire();
    builder.build(parent, features, rows, 0, 5000, grad, hess);
    builder.build(child, features, rows, 0, 1800, grad, hess);
    builder.build(sibling, features, rows, 1800, 5000, grad, hess);
    subtractHistogram(parent, child, builder.layout, features);
    let worst = 0;
    for (let i = 0; i < parent.length; i++) worst = Math.max(worst, Math.abs(parent[i] - sibling[i]));
    expect(worst).toBeLessThan(1e-9);
    for (const h of [parent, child, sibling]) pool.release(h);
  });
});

describe('HistogramBuilder with quantised gradients', () => {
  // More rows than one packed chunk (16,384), so the chunked kernel, the row-by-row kernel for small nodes and
  // the per-feature kernel all run; each must give the exact integer sums of the naive histogram.
  const data = randomBinned(20_000, [7, 256, 3, 100, 41], 12);
  const builder = new HistogramBuilder(data);
  const [realGrad, realHess] = randomGradients(data.nRows, 13);
  const quantized = quantizedBuffers(data.nRows);
  const all = Uint32Array.from({ length: data.nRows }, (_, i) => i);
  quantizeGradients(realGrad, realHess, all, new Random(14), quantized);
  builder.quantize(quantized, all);
  const { grad, hess } = quantized;
  const layout = builder.layout;

  it.each([
    ['every row (chunked packed kernel)', 20_000, [0, 1, 2, 3, 4]],
    ['a small node (row by row)', 150, [0, 1, 2, 3, 4]],
    ['a subset of features', 9000, [1, 3]],
  ])('equals the naive integer histogram exactly: %s', (_, count, features) => {
    const rows = sampleWithoutReplacement(data.nRows, count, new Random(count));
    const histogram = new Float64Array(HIST_STRIDE * layout.totalBins);
    builder.build(histogram, features, rows, 0, rows.length, grad, hess);
    for (const [f, bins] of naiveHistogram(data, features, rows, grad, hess)) {
      const at = HIST_STRIDE * layout.offsets[f];
      expect(Array.from(histogram.subarray(at, at + HIST_STRIDE * bins.length))).toEqual(bins.flat());
    }
  });

  it('gives the larger child as parent minus smaller child exactly', () => {
    const features = [0, 1, 2, 3, 4];
    const [parent, child, sibling] = [0, 1, 2].map(() => new Float64Array(HIST_STRIDE * layout.totalBins));
    builder.build(parent, features, all, 0, all.length, grad, hess);
    builder.build(child, features, all, 0, 6000, grad, hess);
    builder.build(sibling, features, all, 6000, all.length, grad, hess);
    subtractHistogram(parent, child, layout, features);
    expect(parent).toEqual(sibling);
  });
});

describe('HistogramPool', () => {
  it('hands released buffers out again instead of allocating', () => {
    const pool = new HistogramPool(histogramLayout([4, 4]));
    const a = pool.acquire();
    expect(a.length).toBe(24);
    pool.release(a);
    expect(pool.acquire()).toBe(a);
    expect(pool.acquire()).not.toBe(a);
  });
});

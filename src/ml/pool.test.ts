import { describe, expect, it } from 'vitest';
import { trainGbdt } from './gbdt.js';
import { HistogramBuilder } from './histogram.js';
import { GrowerHelper } from './pool.js';
import { quantizedBuffers, quantizeGradients } from './quantize.js';
import { Random } from './random.js';
import { defaultSplitParams, SplitInfo, SplitScratch } from './split-finder.js';
import { syntheticChurn } from './testing/synthetic.js';

/** A binned matrix of pseudo-random bins. */
function randomBins(nRows: number, nFeatures: number) {
  const binned = new Uint8Array(nRows * nFeatures);
  for (let i = 0; i < binned.length; i++) binned[i] = ((Math.imul(i + 1, 2654435761) >>> 16) & 0xffff) % 40;
  return {
    binned,
    nRows,
    nFeatures,
    nBins: new Int32Array(nFeatures).fill(41),
    missingBin: new Int32Array(nFeatures).fill(40),
    categorical: new Uint8Array(nFeatures),
  };
}

describe('tree growing with a helper thread', () => {
  it('give the same histograms and splits, bit for bit, as one thread, and equal a naive sum', () => {
    const data = randomBins(20_000, 7);
    const grad = Float32Array.from({ length: data.nRows }, (_, i) => Math.sin(i));
    const hess = Float32Array.from({ length: data.nRows }, (_, i) => 0.1 + (i % 7) / 10);
    const features = Int32Array.from({ length: data.nFeatures }, (_, j) => j);
    const rows = new Uint32Array(new SharedArrayBuffer(4 * data.nRows));
    // A node's rows: every third row, out of order at the start.
    let n = 0;
    for (let row = data.nRows - 1; row >= 0; row -= 3) rows[n++] = row;
    const splits: SplitInfo[] = [];
    const histograms = [1, 2].map((threads) => {
      const builder = new HistogramBuilder(data);
      const context = { layout: builder.layout, categorical: data.categorical, params: defaultSplitParams };
      const helper = new GrowerHelper(
        builder.kernelBuffers(rows, new Uint32Array(new SharedArrayBuffer(4 * data.nRows))),
        context,
        3 * 41 * data.nFeatures,
        threads,
      );
      builder.useHelper(helper);
      const histogram = new Float64Array(new SharedArrayBuffer(8 * 3 * 41 * data.nFeatures));
      try {
        builder.build(histogram, features, rows, 0, n, grad, hess);
        expect(helper.threaded).toBe(threads > 1);
        const totals = { grad: 0, hess: 0, count: n };
        for (let i = 0; i < n; i++) {
          totals.grad += grad[rows[i]];
          totals.hess += hess[rows[i]];
        }
        const split = new SplitInfo();
        helper.searchSplit(histogram, totals, new SplitScratch(), split);
        splits.push(split);
      } finally {
        helper.close();
      }
      return histogram;
    });
    expect(splits[0].feature).toBeGreaterThanOrEqual(0);
    expect(splits[1]).toEqual(splits[0]);
    expect(histograms[1]).toEqual(histograms[0]);
    const naive = new Float64Array(histograms[0].length);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < data.nFeatures; f++) {
        const at = 3 * (41 * f + data.binned[f * data.nRows + rows[i]]);
        naive[at] += grad[rows[i]];
        naive[at + 1] += hess[rows[i]];
        naive[at + 2] += 1;
      }
    }
    for (let i = 0; i < naive.length; i++) expect(histograms[0][i]).toBeCloseTo(naive[i], 9);
  });

  it('give the same quantised histograms with one thread or two: the exact integer sums', () => {
    const data = randomBins(40_000, 6);
    const realGrad = Float32Array.from({ length: data.nRows }, (_, i) => Math.sin(i));
    const realHess = Float32Array.from({ length: data.nRows }, (_, i) => 0.1 + (i % 7) / 10);
    const all = Uint32Array.from({ length: data.nRows }, (_, i) => i);
    const quantized = quantizedBuffers(data.nRows);
    quantizeGradients(realGrad, realHess, all, new Random(9), quantized);
    const { grad, hess } = quantized;
    const features = Int32Array.from({ length: data.nFeatures }, (_, j) => j);
    const rows = new Uint32Array(new SharedArrayBuffer(4 * data.nRows));
    rows.set(all);
    const size = 3 * 41 * data.nFeatures;
    const histograms = [1, 2].map((threads) => {
      const builder = new HistogramBuilder(data);
      builder.quantize(quantized, all);
      const context = { layout: builder.layout, categorical: data.categorical, params: defaultSplitParams };
      const scratch = new Uint32Array(new SharedArrayBuffer(4 * data.nRows));
      const helper = new GrowerHelper(builder.kernelBuffers(rows, scratch), context, size, threads);
      builder.useHelper(helper);
      const histogram = new Float64Array(new SharedArrayBuffer(8 * size));
      try {
        // All rows (both halves take the chunked packed kernel) and a node below the halving floor.
        builder.build(histogram, features, rows, 0, data.nRows, grad, hess);
        const small = new Float64Array(new SharedArrayBuffer(8 * size));
        builder.build(small, features, rows, 100, 1100, grad, hess);
        return [histogram, small];
      } finally {
        helper.close();
      }
    });
    expect(histograms[1]).toEqual(histograms[0]);
    [
      [0, data.nRows],
      [100, 1100],
    ].forEach(([begin, end], which) => {
      const naive = new Float64Array(size);
      for (let row = begin; row < end; row++) {
        for (let f = 0; f < data.nFeatures; f++) {
          const at = 3 * (41 * f + data.binned[f * data.nRows + row]);
          naive[at] += grad[row];
          naive[at + 1] += hess[row];
          naive[at + 2] += 1;
        }
      }
      expect(histograms[0][which]).toEqual(naive);
    });
  });

  it('partition a node stably, the same with one thread or two', () => {
    const data = randomBins(10_000, 3);
    const mask = new Uint8Array(256);
    for (let b = 0; b < 40; b += 3) mask[b] = 1;
    const results = [1, 2].map((threads) => {
      const builder = new HistogramBuilder(data);
      const rows = new Uint32Array(new SharedArrayBuffer(4 * data.nRows));
      for (let i = 0; i < data.nRows; i++) rows[i] = i;
      const scratch = new Uint32Array(new SharedArrayBuffer(4 * data.nRows));
      const context = { layout: builder.layout, categorical: data.categorical, params: defaultSplitParams };
      const helper = new GrowerHelper(builder.kernelBuffers(rows, scratch), context, 3 * 41 * 3, threads);
      try {
        const split = helper.partition(mask, 1, 100, 9_900);
        return { split, rows: Array.from(rows) };
      } finally {
        helper.close();
      }
    });
    expect(results[1]).toEqual(results[0]);
    const goesLeft = (row: number) => mask[data.binned[data.nRows + row]] === 1;
    const inside = Array.from({ length: 9_800 }, (_, i) => 100 + i);
    const expected = [...inside.filter(goesLeft), ...inside.filter((row) => !goesLeft(row))];
    expect(results[0].rows.slice(100, 9_900)).toEqual(expected);
    expect(results[0].split).toBe(100 + inside.filter(goesLeft).length);
    expect(results[0].rows.slice(0, 100)).toEqual(inside.map((_, i) => i).slice(0, 100));
  });

  it('give the same boosted model with one thread or two', () => {
    // Above the grower's 20,000-row floor for starting a worker.
    const { X, y } = syntheticChurn(25_000, 5);
    for (const quantizeGradients of [false, true]) {
      const models = [1, 2].map((threads) =>
        trainGbdt(X, y, { rounds: 10, earlyStoppingRounds: 0, threads, quantizeGradients }),
      );
      expect(models[1].ensemble).toEqual(models[0].ensemble);
    }
  });
});

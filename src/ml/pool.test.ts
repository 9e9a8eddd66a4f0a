import { describe, expect, it } from 'vitest';
import { trainGbdt } from './gbdt.js';
import { HistogramBuilder } from './histogram.js';
import { GrowerHelper } from './pool.js';
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
      const helper = new GrowerHelper(builder.kernelBuffers(rows), context, 3 * 41 * data.nFeatures, threads);
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

  it('give the same boosted model with one thread or two', () => {
    const { X, y } = syntheticChurn(12_000, 5);
    const models = [1, 2].map((threads) => trainGbdt(X, y, { rounds: 25, earlyStoppingRounds: 0, threads }));
    expect(models[1].ensemble).toEqual(models[0].ensemble);
  });
});

// The kernels both the main thread and the grower's helper thread run — the histogram over row-major bins
// and the row partition — so either thread computes exactly the same thing.

import { HIST_STRIDE } from './histogram.js';

/** What a histogram worker is given once: shared buffers it reads from and the partial histogram it fills. */
export interface KernelBuffers {
  /** Row-major bins: row r's bins at rowMajor[r·nFeatures .. r·nFeatures + nFeatures). */
  rowMajor: Uint8Array;
  nFeatures: number;
  /** HIST_STRIDE × first bin of each feature. */
  strideOffsets: Int32Array;
  /** The node's rows (indices into the binned matrix). */
  rows: Uint32Array;
  /** Gradients and hessians gathered in the node's row order: entry k belongs to rows[begin + k]. */
  orderedGrad: Float64Array;
  orderedHess: Float64Array;
  /** Column-major bins (feature f of row r at f·nRows + r), for the partition. */
  columnBins: Uint8Array;
  nRows: number;
  /** Where the partition puts the rows that go right, before they are copied back. */
  scratch: Uint32Array;
}

/**
 * Stable partition of rows[begin..end) by `mask` on the bins of one feature (`column` = its bins, indexed
 * by row): rows going left are written forward from `begin`, rows going right to scratch[scratchAt..];
 * returns how many went left. Branch-free: each row is written to both places and only one cursor moves,
 * as left and right rows interleave unpredictably and a mispredicted branch per row costs more.
 */
export function partitionRows(
  rows: Uint32Array,
  scratch: Uint32Array,
  column: Uint8Array,
  mask: Uint8Array,
  begin: number,
  end: number,
  scratchAt: number,
): number {
  let write = begin;
  let spilled = scratchAt;
  for (let i = begin; i < end; i++) {
    const row = rows[i];
    const left = mask[column[row]];
    rows[write] = row;
    scratch[spilled] = row;
    write += left;
    spilled += 1 - left;
  }
  return write - begin;
}

/**
 * Adds rows[begin..end) into `histogram` (not zeroed here), every feature at once: one row's bins are
 * adjacent and its gradient pair is loaded once for all features; four rows in flight hide the latency of
 * the scattered bin updates. `k` is the ordered-gradient index of rows[begin].
 */
export function accumulateRowMajor(
  histogram: Float64Array,
  buffers: KernelBuffers,
  begin: number,
  end: number,
  k: number,
): void {
  const {
    rowMajor: binned,
    nFeatures,
    strideOffsets: base,
    rows,
    orderedGrad: og,
    orderedHess: oh,
  } = buffers;
  let i = begin;
  for (; i + 3 < end; i += 4, k += 4) {
    const r0 = rows[i] * nFeatures;
    const r1 = rows[i + 1] * nFeatures;
    const r2 = rows[i + 2] * nFeatures;
    const r3 = rows[i + 3] * nFeatures;
    const g0 = og[k];
    const g1 = og[k + 1];
    const g2 = og[k + 2];
    const g3 = og[k + 3];
    const h0 = oh[k];
    const h1 = oh[k + 1];
    const h2 = oh[k + 2];
    const h3 = oh[k + 3];
    for (let f = 0; f < nFeatures; f++) {
      const at = base[f];
      const a = at + HIST_STRIDE * binned[r0 + f];
      histogram[a] += g0;
      histogram[a + 1] += h0;
      histogram[a + 2] += 1;
      const b = at + HIST_STRIDE * binned[r1 + f];
      histogram[b] += g1;
      histogram[b + 1] += h1;
      histogram[b + 2] += 1;
      const c = at + HIST_STRIDE * binned[r2 + f];
      histogram[c] += g2;
      histogram[c + 1] += h2;
      histogram[c + 2] += 1;
      const d = at + HIST_STRIDE * binned[r3 + f];
      histogram[d] += g3;
      histogram[d + 1] += h3;
      histogram[d + 2] += 1;
    }
  }
  for (; i < end; i++, k++) {
    const r = rows[i] * nFeatures;
    for (let f = 0; f < nFeatures; f++) {
      const a = base[f] + HIST_STRIDE * binned[r + f];
      histogram[a] += og[k];
      histogram[a + 1] += oh[k];
      histogram[a + 2] += 1;
    }
  }
}

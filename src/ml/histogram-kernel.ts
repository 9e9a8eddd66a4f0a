// The kernels both the main thread and the grower's helper thread run — the histogram over row-major bins
// and the row partition — so either thread computes exactly the same thing.

import { HIST_STRIDE } from './histogram.js';
import { PACK_CHUNK_ROWS, PACK_GRAD_UNIT, PACK_HESS_UNIT } from './quantize.js';

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
  /**
   * With quantised gradients: each row's packed gradient, hessian and count (see quantize.ts), by row. Read
   * by row index, not gathered: a node's rows are ascending, so the reads still go forward through memory.
   */
  packedValues: Float64Array;
  /** First bin of each feature (in the histogram; the packed kernel's scratch gives each feature 256). */
  binOffsets: Int32Array;
  /** Bins of each feature. */
  nBins: Int32Array;
  /** Bins over all features. */
  totalBins: number;
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

/**
 * Adds rows[begin..end) into `histogram` like `accumulateRowMajor`; with `quantized`, from the ordered packed
 * values instead: big ranges through the packed kernel, chunk by chunk, via `packed` (a zeroed scratch of
 * PACKED_SCRATCH_BINS·nFeatures doubles, left zeroed), small ones row by row. Both ways give the same exact integer sums.
 */
export function accumulateRows(
  histogram: Float64Array,
  packed: Float64Array,
  buffers: KernelBuffers,
  begin: number,
  end: number,
  k: number,
  quantized: boolean,
): void {
  if (!quantized) {
    accumulateRowMajor(histogram, buffers, begin, end, k);
    return;
  }
  // Unpacking reads every bin: worth it only when the rows add several times as many values.
  if ((end - begin) * buffers.nFeatures < 4 * buffers.totalBins) {
    accumulateUnpacked(histogram, buffers, begin, end);
    return;
  }
  // Equal chunks: each unpack reads every bin, so a short last chunk would cost as much as a full one.
  const chunks = Math.ceil((end - begin) / PACK_CHUNK_ROWS);
  const chunkRows = Math.ceil((end - begin) / chunks);
  for (let at = begin; at < end; at += chunkRows) {
    const stop = Math.min(end, at + chunkRows);
    accumulatePacked(packed, buffers, at, stop);
    unpackInto(histogram, packed, buffers);
  }
}

/** Bins per feature in the packed scratch: a fixed 256 makes a bin's place (f << 8) | bin, one load less. */
export const PACKED_SCRATCH_BINS = 256;

/**
 * One addition per row and feature: `packed[(f << 8) | bin] += packedValues[row]`, for at most
 * PACK_CHUNK_ROWS rows (so the packed fields cannot overflow into each other).
 */
export function accumulatePacked(
  packed: Float64Array,
  buffers: KernelBuffers,
  begin: number,
  end: number,
): void {
  const { rowMajor: binned, nFeatures, rows, packedValues: values } = buffers;
  let i = begin;
  for (; i + 3 < end; i += 4) {
    const row0 = rows[i];
    const row1 = rows[i + 1];
    const row2 = rows[i + 2];
    const row3 = rows[i + 3];
    const r0 = row0 * nFeatures;
    const r1 = row1 * nFeatures;
    const r2 = row2 * nFeatures;
    const r3 = row3 * nFeatures;
    const p0 = values[row0];
    const p1 = values[row1];
    const p2 = values[row2];
    const p3 = values[row3];
    for (let f = 0; f < nFeatures; f++) {
      const at = f << 8;
      packed[at | binned[r0 + f]] += p0;
      packed[at | binned[r1 + f]] += p1;
      packed[at | binned[r2 + f]] += p2;
      packed[at | binned[r3 + f]] += p3;
    }
  }
  for (; i < end; i++) {
    const r = rows[i] * nFeatures;
    const p = values[rows[i]];
    for (let f = 0; f < nFeatures; f++) packed[(f << 8) | binned[r + f]] += p;
  }
}

/** Adds the fields of each packed bin to `histogram`'s (grad, hess, count) and zeroes the packed bin. */
export function unpackInto(histogram: Float64Array, packed: Float64Array, buffers: KernelBuffers): void {
  const { nFeatures, binOffsets, nBins } = buffers;
  const gradInv = 1 / PACK_GRAD_UNIT;
  const hessInv = 1 / PACK_HESS_UNIT;
  for (let f = 0; f < nFeatures; f++) {
    const from = f << 8;
    const to = HIST_STRIDE * binOffsets[f];
    for (let b = 0; b < nBins[f]; b++) {
      const p = packed[from + b];
      // An empty bin is exactly 0: any row adds a count of 1 to the low field.
      if (p === 0) continue;
      packed[from + b] = 0;
      const g = Math.floor(p * gradInv);
      const low = p - g * PACK_GRAD_UNIT;
      const h = Math.floor(low * hessInv);
      const at = to + HIST_STRIDE * b;
      histogram[at] += g;
      histogram[at + 1] += h;
      histogram[at + 2] += low - h * PACK_HESS_UNIT;
    }
  }
}

/** Small ranges of quantised rows: each row's packed value split into (grad, hess), then added per feature. */
function accumulateUnpacked(
  histogram: Float64Array,
  buffers: KernelBuffers,
  begin: number,
  end: number,
): void {
  const { rowMajor: binned, nFeatures, strideOffsets: base, rows, packedValues: values } = buffers;
  const gradInv = 1 / PACK_GRAD_UNIT;
  const hessInv = 1 / PACK_HESS_UNIT;
  for (let i = begin; i < end; i++) {
    const r = rows[i] * nFeatures;
    const p = values[rows[i]];
    const g = Math.floor(p * gradInv);
    const h = Math.floor((p - g * PACK_GRAD_UNIT) * hessInv);
    for (let f = 0; f < nFeatures; f++) {
      const a = base[f] + HIST_STRIDE * binned[r + f];
      histogram[a] += g;
      histogram[a + 1] += h;
      histogram[a + 2] += 1;
    }
  }
}

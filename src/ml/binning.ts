// Feature binning: per feature up to 255 value bins (quantiles of a sample for numbers, one bin per kept
// category) plus one bin for missing values; `applyBins` turns a FeatureMatrix into a Uint8Array.

import { InputError } from '../errors.js';
import { BinArray, MAX_BINS } from './dtypes.js';
import type { FeatureKind, FeatureMatrix } from './matrix.js';
import { sortFloat64 } from './radix-sort.js';
import { Random, sampleWithoutReplacement } from './random.js';

/**
 * Numeric feature. `edges` are increasing upper edges: value bin b holds the values x with
 * `edges[b-1] <= x < edges[b]` (no lower edge for bin 0, no upper edge for the last value bin), so
 * "bins 0..b go left" is exactly the tree test `x < edges[b]`. Edges are midpoints between neighbouring
 * distinct sample values. Value bins are 0..edges.length; the missing bin is the last one.
 */
export interface NumericBins {
  kind: 'numeric';
  edges: number[];
  /** Value bins + 1 missing bin. */
  nBins: number;
  missingBin: number;
}

/**
 * Categorical feature. Kept categories get a bin each (in code order); rare categories (fewer than
 * `minCategoryCount` rows) and categories never seen are merged into one "other" bin; missing values
 * (NaN) and codes outside `categories` go to the missing bin, the last one.
 */
export interface CategoricalBins {
  kind: 'categorical';
  categories: string[];
  /** Bin of each category code. */
  binOfCode: number[];
  /** The merged bin, -1 when every category has its own. */
  otherBin: number;
  nBins: number;
  missingBin: number;
}

export type FeatureBins = NumericBins | CategoricalBins;

/** Everything needed to bin new rows: plain data, JSON-able. */
export interface BinMapper {
  names: string[];
  features: FeatureBins[];
}

/** A binned matrix: bins column-major (`binned[j * nRows + i]` is feature j of row i). */
export interface BinnedMatrix {
  binned: BinArray;
  nRows: number;
  nFeatures: number;
  /** Bins per feature, missing bin included. */
  nBins: Int32Array;
  /** Index of the missing bin per feature (= nBins - 1). */
  missingBin: Int32Array;
  /** 1 for categorical features. */
  categorical: Uint8Array;
}

export interface BinningOptions {
  /** Value bins per feature at most (the missing bin comes on top), 2..255. */
  maxBins?: number;
  /** Rows sampled to place numeric edges. */
  sampleSize?: number;
  /** Categories with fewer rows are merged into the "other" bin. */
  minCategoryCount?: number;
  seed?: number;
}

/** Learns bin edges and category bins from `rows` of `X` (all rows when omitted). */
export function fitBins(X: FeatureMatrix, rows?: ArrayLike<number>, options: BinningOptions = {}): BinMapper {
  const maxBins = options.maxBins ?? MAX_BINS;
  const sampleSize = options.sampleSize ?? 200_000;
  const minCategoryCount = options.minCategoryCount ?? 10;
  const seed = options.seed ?? 0;
  checkInteger('maxBins', maxBins, 2, MAX_BINS);
  checkInteger('sampleSize', sampleSize, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('minCategoryCount', minCategoryCount, 0, Number.MAX_SAFE_INTEGER);
  const fitRows = rows ?? allRows(X.nRows);
  for (let i = 0; i < fitRows.length; i++) {
    const row = fitRows[i];
    if (!(Number.isInteger(row) && row >= 0 && row < X.nRows)) {
      throw new InputError(`row index ${row} is outside 0..${X.nRows - 1}`, { key: 'rows' });
    }
  }
  let sampleRows: ArrayLike<number> = fitRows;
  if (fitRows.length > sampleSize) {
    const picked = sampleWithoutReplacement(fitRows.length, sampleSize, new Random(seed));
    sampleRows = Array.from(picked, (k) => fitRows[k]);
  }
  const features = X.columns.map((column, j): FeatureBins => {
    if (X.kinds[j] === 'categorical') {
      return categoricalBins(column, fitRows, X.categories[j] ?? [], maxBins, minCategoryCount);
    }
    return numericBins(column, sampleRows, maxBins);
  });
  return { names: [...X.names], features };
}

/** Bins rows `rows` of `X` (all rows when omitted, in that order) with `mapper`. */
export function applyBins(mapper: BinMapper, X: FeatureMatrix, rows?: ArrayLike<number>): BinnedMatrix {
  const nFeatures = mapper.features.length;
  if (X.columns.length !== nFeatures) {
    throw new InputError(`the matrix has ${X.columns.length} features, the bins were fitted on ${nFeatures}`);
  }
  const take = rows instanceof Uint32Array ? rows : Uint32Array.from(rows ?? allRows(X.nRows));
  const nRows = take.length;
  // Shared memory, so the grower's helper thread can read the bins when it partitions rows.
  const binned = new BinArray(new SharedArrayBuffer(nFeatures * nRows));
  const nBins = new Int32Array(nFeatures);
  const missingBin = new Int32Array(nFeatures);
  const categorical = new Uint8Array(nFeatures);
  for (let j = 0; j < nFeatures; j++) {
    const bins = mapper.features[j];
    const kind: FeatureKind = bins.kind;
    if (X.kinds[j] !== kind) {
      throw new InputError(`feature is ${X.kinds[j]} but was binned as ${kind}`, { column: X.names[j] });
    }
    nBins[j] = bins.nBins;
    missingBin[j] = bins.missingBin;
    const out = binned.subarray(j * nRows, (j + 1) * nRows);
    if (bins.kind === 'numeric') binNumeric(X.columns[j], take, bins, out);
    else {
      categorical[j] = 1;
      binCategorical(X.columns[j], take, bins, out);
    }
  }
  return { binned, nRows, nFeatures, nBins, missingBin, categorical };
}

/** Value bin of a present numeric `x`: the number of edges <= x (edges ascending). */
export function numericBin(edges: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A threshold t with a < t <= b, so `x < t` separates a from b: their midpoint, or b when a, b are adjacent. */
export function midpoint(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid > a && mid <= b ? mid : b;
}

function numericBins(column: Float64Array, rows: ArrayLike<number>, maxBins: number): NumericBins {
  const values = new Float64Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const x = column[rows[i]];
    if (!Number.isNaN(x)) values[n++] = x;
  }
  const sorted = sortFloat64(values.subarray(0, n));
  // Distinct values and their counts (−0 and +0 are one value).
  const distinctValues = new Float64Array(n);
  const distinctCounts = new Float64Array(n);
  let nDistinct = 0;
  for (let i = 0; i < n; i++) {
    if (nDistinct > 0 && sorted[i] === distinctValues[nDistinct - 1]) distinctCounts[nDistinct - 1]++;
    else {
      distinctValues[nDistinct] = sorted[i];
      distinctCounts[nDistinct++] = 1;
    }
  }
  const distinct = distinctValues.subarray(0, nDistinct);
  const counts = distinctCounts.subarray(0, nDistinct);
  const edges: number[] = [];
  if (nDistinct <= maxBins) {
    for (let i = 1; i < nDistinct; i++) edges.push(midpoint(distinct[i - 1], distinct[i]));
  } else {
    quantileEdges(distinct, counts, n, maxBins, edges);
  }
  const nBins = edges.length + 2;
  return { kind: 'numeric', edges, nBins, missingBin: nBins - 1 };
}

/**
 * Greedy equal-frequency cuts over distinct values: each bin aims at (rows left) / (bins left) rows,
 * a value heavier than that gets a bin of its own, and a cut goes before a value when taking it would
 * overshoot the target by more than stopping short of it.
 */
function quantileEdges(
  distinct: Float64Array,
  counts: Float64Array,
  total: number,
  maxBins: number,
  edges: number[],
) {
  let rowsLeft = total;
  let binsLeft = maxBins;
  let inBin = 0;
  let target = rowsLeft / binsLeft;
  const cut = (i: number) => {
    // cut between distinct[i - 1] and distinct[i]
    edges.push(midpoint(distinct[i - 1], distinct[i]));
    rowsLeft -= inBin;
    binsLeft--;
    inBin = 0;
    target = rowsLeft / binsLeft;
  };
  for (let i = 0; i < distinct.length; i++) {
    const c = counts[i];
    if (binsLeft > 1 && inBin > 0 && inBin + c > target && inBin + c - target > target - inBin) cut(i);
    inBin += c;
    if (binsLeft > 1 && inBin >= target && i + 1 < distinct.length) cut(i + 1);
  }
}

function categoricalBins(
  column: Float64Array,
  rows: ArrayLike<number>,
  categories: string[],
  maxBins: number,
  minCategoryCount: number,
): CategoricalBins {
  const nCategories = categories.length;
  const counts = new Float64Array(nCategories);
  for (let i = 0; i < rows.length; i++) {
    const code = column[rows[i]];
    if (Number.isInteger(code) && code >= 0 && code < nCategories) counts[code]++;
  }
  let kept: number[] = [];
  for (let code = 0; code < nCategories; code++) {
    if (counts[code] > 0 && counts[code] >= minCategoryCount) kept.push(code);
  }
  let merged = kept.length < nCategories;
  if (kept.length + (merged ? 1 : 0) > maxBins) {
    // Keep the most frequent (ties: lower code), merge the rest.
    kept = kept
      .sort((a, b) => counts[b] - counts[a] || a - b)
      .slice(0, maxBins - 1)
      .sort((a, b) => a - b);
    merged = true;
  }
  const otherBin = merged ? kept.length : -1;
  const binOfCode = new Array<number>(nCategories).fill(otherBin);
  kept.forEach((code, bin) => {
    binOfCode[code] = bin;
  });
  const valueBins = Math.max(1, kept.length + (merged ? 1 : 0));
  return {
    kind: 'categorical',
    categories: [...categories],
    binOfCode,
    otherBin,
    nBins: valueBins + 1,
    missingBin: valueBins,
  };
}

/** Buckets of the edge range in the bin lookup: a few per bin, so the scan after the lookup is short. */
const LOOKUP_BUCKETS = 2048;

/**
 * Bins one numeric column. A binary search costs a mispredicted branch per step; instead the range between
 * the first and last edge is cut into equal buckets, each knowing the first bin it can hold, and a value
 * scans forward from there (rarely more than a step or two):
 *
 *   edges:    e0    e1 e2        e3 ...
 *   buckets:  |  0  |  1  |  2  |  3  | ...    lookup[k] = bins of the edges below bucket k's start
 */
function binNumeric(column: Float64Array, rows: Uint32Array, bins: NumericBins, out: BinArray): void {
  const nEdges = bins.edges.length;
  // NaN after the last edge stops the forward scan without a bounds check (`NaN <= x` is false for any x).
  const edges = new Float64Array(nEdges + 1);
  edges.set(bins.edges);
  edges[nEdges] = Number.NaN;
  const missing = bins.missingBin;
  const first = nEdges > 0 ? edges[0] : 0;
  const span = nEdges > 1 ? edges[nEdges - 1] - first : 0;
  const scale = span > 0 && Number.isFinite(span) ? LOOKUP_BUCKETS / span : 0;
  const lookup = new Int32Array(LOOKUP_BUCKETS + 1);
  for (let k = 0, b = 0; k <= LOOKUP_BUCKETS; k++) {
    const start = first + k / scale;
    while (b < nEdges && edges[b] <= start) b++;
    lookup[k] = scale > 0 ? b : 0;
  }
  for (let i = 0; i < rows.length; i++) {
    const x = column[rows[i]];
    if (Number.isNaN(x)) {
      out[i] = missing;
      continue;
    }
    // NaN here (an infinite x with a zero scale) falls to bucket 0 like negatives do.
    let bucket = Math.floor((x - first) * scale);
    bucket = bucket > 0 ? (bucket > LOOKUP_BUCKETS ? LOOKUP_BUCKETS : bucket) : 0;
    // The bucket's start may round above an edge it should be below: step back while needed.
    let b = lookup[bucket];
    while (b > 0 && edges[b - 1] > x) b--;
    while (edges[b] <= x) b++;
    out[i] = b;
  }
}

function binCategorical(
  column: Float64Array,
  rows: ArrayLike<number>,
  bins: CategoricalBins,
  out: BinArray,
): void {
  const binOfCode = Int32Array.from(bins.binOfCode);
  const nCategories = binOfCode.length;
  const missing = bins.missingBin;
  for (let i = 0; i < rows.length; i++) {
    const code = column[rows[i]];
    // NaN fails every comparison, so it lands in the missing bin with codes out of range.
    out[i] = code >= 0 && code < nCategories && code === Math.floor(code) ? binOfCode[code] : missing;
  }
}

function allRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
    throw new InputError(`${name}=${value} must be ${range}`, { key: name });
  }
}

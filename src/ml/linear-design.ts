// The dense standardised design matrix of a linear model, as the reference's `logreg` pipeline builds it:
// median imputation, one-hot blocks, StandardScaler — learned on training rows, kept as plain JSON.

import { InputError } from '../errors.js';
import type { FeatureKind, FeatureMatrix } from './matrix.js';

/**
 * The label the reference (`ref_gbdt.py`) gives missing categorical values before one-hot encoding. It only
 * decides where the missing column sorts among the others, and so which categories tie-break as infrequent.
 */
const MISSING_SORT_LABEL = '__missing__';

/** One numeric feature: one design column. */
export interface NumericBlock {
  kind: 'numeric';
  /** Index of the source feature in `LinearDesign.features`. */
  feature: number;
  column: number;
  /** Median of the present training values: the value a missing one is imputed with. */
  median: number;
}

/**
 * One categorical feature: a one-hot column per level (in the reference's order: labels sorted, missing
 * sorting as `__missing__`), then one 'infrequent' column when rarer levels were merged.
 */
export interface CategoricalBlock {
  kind: 'categorical';
  feature: number;
  firstColumn: number;
  /** Category label of each one-hot column; `null` is the column of missing values. */
  levels: (string | null)[];
  /** Levels merged into the block's last column; empty when the block has no infrequent column. */
  infrequent: (string | null)[];
}

export type DesignBlock = NumericBlock | CategoricalBlock;

/**
 * Everything needed to turn rows of a `FeatureMatrix` into standardised design rows. Columns: the numeric
 * features in source order, then the one-hot blocks in source order (the reference's layout).
 */
export interface LinearDesign {
  /** Source features, matched by name when the design is applied. */
  features: { name: string; kind: FeatureKind }[];
  blocks: DesignBlock[];
  /** Per design column: index of its source feature, readable name (`Contract=Month-to-month`). */
  columnFeature: number[];
  columnNames: string[];
  /** StandardScaler's mean and scale per design column, over the imputed training rows. */
  mean: number[];
  std: number[];
}

/** A dense row-major design: `values[i * nCols + k]` is column k of row i. */
export interface DesignMatrix {
  nRows: number;
  nCols: number;
  values: Float64Array;
}

export interface DesignOptions {
  /** One-hot columns per categorical feature at most, the infrequent column included (default 50). */
  maxCategories?: number;
}

/**
 * Learns the design on `rows` of `X` (default: all rows). Unseen levels at apply time go to the infrequent
 * column when the block has one, else to no column (`handle_unknown='infrequent_if_exist'`).
 */
export function fitDesign(
  X: FeatureMatrix,
  rows?: ArrayLike<number>,
  options: DesignOptions = {},
): LinearDesign {
  checkMatrix(X);
  const maxCategories = options.maxCategories ?? 50;
  if (!Number.isInteger(maxCategories) || maxCategories < 2) {
    throw new InputError(`maxCategories=${maxCategories} must be an integer >= 2`, { key: 'maxCategories' });
  }
  const trainRows = checkRows(rows, X.nRows);
  if (trainRows.length === 0) throw new InputError('no training rows', { key: 'rows' });
  return fitDesignTrusted(X, trainRows, maxCategories);
}

function fitDesignTrusted(X: FeatureMatrix, rows: ArrayLike<number>, maxCategories: number): LinearDesign {
  const design: LinearDesign = {
    features: X.names.map((name, j) => ({ name, kind: X.kinds[j] })),
    blocks: [],
    columnFeature: [],
    columnNames: [],
    mean: [],
    std: [],
  };
  const n = rows.length;
  const buffer = new Float64Array(n);
  const addColumn = (feature: number, name: string, mean: number, variance: number) => {
    design.columnFeature.push(feature);
    design.columnNames.push(name);
    design.mean.push(mean);
    design.std.push(standardScale(mean, variance, n));
  };
  for (let j = 0; j < X.names.length; j++) {
    if (X.kinds[j] !== 'numeric') continue;
    const median = trainingMedian(X, j, rows, buffer);
    const { mean, variance } = imputedMoments(X.columns[j], rows, median);
    design.blocks.push({ kind: 'numeric', feature: j, column: design.columnNames.length, median });
    addColumn(j, X.names[j], mean, variance);
  }
  for (let j = 0; j < X.names.length; j++) {
    if (X.kinds[j] !== 'categorical') continue;
    const { levels, counts } = levelCounts(X, j, rows);
    const keep = frequentLevels(counts, maxCategories);
    const block: CategoricalBlock = {
      kind: 'categorical',
      feature: j,
      firstColumn: design.columnNames.length,
      levels: levels.filter((_, l) => keep[l]),
      infrequent: levels.filter((_, l) => !keep[l]),
    };
    design.blocks.push(block);
    const columnCounts = counts.filter((_, l) => keep[l]);
    const columnLabels = block.levels.map((level) => (level === null ? '<missing>' : level));
    if (block.infrequent.length > 0) {
      columnCounts.push(counts.reduce((sum, count, l) => (keep[l] ? sum : sum + count), 0));
      columnLabels.push('<infrequent>');
    }
    columnCounts.forEach((count, k) => {
      // Moments of a 0/1 column: mean = share of ones, variance = mean·(1 − mean).
      const mean = count / n;
      addColumn(j, `${X.names[j]}=${columnLabels[k]}`, mean, mean * (1 - mean));
    });
  }
  return design;
}

/**
 * StandardScaler's scale: √variance, or 1 for a column indistinguishable from a constant, the bound of
 * scikit-learn's `_is_constant_feature` (Chan, Golub & LeVeque's error bound of the two-pass variance).
 */
export function standardScale(mean: number, variance: number, n: number): number {
  const eps = Number.EPSILON;
  const bound = n * eps * variance + (n * mean * eps) ** 2;
  return variance <= bound ? 1 : Math.sqrt(variance);
}

/** Median of the present training values of numeric feature j (numpy's: mean of the two middle ones); 0 if none. */
function trainingMedian(X: FeatureMatrix, j: number, rows: ArrayLike<number>, buffer: Float64Array): number {
  const column = X.columns[j];
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    const value = column[rows[i]];
    if (Number.isNaN(value)) continue;
    if (!Number.isFinite(value)) {
      throw new InputError(`value ${value} is not finite`, { column: X.names[j], row: rows[i] + 1 });
    }
    buffer[count++] = value;
  }
  // An all-missing column is imputed with 0: constant, so scaled to 0 and given coefficient 0 — the same
  // model as the reference's SimpleImputer, which drops such a column.
  if (count === 0) return 0;
  const half = count >> 1;
  const upper = selectKth(buffer, count, half);
  if (count % 2 === 1) return upper;
  let lower = buffer[0];
  for (let i = 1; i < half; i++) if (buffer[i] > lower) lower = buffer[i];
  return (lower + upper) / 2;
}

/**
 * Rearranges `a[0..length)` so that `a[k]` holds the k-th smallest value, everything before it is <= and
 * everything after it >= (Hoare's selection with a median-of-three pivot), and returns `a[k]`.
 */
export function selectKth(a: Float64Array, length: number, k: number): number {
  let lo = 0;
  let hi = length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three to a[mid]: sorted a[lo] <= a[mid] <= a[hi].
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    //  lo ........ j | (j, i) all == pivot | i ........ hi
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Mean and population variance of the imputed column (StandardScaler's corrected two-pass sums). */
function imputedMoments(
  column: Float64Array,
  rows: ArrayLike<number>,
  median: number,
): { mean: number; variance: number } {
  const n = rows.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const value = column[rows[i]];
    sum += Number.isNaN(value) ? median : value;
  }
  const mean = sum / n;
  let correction = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const value = column[rows[i]];
    const d = (Number.isNaN(value) ? median : value) - mean;
    correction += d;
    squares += d * d;
  }
  return { mean, variance: (squares - (correction * correction) / n) / n };
}

/** Levels of categorical feature j present in the training rows, in the reference's sorted order, with counts. */
function levelCounts(
  X: FeatureMatrix,
  j: number,
  rows: ArrayLike<number>,
): { levels: (string | null)[]; counts: number[] } {
  const labels = X.categories[j];
  const byCode = new Float64Array(labels.length);
  let missing = 0;
  const column = X.columns[j];
  for (let i = 0; i < rows.length; i++) {
    const code = column[rows[i]];
    if (Number.isNaN(code)) missing++;
    else byCode[checkCode(X, j, code, rows[i])]++;
  }
  const present: { level: string | null; count: number }[] = [];
  byCode.forEach((count, code) => {
    if (count > 0) present.push({ level: labels[code], count });
  });
  if (missing > 0) present.push({ level: null, count: missing });
  // Code-unit order, as Python sorts str (they differ only above U+FFFF); stable for equal labels.
  const key = (level: string | null) => level ?? MISSING_SORT_LABEL;
  present.sort((a, b) => (key(a.level) < key(b.level) ? -1 : key(a.level) > key(b.level) ? 1 : 0));
  return { levels: present.map((p) => p.level), counts: present.map((p) => p.count) };
}

/**
 * Which levels keep their own column. With `maxCategories` levels or more, only the `maxCategories − 1`
 * most frequent do; ties go to the level sorting last (scikit-learn 1.2 `_identify_infrequent`: a stable
 * ascending argsort of the counts, all but the last `maxCategories − 1` infrequent).
 */
export function frequentLevels(counts: number[], maxCategories: number): boolean[] {
  const keep = counts.map(() => true);
  if (counts.length < maxCategories) return keep;
  const ascending = counts.map((_, l) => l).sort((a, b) => counts[a] - counts[b] || a - b);
  for (const l of ascending.slice(0, counts.length - (maxCategories - 1))) keep[l] = false;
  return keep;
}

/**
 * Standardised design rows of `X` (`rows`, default all) under `design`. Features are found by name; a
 * categorical level is matched by its label, so the matrix may number its categories differently.
 */
export function applyDesign(design: LinearDesign, X: FeatureMatrix, rows?: ArrayLike<number>): DesignMatrix {
  checkMatrix(X);
  const useRows = checkRows(rows, X.nRows);
  const sources = design.features.map(({ name, kind }) => {
    const j = X.names.indexOf(name);
    if (j < 0) throw new InputError(`feature "${name}" of the model is missing`, { column: name });
    if (X.kinds[j] !== kind) {
      throw new InputError(`feature "${name}" is ${X.kinds[j]}, the model expects ${kind}`, { column: name });
    }
    return j;
  });
  const nCols = design.columnNames.length;
  const n = useRows.length;
  const values = new Float64Array(n * nCols);
  for (const block of design.blocks) {
    const j = sources[block.feature];
    if (block.kind === 'numeric') fillNumeric(design, block, X, j, useRows, values);
    else fillCategorical(design, block, X, j, useRows, values);
  }
  return { nRows: n, nCols, values };
}

function fillNumeric(
  design: LinearDesign,
  block: NumericBlock,
  X: FeatureMatrix,
  j: number,
  rows: ArrayLike<number>,
  out: Float64Array,
): void {
  const nCols = design.columnNames.length;
  const { column: k, median } = block;
  const mean = design.mean[k];
  const std = design.std[k];
  const column = X.columns[j];
  for (let i = 0; i < rows.length; i++) {
    let value = column[rows[i]];
    if (Number.isNaN(value)) value = median;
    else if (!Number.isFinite(value)) {
      throw new InputError(`value ${value} is not finite`, { column: X.names[j], row: rows[i] + 1 });
    }
    out[i * nCols + k] = (value - mean) / std;
  }
}

function fillCategorical(
  design: LinearDesign,
  block: CategoricalBlock,
  X: FeatureMatrix,
  j: number,
  rows: ArrayLike<number>,
  out: Float64Array,
): void {
  const nCols = design.columnNames.length;
  const first = block.firstColumn;
  const width = block.levels.length + (block.infrequent.length > 0 ? 1 : 0);
  const other = block.infrequent.length > 0 ? block.levels.length : -1;
  const byLabel = new Map<string | null, number>(block.levels.map((level, l) => [level, l]));
  // Offset in the block of each of X's codes, and of missing values; -1: the all-zero one-hot row.
  const offsetOfCode = X.categories[j].map((label) => byLabel.get(label) ?? other);
  const offsetOfMissing = byLabel.get(null) ?? other;
  const zero = new Float64Array(width);
  const one = new Float64Array(width);
  for (let c = 0; c < width; c++) {
    zero[c] = (0 - design.mean[first + c]) / design.std[first + c];
    one[c] = (1 - design.mean[first + c]) / design.std[first + c];
  }
  const column = X.columns[j];
  for (let i = 0; i < rows.length; i++) {
    const code = column[rows[i]];
    const offset = Number.isNaN(code) ? offsetOfMissing : offsetOfCode[checkCode(X, j, code, rows[i])];
    const base = i * nCols + first;
    out.set(zero, base);
    if (offset >= 0) out[base + offset] = one[offset];
  }
}

function checkCode(X: FeatureMatrix, j: number, code: number, row: number): number {
  if (!Number.isInteger(code) || code < 0 || code >= X.categories[j].length) {
    throw new InputError(`category code ${code} is not one of the ${X.categories[j].length} categories`, {
      column: X.names[j],
      row: row + 1,
    });
  }
  return code;
}

/** Checks that the matrix's per-feature arrays agree and every column holds `nRows` values. */
export function checkMatrix(X: FeatureMatrix): void {
  const m = X.names.length;
  if (X.kinds.length !== m || X.categories.length !== m || X.columns.length !== m) {
    throw new InputError(
      `feature matrix has ${m} names, ${X.kinds.length} kinds, ${X.categories.length} category lists and ` +
        `${X.columns.length} columns`,
    );
  }
  X.columns.forEach((column, j) => {
    if (column.length !== X.nRows) {
      throw new InputError(`column has ${column.length} values for ${X.nRows} rows`, { column: X.names[j] });
    }
  });
}

/** Validates row indices into a matrix of `nRows` rows; `undefined` means every row, in order. */
export function checkRows(rows: ArrayLike<number> | undefined, nRows: number): ArrayLike<number> {
  if (rows === undefined) return Uint32Array.from({ length: nRows }, (_, i) => i);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Number.isInteger(row) || row < 0 || row >= nRows) {
      throw new InputError(`rows[${i}]=${row} is not a row index in [0, ${nRows})`, { key: 'rows' });
    }
  }
  return rows;
}

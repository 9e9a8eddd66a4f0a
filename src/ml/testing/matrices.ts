// Feature matrices for tests.

import type { FeatureMatrix } from '../matrix.js';

/** A matrix of numeric features x0, x1, … from rows of numbers (`m` columns, default the first row's). */
export function numericMatrix(rows: ArrayLike<number>[], m = rows[0].length): FeatureMatrix {
  return {
    nRows: rows.length,
    names: Array.from({ length: m }, (_, j) => `x${j}`),
    kinds: Array(m).fill('numeric'),
    categories: Array.from({ length: m }, () => []),
    columns: Array.from({ length: m }, (_, j) => Float64Array.from(rows, (row) => row[j])),
  };
}

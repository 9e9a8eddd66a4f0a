// The input of every model: columns of doubles, NaN for missing, categorical columns holding integer codes.

/** How a feature is used by the models. */
export type FeatureKind = 'numeric' | 'categorical';

/**
 * A column-major feature matrix. `columns[j][i]` is feature j of row i; NaN means missing.
 * For a categorical feature the value is an integer code into `categories[j]`; NaN for missing or unseen.
 */
export interface FeatureMatrix {
  nRows: number;
  names: string[];
  kinds: FeatureKind[];
  /** Category labels per feature (empty array for numeric features). */
  categories: string[][];
  columns: Float64Array[];
}

/** Returns a new matrix holding only `rows` (in that order). */
export function takeRows(matrix: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const columns = matrix.columns.map((column) => {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]];
    return out;
  });
  return { ...matrix, nRows: rows.length, columns };
}

// L2-regularised logistic regression on the standardised design of `linear-design.ts`, solved to the exact
// optimum: Newton's method (Cholesky) up to 400 design columns, L-BFGS beyond. The reference's `logreg`.

import { InputError } from '../errors.js';
import { sigmoid } from './ensemble.js';
import { applyDesign, checkMatrix, checkRows, fitDesign, type LinearDesign } from './linear-design.js';
import { type LogisticProblem, solveLbfgs, solveNewton } from './logistic-solvers.js';
import type { FeatureMatrix } from './matrix.js';

/** Design columns above which Newton's O(n·d²) Hessian gives way to L-BFGS's O(n·d) iterations. */
export const NEWTON_MAX_COLUMNS = 400;

/** A trained model; plain JSON. `coef[k]` multiplies standardised design column k. */
export interface LogisticModel {
  kind: 'logistic_regression';
  design: LinearDesign;
  coef: number[];
  intercept: number;
  C: number;
  /** Weight of positive rows (negatives weigh 1). */
  classWeight: number;
  solver: 'newton' | 'lbfgs';
  iterations: number;
  /** False when `maxIter` was reached before the gradient tolerance. */
  converged: boolean;
}

export interface LogisticOptions {
  /** Inverse regularisation strength: the penalty is ||β||² / (2C). Default 1. */
  C?: number;
  /** Solver iterations at most. Default 100 for Newton, 2000 for L-BFGS (the reference's `max_iter`). */
  maxIter?: number;
  /** Stop when every gradient entry of the weight-averaged objective is at most `tol`. Default 1e-10. */
  tol?: number;
  /** Training row indices (default: all rows). */
  rows?: ArrayLike<number>;
  /** Weight of positive rows. Default 1. */
  classWeight?: number;
  /** Default 'auto': Newton up to `NEWTON_MAX_COLUMNS` design columns, L-BFGS beyond. */
  solver?: 'auto' | 'newton' | 'lbfgs';
  /** Passed to `fitDesign`. Default 50. */
  maxCategories?: number;
}

/** Fits the design on the training rows, then the coefficients. */
export function trainLogistic(
  X: FeatureMatrix,
  y: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticModel {
  const C = options.C ?? 1;
  const tol = options.tol ?? 1e-10;
  const classWeight = options.classWeight ?? 1;
  const solverOption = options.solver ?? 'auto';
  checkPositive('C', C);
  checkPositive('classWeight', classWeight);
  const { maxIter: iterationCap } = options;
  if (iterationCap !== undefined && !(Number.isInteger(iterationCap) && iterationCap >= 1)) {
    throw new InputError(`maxIter=${iterationCap} must be an integer >= 1`, { key: 'maxIter' });
  }
  if (!(tol >= 0)) throw new InputError(`tol=${tol} must be >= 0`, { key: 'tol' });
  if (!['auto', 'newton', 'lbfgs'].includes(solverOption)) {
    throw new InputError(`solver=${solverOption} must be auto, newton or lbfgs`, { key: 'solver' });
  }
  checkMatrix(X);
  if (y.length !== X.nRows) {
    throw new InputError(`y has ${y.length} labels for ${X.nRows} rows`, { key: 'y' });
  }
  const rows = checkRows(options.rows, X.nRows);
  const labels = new Float64Array(rows.length);
  const weights = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const label = y[rows[i]];
    if (label !== 0 && label !== 1) {
      throw new InputError(`label ${label} must be 0 or 1`, { key: 'y', row: rows[i] + 1 });
    }
    labels[i] = label;
    weights[i] = label === 1 ? classWeight : 1;
  }
  const positives = labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === rows.length) {
    throw new InputError(`the training rows hold a single class (${positives} positives of ${rows.length})`, {
      key: 'y',
    });
  }

  const design = fitDesign(X, rows, { maxCategories: options.maxCategories });
  const { values, nCols } = applyDesign(design, X, rows);
  const solver = solverOption === 'auto' ? (nCols <= NEWTON_MAX_COLUMNS ? 'newton' : 'lbfgs') : solverOption;
  const maxIter = options.maxIter ?? (solver === 'newton' ? 100 : 2000);
  const problem: LogisticProblem = {
    z: values,
    nRows: rows.length,
    nCols,
    y: labels,
    w: weights,
    invC: 1 / C,
  };
  const result = solver === 'newton' ? solveNewton(problem, maxIter, tol) : solveLbfgs(problem, maxIter, tol);
  return {
    kind: 'logistic_regression',
    design,
    coef: Array.from(result.theta.subarray(0, nCols)),
    intercept: result.theta[nCols],
    C,
    classWeight,
    solver,
    iterations: result.iterations,
    converged: result.converged,
  };
}

function checkPositive(name: string, value: number): void {
  if (!(value > 0 && Number.isFinite(value))) {
    throw new InputError(`${name}=${value} must be > 0 and finite`, { key: name });
  }
}

/** Rows scored per `applyDesign` call, bounding the dense design kept in memory while scoring. */
const CHUNK_ROWS = 4096;

/** Calls `visit` with consecutive chunks of X's standardised design rows. */
function forEachChunk(
  model: LogisticModel,
  X: FeatureMatrix,
  visit: (start: number, chunk: Float64Array, count: number) => void,
): void {
  if (model.coef.length !== model.design.columnNames.length) {
    throw new InputError(
      `model has ${model.coef.length} coefficients for ${model.design.columnNames.length} columns`,
    );
  }
  const rows = new Uint32Array(Math.min(CHUNK_ROWS, X.nRows));
  for (let start = 0; start < X.nRows; start += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, X.nRows - start);
    for (let i = 0; i < count; i++) rows[i] = start + i;
    visit(start, applyDesign(model.design, X, rows.subarray(0, count)).values, count);
  }
}

/** The margin β·z + b of every row. */
export function logisticMargin(model: LogisticModel, X: FeatureMatrix): Float64Array {
  const out = new Float64Array(X.nRows);
  const coef = Float64Array.from(model.coef);
  const d = coef.length;
  forEachChunk(model, X, (start, z, count) => {
    for (let i = 0; i < count; i++) {
      let sum = model.intercept;
      const base = i * d;
      for (let k = 0; k < d; k++) sum += coef[k] * z[base + k];
      out[start + i] = sum;
    }
  });
  return out;
}

/** Positive-class probability σ(margin) of every row. */
export function predictLogistic(model: LogisticModel, X: FeatureMatrix): Float64Array {
  const out = logisticMargin(model, X);
  for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i]);
  return out;
}

/**
 * Row-major nRows × (nFeatures + 1): column j = Σ coef_k·z_k over the design columns k of source feature j,
 * last column = intercept. Each row sums to the margin.
 */
export function logisticContributions(
  model: LogisticModel,
  X: FeatureMatrix,
): { values: Float64Array; nFeatures: number } {
  const nFeatures = model.design.features.length;
  const width = nFeatures + 1;
  const values = new Float64Array(X.nRows * width);
  const coef = Float64Array.from(model.coef);
  const feature = Int32Array.from(model.design.columnFeature);
  const d = coef.length;
  forEachChunk(model, X, (start, z, count) => {
    for (let i = 0; i < count; i++) {
      const out = (start + i) * width;
      const base = i * d;
      for (let k = 0; k < d; k++) values[out + feature[k]] += coef[k] * z[base + k];
      values[out + nFeatures] = model.intercept;
    }
  });
  return { values, nFeatures };
}

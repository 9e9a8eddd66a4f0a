// One interface for every model kind, so training, scoring, explaining and saving never ask which kind it is.

import type { PredictOptions } from './ensemble.js';
import type { FeatureMatrix } from './matrix.js';

/** The model kinds churnwatch trains; names follow the reference's result lines. */
export type ModelKind = 'gbdt' | 'random_forest' | 'logistic_regression';

export const MODEL_KINDS: readonly ModelKind[] = ['gbdt', 'random_forest', 'logistic_regression'];

/**
 * Per-row, per-feature contributions plus a bias column (last), row-major `nRows × (nFeatures + 1)`.
 * Each row sums to the model's raw output: the margin (`space: 'margin'`) or the probability.
 */
export interface Contributions {
  values: Float64Array;
  nFeatures: number;
  space: 'margin' | 'probability';
}

/** A trained binary classifier. */
export interface Classifier {
  readonly kind: ModelKind;
  /** Iterations kept after early stopping (boosting only). */
  readonly bestIteration?: number;
  /** Uncalibrated positive-class probability per row (`threads`: tree models score large batches on several). */
  predictProba(X: FeatureMatrix, options?: PredictOptions): Float64Array;
  /** Exact additive explanations: TreeSHAP for trees, coefficient × standardised value for the linear model. */
  contributions(X: FeatureMatrix): Contributions;
  /** Rough work to explain one row (tree nodes × depth, or coefficients), to size explanation samples. */
  readonly explainCost: number;
  /** Total split gain per feature, for tree models. */
  gainImportance(): Float64Array | undefined;
  /** JSON payload that `ModelFactory.fromJSON` reads back. */
  toJSON(): unknown;
}

/** Rows and settings every kind is trained with. */
export interface TrainSettings {
  /** All training rows (forest, logistic regression fit on these). */
  trainRows: Uint32Array;
  /** Rows boosted models fit on (train minus valid). */
  fitRows: Uint32Array;
  /** Early-stopping rows; empty when early stopping is off. */
  validRows: Uint32Array;
  seed: number;
  threads: number;
  rounds: number;
  earlyStoppingRounds: number;
  forestTrees: number;
  /** Weight of positive rows relative to negatives (class imbalance). */
  positiveWeight: number;
  onProgress?: (done: number, total: number) => void;
}

/** Trains and loads one model kind. */
export interface ModelFactory {
  train(X: FeatureMatrix, y: Uint8Array, settings: TrainSettings): Classifier;
  fromJSON(json: unknown): Classifier;
}

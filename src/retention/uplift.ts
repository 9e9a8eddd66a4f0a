// Who does the retention action actually help? A two-model (T-learner) uplift estimate: one churn model
// on treated customers, one on the hold-out, and the score is how much the action lowers churn.

import { InputError } from '../errors.js';
import type { Classifier, ModelKind } from '../ml/classifier.js';
import { type GbdtOptions, trainGbdt } from '../ml/gbdt.js';
import type { FeatureMatrix } from '../ml/matrix.js';
import { MODEL_FACTORIES, treeClassifier } from '../ml/model-kinds.js';

/** Settings of `trainUplift`. */
export interface UpliftOptions {
  /** Model kind of both arms (default gbdt). */
  kind?: ModelKind;
  /** Seed of both models (default 0). */
  seed?: number;
  /**
   * Boosting settings for `kind: 'gbdt'`, over `UPLIFT_GBDT_DEFAULTS`. Rows and early stopping are
   * chosen here, so those options are not accepted.
   */
  gbdt?: Omit<GbdtOptions, 'trainRows' | 'validRows' | 'onProgress' | 'seed' | 'earlyStoppingRounds'>;
}

/**
 * Small boosting settings: each arm often has only a few thousand rows (the hold-out fewer), and the
 * uplift is a difference of two predictions, so each model's noise counts twice. Few shallow,
 * well-populated leaves and a modest number of rounds keep both models smooth.
 */
export const UPLIFT_GBDT_DEFAULTS = {
  rounds: 100,
  learningRate: 0.05,
  numLeaves: 8,
  maxDepth: 3,
  minDataInLeaf: 50,
  lambda: 5,
} as const satisfies GbdtOptions;

/** Churn models per arm and the uplift they imply. */
export interface UpliftModel {
  /** P(churn | features, treated). */
  readonly treatedModel: Classifier;
  /** P(churn | features, not treated). */
  readonly controlModel: Classifier;
  /** Per row: P(churn | control) − P(churn | treated); positive means the action reduces churn. */
  score(X: FeatureMatrix): Float64Array;
}

/** Each arm needs this many churned and this many retained customers to fit a churn model. */
export const MIN_ARM_OUTCOMES = 5;

/**
 * Fits the T-learner (Künzel et al. 2019, "Metalearners for estimating heterogeneous treatment effects
 * using machine learning", PNAS 116(10)): a churn classifier on the treated rows and another on the
 * control rows of `X`; `treated[i]` and `churned[i]` are 1 or 0.
 */
export function trainUplift(
  X: FeatureMatrix,
  treated: ArrayLike<number>,
  churned: ArrayLike<number>,
  options: UpliftOptions = {},
): UpliftModel {
  checkFlags(treated, 'treated', X.nRows);
  checkFlags(churned, 'churned', X.nRows);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new InputError(`seed=${seed} must be an integer`, { key: 'seed' });
  const treatedRows = armRows(treated, 1);
  const controlRows = armRows(treated, 0);
  checkArm(treatedRows, churned, 'treated');
  checkArm(controlRows, churned, 'control');
  const fitOn = (rows: Uint32Array) =>
    fitArm(X, churned, rows, options.kind ?? 'gbdt', seed, options.gbdt ?? {});
  const treatedModel = fitOn(treatedRows);
  const controlModel = fitOn(controlRows);
  return {
    treatedModel,
    controlModel,
    score(rows: FeatureMatrix): Float64Array {
      const ifControl = controlModel.predictProba(rows);
      const ifTreated = treatedModel.predictProba(rows);
      const uplift = new Float64Array(rows.nRows);
      for (let i = 0; i < rows.nRows; i++) uplift[i] = ifControl[i] - ifTreated[i];
      return uplift;
    },
  };
}

function checkFlags(flags: ArrayLike<number>, key: string, nRows: number): void {
  if (flags.length !== nRows) {
    throw new InputError(`${key} has ${flags.length} values for ${nRows} rows`, { key });
  }
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] !== 0 && flags[i] !== 1) {
      throw new InputError(`${key}=${flags[i]} must be 0 or 1`, { key, row: i + 1 });
    }
  }
}

function armRows(treated: ArrayLike<number>, arm: 0 | 1): Uint32Array {
  const rows: number[] = [];
  for (let i = 0; i < treated.length; i++) if (treated[i] === arm) rows.push(i);
  return Uint32Array.from(rows);
}

function checkArm(rows: Uint32Array, churned: ArrayLike<number>, arm: string): void {
  let events = 0;
  for (const row of rows) events += churned[row];
  if (events < MIN_ARM_OUTCOMES || rows.length - events < MIN_ARM_OUTCOMES) {
    throw new InputError(
      `the ${arm} group has ${events} churned and ${rows.length - events} retained customers; ` +
        `at least ${MIN_ARM_OUTCOMES} of each are needed to fit a churn model`,
      { key: arm },
    );
  }
}

/** One arm's churn model, trained on `rows` of `X` only. */
function fitArm(
  X: FeatureMatrix,
  churned: ArrayLike<number>,
  rows: Uint32Array,
  kind: ModelKind,
  seed: number,
  gbdt: NonNullable<UpliftOptions['gbdt']>,
): Classifier {
  if (kind === 'gbdt') {
    const model = trainGbdt(X, churned, {
      ...UPLIFT_GBDT_DEFAULTS,
      ...gbdt,
      earlyStoppingRounds: 0,
      trainRows: rows,
      seed,
    });
    return treeClassifier('gbdt', model.ensemble, X.names.length, model.bestIteration);
  }
  const labels = Uint8Array.from(churned);
  return MODEL_FACTORIES[kind].train(X, labels, {
    trainRows: rows,
    fitRows: rows,
    validRows: new Uint32Array(0),
    seed,
    threads: 1,
    rounds: UPLIFT_GBDT_DEFAULTS.rounds,
    earlyStoppingRounds: 0,
    forestTrees: 100,
    positiveWeight: 1,
  });
}

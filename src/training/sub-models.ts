// Sub-models per customer group (R11): the champion's kind trained again on one group's rows only (e.g. each
// segment), kept for that group where it beats the global model on the group's test rows. Scoring then uses
// the group's sub-model for its customers and the global model for everyone else.

import type { RowSplit } from '../data/row-split.js';
import { InputError } from '../errors.js';
import { applyCalibrator, type Calibrator } from '../ml/calibration.js';
import type { Classifier, Contributions, ModelKind } from '../ml/classifier.js';
import { type FeatureMatrix, takeRows } from '../ml/matrix.js';
import { averagePrecision } from '../ml/metrics.js';
import { MODEL_FACTORIES } from '../ml/model-kinds.js';
import type { SavedModel } from '../tabular/saved-model.js';
import { type ModelRunOptions, type TrainedModel, trainAndEvaluate } from '../tabular/train-table.js';

/** One group's model, as saved. */
export interface SubModel {
  /** The group: a category of `SubModels.column`. */
  value: string;
  model: unknown;
  calibration: Calibrator | null;
}

/** The sub-models of a workspace model: one categorical feature and the groups that have their own model. */
export interface SubModels {
  column: string;
  kind: ModelKind;
  models: SubModel[];
}

/** What happened to one group. */
export interface GroupReport {
  group: string;
  train_rows: number;
  train_positives: number;
  test_rows: number;
  /** PR-AUC of the global model and of the group's own on the group's validation rows: what decides. */
  valid_global_pr_auc: number | null;
  valid_own_pr_auc: number | null;
  /** The same on the group's test rows, measured after the decision (so the test stays a test). */
  test_global_pr_auc: number | null;
  test_own_pr_auc: number | null;
  kept: boolean;
  note: string;
}

/** Least training rows and churned among them for a group to get a model of its own. */
export interface GroupMinimums {
  rows: number;
  positives: number;
}

export const DEFAULT_GROUP_MINIMUMS: GroupMinimums = { rows: 1000, positives: 30 };

/**
 * Trains the global model's kind per category of feature `column` and keeps the models that beat the global
 * one on their group's validation rows (the latest training cutoff). `global.testProbability` holds the global
 * model's calibrated probabilities of `split.test`, in order; the returned `testProbability` is the same with
 * the kept groups' rows replaced by their own model's.
 */
export function trainSubModels(
  global: TrainedModel,
  X: FeatureMatrix,
  y: Uint8Array,
  split: RowSplit,
  run: ModelRunOptions,
  column: string,
  minimums: GroupMinimums = DEFAULT_GROUP_MINIMUMS,
): { subModels: SubModels; groups: GroupReport[]; testProbability: Float64Array } {
  const kind = global.result.model;
  const globalTest = global.testProbability;
  const j = X.names.indexOf(column);
  if (j < 0 || X.kinds[j] !== 'categorical') {
    const choices = X.names.filter((_, k) => X.kinds[k] === 'categorical');
    throw new InputError(
      `"${column}" is not a categorical feature of this workspace; choose one of: ${choices.join(', ') || '(none)'}`,
      { key: '--sub-models-by' },
    );
  }
  const testProbability = Float64Array.from(globalTest);
  const models: SubModel[] = [];
  const groups: GroupReport[] = [];
  X.categories[j]!.forEach((group, code) => {
    const inGroup = (rows: Uint32Array) => rows.filter((row) => X.columns[j]![row] === code);
    const groupSplit: RowSplit = {
      train: inGroup(split.train),
      valid: inGroup(split.valid),
      test: inGroup(split.test),
    };
    const testPositions = positionsIn(split.test, groupSplit.test);
    const yValid = Uint8Array.from(groupSplit.valid, (row) => y[row]!);
    const yTest = Uint8Array.from(groupSplit.test, (row) => y[row]!);
    // Ranking metrics: the calibration (monotone) changes nothing, so the raw validation scores do.
    const validGlobal = prAucOrNull(yValid, () =>
      global.classifier.predictProba(takeRows(X, groupSplit.valid)),
    );
    const testGlobal = prAucOrNull(yTest, () => testPositions.map((i) => globalTest[i]!));
    const trainPositives = groupSplit.train.reduce((n, row) => n + y[row]!, 0);
    const report = {
      group,
      train_rows: groupSplit.train.length,
      train_positives: trainPositives,
      test_rows: groupSplit.test.length,
      valid_global_pr_auc: validGlobal,
      test_global_pr_auc: testGlobal,
    };
    const short =
      groupSplit.train.length < minimums.rows || trainPositives < minimums.positives
        ? `fewer than ${minimums.rows} training rows or ${minimums.positives} churned`
        : validGlobal === null
          ? 'its validation rows hold only one class'
          : null;
    if (short) {
      groups.push({ ...report, valid_own_pr_auc: null, test_own_pr_auc: null, kept: false, note: short });
      return;
    }
    const own = trainAndEvaluate(kind, X, y, groupSplit, run);
    const validOwn = prAucOrNull(yValid, () => own.classifier.predictProba(takeRows(X, groupSplit.valid)));
    const kept = validOwn !== null && validOwn > (validGlobal ?? Number.POSITIVE_INFINITY);
    if (kept) {
      models.push({ value: group, model: own.file.model, calibration: own.file.calibration });
      testPositions.forEach((i, k) => {
        testProbability[i] = own.testProbability[k]!;
      });
    }
    groups.push({
      ...report,
      valid_own_pr_auc: validOwn,
      test_own_pr_auc: prAucOrNull(yTest, () => own.testProbability),
      kept,
      note: kept ? 'better on the validation rows' : 'not better on the validation rows',
    });
  });
  return { subModels: { column, kind, models }, groups, testProbability };
}

/** A workspace model's classifiers by group, built once per scoring run. */
export interface GroupClassifiers {
  column: number;
  /** Category code of the column (in the matrix) → the group's classifier and calibration. */
  byCode: Map<number, { classifier: Classifier; calibration: Calibrator | null }>;
}

/** The sub-models of `model` as live classifiers keyed by the category codes of matrix `X`; null when none. */
export function groupClassifiers(model: SavedModel, X: FeatureMatrix): GroupClassifiers | null {
  const sub = model.file.workspace?.subModels;
  if (!sub || sub.models.length === 0) return null;
  const column = X.names.indexOf(sub.column);
  if (column < 0) return null;
  const byCode = new Map<number, { classifier: Classifier; calibration: Calibrator | null }>();
  for (const m of sub.models) {
    const code = X.categories[column]!.indexOf(m.value);
    if (code >= 0) {
      byCode.set(code, {
        classifier: MODEL_FACTORIES[sub.kind].fromJSON(m.model),
        calibration: m.calibration,
      });
    }
  }
  return { column, byCode };
}

/** Calibrated probabilities: the global model's, and each group's own where it has one. */
export function workspaceProbabilities(
  model: SavedModel,
  X: FeatureMatrix,
  groups = groupClassifiers(model, X),
): Float64Array {
  const raw = model.classifier.predictProba(X);
  const p = model.file.calibration ? applyCalibrator(model.file.calibration, raw) : raw;
  forEachGroup(X, groups, (rows, own) => {
    const rawGroup = own.classifier.predictProba(takeRows(X, rows));
    const pGroup = own.calibration ? applyCalibrator(own.calibration, rawGroup) : rawGroup;
    rows.forEach((row, k) => {
      p[row] = pGroup[k]!;
    });
  });
  return p;
}

/** Contributions of the model that scores each row (the group's own, or the global one). */
export function workspaceContributions(
  model: SavedModel,
  X: FeatureMatrix,
  groups = groupClassifiers(model, X),
): Contributions {
  const all = model.classifier.contributions(X);
  const width = all.nFeatures + 1;
  forEachGroup(X, groups, (rows, own) => {
    const part = own.classifier.contributions(takeRows(X, rows));
    rows.forEach((row, k) => {
      all.values.set(part.values.subarray(k * width, (k + 1) * width), row * width);
    });
  });
  return all;
}

function forEachGroup(
  X: FeatureMatrix,
  groups: GroupClassifiers | null,
  fn: (rows: number[], own: { classifier: Classifier; calibration: Calibrator | null }) => void,
): void {
  if (!groups) return;
  const column = X.columns[groups.column]!;
  for (const [code, own] of groups.byCode) {
    const rows: number[] = [];
    for (let row = 0; row < X.nRows; row++) if (column[row] === code) rows.push(row);
    if (rows.length > 0) fn(rows, own);
  }
}

/** Where each of `subset` (a subsequence of `rows`) sits in `rows`. */
function positionsIn(rows: Uint32Array, subset: Uint32Array): number[] {
  const positions: number[] = [];
  let i = 0;
  for (const row of subset) {
    while (rows[i] !== row) i++;
    positions.push(i);
  }
  return positions;
}

/** PR-AUC of the scores `score()` gives, or null when the labels hold one class only (it is undefined then). */
function prAucOrNull(y: Uint8Array, score: () => ArrayLike<number>): number | null {
  const positives = y.reduce((a, b) => a + b, 0);
  return positives > 0 && positives < y.length ? averagePrecision(y, score()) : null;
}

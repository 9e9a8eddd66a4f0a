// The quick path's training stage: one customer table with a churn column in, evaluated and saved models out.
// Never prints: the CLI (and later the server) present its results and progress.

import type { DataReport } from '../data/data-report.js';
import { buildDataReport } from '../data/data-report.js';
import type { RequestedEncoding } from '../data/decode.js';
import { inferColumn } from '../data/infer-types.js';
import { readCsv } from '../data/read-csv.js';
import { drawSplit, fitRows, type RowSplit, readSplit, writeSplit } from '../data/row-split.js';
import { applySchema, fitSchema, labelVector } from '../data/schema.js';
import { InputError } from '../errors.js';
import { applyCalibrator, type Calibrator, fitCalibrator } from '../ml/calibration.js';
import type { Classifier, ModelKind, TrainSettings } from '../ml/classifier.js';
import type { FeatureMatrix } from '../ml/matrix.js';
import { takeRows } from '../ml/matrix.js';
import { evaluateBinary, expectedCalibrationError } from '../ml/metrics.js';
import { MODEL_FACTORIES } from '../ml/model-kinds.js';
import { Random } from '../ml/random.js';
import { DEFAULT_TIERS } from '../scoring/tiers.js';
import { globalImportance } from './importance.js';
import { MODEL_FORMAT, MODEL_VERSION, type SavedModelFile } from './saved-model.js';

export type CalibrationMethod = 'none' | 'isotonic' | 'platt';

/** What to train on and how; names follow the reference's options. */
export interface TrainTableOptions {
  file: string;
  label: string;
  positive: string;
  drop: string[];
  models: ModelKind[];
  seed: number;
  threads: number;
  testSize: number;
  validSize: number;
  rounds: number;
  earlyStopping: number;
  forestTrees: number;
  positiveWeight: number;
  calibrate: CalibrationMethod;
  encoding: RequestedEncoding;
  idColumn?: string;
  splitIn?: string;
  splitOut?: string;
}

/** Hooks through which the stage reports progress. */
export interface TrainTableEvents {
  onStage?(message: string): void;
  onProgress?(model: ModelKind, done: number, total: number): void;
}

/** One model's evaluation on the test rows: the reference's keys plus ours. */
export interface ModelResult {
  model: ModelKind;
  status: 'ok';
  roc_auc: number;
  pr_auc: number;
  accuracy: number;
  log_loss: number;
  brier: number;
  precision: number;
  recall: number;
  top_decile_lift: number;
  ece: number;
  ece_uncalibrated: number | null;
  calibration: CalibrationMethod;
  train_seconds: number;
  predict_seconds: number;
  n_train: number;
  n_test: number;
  n_features: number;
  positive_rate_test: number;
  best_iteration: number | null;
  seed: number;
  threads: number;
}

/** Everything the stage produced. */
export interface TrainTableResult {
  report: DataReport;
  split: RowSplit;
  results: ModelResult[];
  models: SavedModelFile[];
}

/** Reads, checks, splits, trains every requested model kind and evaluates it on the test rows. */
export function trainTable(options: TrainTableOptions, events: TrainTableEvents = {}): TrainTableResult {
  const stage = events.onStage ?? (() => {});
  const table = readCsv(options.file, { encoding: options.encoding });
  stage(`read ${table.nRows} rows × ${table.header.length} columns from ${options.file} (${table.encoding})`);
  const excludedColumns = [...options.drop, ...(options.idColumn ? [options.idColumn] : [])];
  for (const column of excludedColumns) {
    if (!table.header.includes(column)) {
      throw new InputError(`column "${column}" is not in the file; columns: ${table.header.join(', ')}`, {
        file: options.file,
        column,
      });
    }
  }
  const y = labelVector(table, options.label, options.positive);
  const inferred = table.header.map((_, j) => inferColumn(table.columns[j]));
  const report = buildDataReport(table, inferred, { label: options.label, drop: excludedColumns });

  const split = chooseSplit(options, y, table.nRows);
  if (options.splitOut) {
    writeSplit(options.splitOut, split, table.nRows, {
      seed: options.seed,
      test_size: options.testSize,
      valid_size: split.valid.length ? options.validSize : 0,
      label: options.label,
      positive: options.positive,
      csv: options.file,
    });
  }
  const schema = fitSchema(table, inferred, {
    label: options.label,
    drop: excludedColumns,
    rows: split.train,
  });
  const X = applySchema(schema, table).matrix;
  stage(`${X.names.length} features; ${split.train.length} training rows, ${split.test.length} test rows`);

  const results: ModelResult[] = [];
  const models: SavedModelFile[] = [];
  const testX = takeRows(X, split.test);
  for (const kind of options.models) {
    const { result, file, classifier } = trainAndEvaluate(kind, X, y, split, options, events);
    results.push(result);
    models.push({
      ...file,
      importance: globalImportance(classifier, testX),
      schema,
      idColumn: options.idColumn ?? report.idColumn ?? null,
    });
  }
  return { report, split, results, models };
}

/** The split from --split-in, or a stratified one drawn from the seed. */
function chooseSplit(options: TrainTableOptions, y: Uint8Array, nRows: number): RowSplit {
  const needsValid = options.earlyStopping > 0 || options.calibrate !== 'none';
  const split = options.splitIn
    ? readSplit(options.splitIn, nRows)
    : drawSplit(y, options.testSize, needsValid ? options.validSize : 0, new Random(options.seed));
  if (options.calibrate !== 'none' && split.valid.length === 0) {
    throw new InputError('needs validation rows (--valid-size > 0, or a split file with "valid")', {
      key: '--calibrate',
    });
  }
  return split;
}

/** A model trained by `trainAndEvaluate`: its evaluation, its file (without schema, importance empty), its classifier. */
export interface TrainedModel {
  result: ModelResult;
  file: Omit<SavedModelFile, 'schema' | 'idColumn'>;
  classifier: Classifier;
  /** Calibrated probabilities of the test rows, in the split's order. */
  testProbability: Float64Array;
}

/** How one model is trained and calibrated: the quick path's options without the file-reading ones. */
export type ModelRunOptions = Pick<
  TrainTableOptions,
  | 'label'
  | 'positive'
  | 'seed'
  | 'threads'
  | 'rounds'
  | 'earlyStopping'
  | 'forestTrees'
  | 'positiveWeight'
  | 'calibrate'
>;

/** One model kind trained on the split's training rows, calibrated on its valid rows, evaluated on its test rows. */
export function trainAndEvaluate(
  kind: ModelKind,
  X: FeatureMatrix,
  y: Uint8Array,
  split: RowSplit,
  options: ModelRunOptions,
  events: TrainTableEvents = {},
): TrainedModel {
  const calibrating = options.calibrate !== 'none';
  const fit = fitRows(split);
  // Calibration must see rows the model did not fit, so a calibrated forest or linear model leaves valid out.
  const settings: TrainSettings = {
    trainRows: calibrating ? fit : split.train,
    fitRows: fit,
    validRows: options.earlyStopping > 0 ? split.valid : new Uint32Array(0),
    seed: options.seed,
    threads: options.threads,
    rounds: options.rounds,
    earlyStoppingRounds: options.earlyStopping,
    forestTrees: options.forestTrees,
    positiveWeight: options.positiveWeight,
    onProgress: (done, total) => events.onProgress?.(kind, done, total),
  };
  const started = performance.now();
  const classifier = MODEL_FACTORIES[kind].train(X, y, settings);
  const trainSeconds = (performance.now() - started) / 1000;

  const testX = takeRows(X, split.test);
  const predictStarted = performance.now();
  // Scored with the training threads, as the reference's predict uses its nthread.
  const raw = classifier.predictProba(testX, { threads: options.threads });
  const predictSeconds = (performance.now() - predictStarted) / 1000;
  const yTest = Uint8Array.from(split.test, (row) => y[row]);

  let calibration: Calibrator | null = null;
  let probability = raw;
  if (calibrating) {
    const validX = takeRows(X, split.valid);
    calibration = fitCalibrator(
      options.calibrate as 'isotonic' | 'platt',
      classifier.predictProba(validX),
      Uint8Array.from(split.valid, (row) => y[row]),
    );
    probability = applyCalibrator(calibration, raw);
  }
  const metrics = evaluateBinary(yTest, probability);
  const result: ModelResult = {
    model: kind,
    status: 'ok',
    roc_auc: metrics.rocAuc,
    pr_auc: metrics.prAuc,
    accuracy: metrics.accuracy,
    log_loss: metrics.logLoss,
    brier: metrics.brier,
    precision: metrics.precision,
    recall: metrics.recall,
    top_decile_lift: metrics.topDecileLift,
    ece: expectedCalibrationError(yTest, probability),
    ece_uncalibrated: calibrating ? expectedCalibrationError(yTest, raw) : null,
    calibration: options.calibrate,
    train_seconds: round(trainSeconds, 4),
    predict_seconds: round(predictSeconds, 4),
    n_train: split.train.length,
    n_test: split.test.length,
    n_features: X.names.length,
    positive_rate_test: yTest.reduce((a, b) => a + b, 0) / yTest.length,
    best_iteration: classifier.bestIteration ?? null,
    seed: options.seed,
    threads: options.threads,
  };
  const file: TrainedModel['file'] = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    kind,
    createdAt: new Date().toISOString(),
    label: { column: options.label, positive: options.positive },
    model: classifier.toJSON(),
    calibration,
    tiers: DEFAULT_TIERS,
    metrics: Object.fromEntries(
      Object.entries(result).filter(([, v]) => typeof v === 'number' || v === null),
    ) as Record<string, number | null>,
    // Filled by the caller for the models it keeps: TreeSHAP over a big forest is not free.
    importance: [],
  };
  return { result, file, classifier, testProbability: probability };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

// Workspace training (R9, R10, R12): snapshots at monthly cutoffs → a time split (train on older cutoffs,
// test on the latest matured one) → every model kind trained and calibrated → the best by PR-AUC on the
// test cutoff registered as a new version, and made champion when it beats the current one on the same rows.
// Never prints: the CLI (and later the server) present the result and the progress.

import type { Config } from '../config/config-schema.js';
import { inferColumn } from '../data/infer-types.js';
import { applySchema, fitSchema } from '../data/schema.js';
import type { Table } from '../data/table.js';
import { InputError } from '../errors.js';
import type { FeatureSet } from '../features/feature-nodes.js';
import { type ChurnDefinition, churnDefinitionFromConfig } from '../labels/churn-definition.js';
import type { ModelKind } from '../ml/classifier.js';
import { type FeatureMatrix, takeRows } from '../ml/matrix.js';
import { averagePrecision, type BinaryEvaluation, evaluateBinary, rocAuc } from '../ml/metrics.js';
import { buildSnapshots, type CutoffCounts } from '../snapshots/build-snapshots.js';
import { cutoffDates } from '../snapshots/cutoff-dates.js';
import { dataRange } from '../snapshots/data-range.js';
import { type TimeSplit, timeSplit } from '../snapshots/time-split.js';
import { globalImportance } from '../tabular/importance.js';
import type { SavedModel, SavedModelFile, WorkspaceModelInfo } from '../tabular/saved-model.js';
import {
  type ModelResult,
  type ModelRunOptions,
  type TrainedModel,
  trainAndEvaluate,
} from '../tabular/train-table.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { evaluationCurves } from './evaluation-curves.js';
import { championEntry, loadVersion, type RegistryEntry, registerVersion } from './model-registry.js';
import { type BaselineScores, recencyBaseline } from './recency-baseline.js';
import {
  churnTypeCounts,
  readSnapshotDataset,
  SNAPSHOT_KEYS,
  type SnapshotDataset,
} from './snapshot-dataset.js';
import {
  type GroupMinimums,
  type GroupReport,
  trainSubModels,
  workspaceProbabilities,
} from './sub-models.js';

/** What to train and how. */
export interface TrainWorkspaceOptions extends Omit<ModelRunOptions, 'label' | 'positive' | 'calibrate'> {
  /** The workspace folder (model files go to its models/). */
  workspace: string;
  config: Config;
  features: FeatureSet;
  models: ModelKind[];
  calibrate: 'isotonic' | 'platt';
  /** Days between cutoffs (default 30). */
  stepDays?: number;
  /** Most cutoffs used, newest kept (default 12). */
  maxCutoffs?: number;
  /** History a cutoff needs before it (default 90 days). */
  minHistoryDays?: number;
  /** `if-better` (default): the new version becomes champion only when it beats the current one. */
  promote?: 'if-better' | 'always';
  /** A categorical feature (e.g. `segment`): each of its groups may get a sub-model of the champion's kind. */
  subModelsBy?: string;
  /** Least rows and churned rows for a group's sub-model (default 1000 and 30). */
  groupMinimums?: GroupMinimums;
}

/** Progress hooks. */
export interface TrainWorkspaceEvents {
  onStage?(message: string): void;
  onProgress?(what: string, done: number, total: number): void;
}

/** One cutoff of the run: its role in the split and how the champion ranks its customers. */
export interface CutoffReport {
  cutoff: string;
  /** valid is the latest training cutoff (early stopping and calibration); dropped: its horizon reaches the test. */
  role: 'train' | 'valid' | 'test' | 'dropped';
  customers: number;
  positives: number;
  positive_rate: number | null;
  /** Of the churned, how many left voluntarily and involuntarily, where the data says (cancellations). */
  voluntary: number | null;
  involuntary: number | null;
  /** The champion on this cutoff's rows (in-sample for train and valid); null for dropped cutoffs. */
  roc_auc: number | null;
  pr_auc: number | null;
}

/** The champion of this run against the workspace's current champion, on this run's test rows. */
export interface ChampionComparison {
  previousVersion: number;
  previousPrAuc: number | null;
  newPrAuc: number;
  /** Why the decision went as it did, in one sentence. */
  decision: string;
}

/** Everything a workspace training run produced. */
export interface TrainWorkspaceResult {
  split: TimeSplit;
  cutoffs: CutoffReport[];
  results: ModelResult[];
  baseline: BaselineScores;
  best: ModelKind;
  entry: RegistryEntry;
  promoted: boolean;
  comparison: ChampionComparison | null;
  /** Per group, with subModelsBy: whether it got a model of its own; null without. */
  groups: GroupReport[] | null;
  /** The registered version's test figures: the champion's, with its groups' sub-models where kept. */
  metrics: BinaryEvaluation;
  features: string[];
  warnings: string[];
}

/** Builds snapshots, trains every requested kind, and registers the best as a new version. */
export async function trainWorkspace(
  warehouse: Warehouse,
  options: TrainWorkspaceOptions,
  events: TrainWorkspaceEvents = {},
): Promise<TrainWorkspaceResult> {
  const stage = events.onStage ?? (() => {});
  const definition = churnDefinitionFromConfig(options.config.churn);
  const { cutoffs, dataEnd } = await chooseCutoffs(warehouse, definition, options);
  const split = timeSplit(cutoffs, { horizonDays: definition.horizonDays });
  stage(
    `cutoffs: ${split.train.length} for training (${split.train[0]} … ${split.train[split.train.length - 1]}), ` +
      `test ${split.test}${split.dropped.length ? `, ${split.dropped.length} left out (horizon reaches the test)` : ''}`,
  );
  const counts = await buildSnapshots(warehouse, {
    features: options.features,
    definition,
    cutoffs,
    dataEnd,
    onProgress: (p) => events.onProgress?.('snapshots', p.done, p.total),
  });
  const dataset = await readSnapshotDataset(warehouse, split);
  checkClasses(dataset, split);
  const schema = fitSchema(
    dataset.table,
    dataset.table.columns.map((c) => inferColumn(c)),
    {
      label: 'churned',
      drop: SNAPSHOT_KEYS.filter((key) => key !== 'churned'),
      rows: dataset.split.train,
    },
  );
  const X = applySchema(schema, dataset.table).matrix;
  stage(
    `${X.names.length} features; ${dataset.split.train.length} training rows ` +
      `(${dataset.split.valid.length} of them for validation), ${dataset.split.test.length} test rows`,
  );

  const run: ModelRunOptions = { ...options, label: 'churned', positive: '1', calibrate: options.calibrate };
  const trained: TrainedModel[] = options.models.map((kind) =>
    trainAndEvaluate(kind, X, dataset.y, dataset.split, run, {
      onProgress: (k, done, total) => events.onProgress?.(`training ${k}`, done, total),
    }),
  );
  const best = trained.reduce((a, b) => (b.result.pr_auc > a.result.pr_auc ? b : a));
  const baseline = await recencyBaseline(
    warehouse,
    definition,
    split.test,
    rowsOf(dataset.table, 'customer_id', dataset.split.test),
    takeLabels(dataset.y, dataset.split.test),
  );
  const yTest = takeLabels(dataset.y, dataset.split.test);
  const sub = options.subModelsBy
    ? trainSubModels(best, X, dataset.y, dataset.split, run, options.subModelsBy, options.groupMinimums)
    : null;
  if (sub) {
    const kept = sub.groups.filter((g) => g.kept).map((g) => g.group);
    stage(
      `sub-models by ${options.subModelsBy}: ${kept.length ? `kept for ${kept.join(', ')}` : 'none better than the global model'}`,
    );
  }
  const testProbability = sub?.testProbability ?? best.testProbability;
  const metrics = evaluateBinary(yTest, testProbability);
  const info: WorkspaceModelInfo = {
    features: options.features,
    churn: definition,
    trainCutoffs: split.train,
    testCutoff: split.test,
    dataEnd,
    ...(sub && sub.subModels.models.length > 0 ? { subModels: sub.subModels } : {}),
  };
  const file: SavedModelFile = {
    ...best.file,
    importance: globalImportance(best.classifier, takeRows(X, dataset.split.test)),
    schema,
    idColumn: 'customer_id',
    tiers: 'high' in options.config.tiers ? options.config.tiers : best.file.tiers,
    workspace: info,
  };
  const champion: SavedModel = { file, classifier: best.classifier };
  const cutoffReports = reportCutoffs(counts, await churnTypeCounts(warehouse), split, dataset, X, champion);
  const comparison = await compareWithChampion(
    warehouse,
    options.workspace,
    dataset,
    metrics.prAuc,
    options.features,
  );
  const promoted =
    options.promote === 'always' ||
    comparison === null ||
    comparison.previousPrAuc === null ||
    comparison.newPrAuc > comparison.previousPrAuc;
  const results = trained.map((t) => t.result);
  const entry = await registerVersion(warehouse, options.workspace, {
    file,
    testCutoff: split.test,
    trainCutoffs: split.train,
    metrics: {
      roc_auc: metrics.rocAuc,
      pr_auc: metrics.prAuc,
      log_loss: metrics.logLoss,
      brier: metrics.brier,
    },
    report: {
      results,
      baseline,
      cutoffs: cutoffReports,
      comparison,
      groups: sub?.groups ?? null,
      features: X.names,
      warnings: schema.warnings,
      test: evaluationCurves(yTest, testProbability),
    },
    promote: promoted,
  });
  return {
    split,
    cutoffs: cutoffReports,
    results,
    baseline,
    best: best.result.model,
    entry,
    promoted,
    comparison,
    groups: sub?.groups ?? null,
    metrics,
    features: X.names,
    warnings: schema.warnings,
  };
}

/** Monthly cutoffs whose horizon has passed, with enough of them for a time split; clear errors otherwise. */
async function chooseCutoffs(
  warehouse: Warehouse,
  definition: ChurnDefinition,
  options: TrainWorkspaceOptions,
): Promise<{ cutoffs: string[]; dataEnd: string }> {
  const range = await dataRange(warehouse);
  if (!range) {
    throw new InputError('the warehouse holds no activity yet: run `churnwatch ingest` first', {
      key: 'sources',
    });
  }
  const stepDays = options.stepDays ?? 30;
  const minHistoryDays = options.minHistoryDays ?? 90;
  const cutoffs = cutoffDates({
    dataStart: range.start,
    dataEnd: range.end,
    horizonDays: definition.horizonDays,
    stepDays,
    minHistoryDays,
    max: options.maxCutoffs ?? 12,
  });
  const needed = minHistoryDays + stepDays + 2 * definition.horizonDays;
  if (cutoffs.length < 2 || timeSplitOrNull(cutoffs, definition.horizonDays) === null) {
    throw new InputError(
      `the data covers ${range.start.slice(0, 10)} to ${range.end.slice(0, 10)}: too short for a time-based test ` +
        `with churn.horizon_days = ${definition.horizonDays} (about ${needed} days are needed: ` +
        `${minHistoryDays} of history, a training cutoff, then two horizons)`,
      { key: 'churn.horizon_days' },
    );
  }
  return { cutoffs, dataEnd: range.end };
}

function timeSplitOrNull(cutoffs: string[], horizonDays: number): TimeSplit | null {
  try {
    return timeSplit(cutoffs, { horizonDays });
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

/** Both classes must be present where a model learns and where it is measured. */
function checkClasses(dataset: SnapshotDataset, split: TimeSplit): void {
  const parts = [
    ['training', dataset.split.train, split.train.join(', ')],
    ['test', dataset.split.test, split.test],
  ] as const;
  for (const [name, rows, cutoffs] of parts) {
    const positives = takeLabels(dataset.y, rows).reduce((a, b) => a + b, 0);
    if (rows.length === 0 || positives === 0 || positives === rows.length) {
      throw new InputError(
        `the ${name} cutoffs (${cutoffs}) have ${rows.length} labelled customers, ${positives} of them churned: ` +
          'a model needs both churned and retained customers; check the churn definition and the data',
        { key: 'churn' },
      );
    }
  }
}

function takeLabels(y: Uint8Array, rows: Uint32Array): Uint8Array {
  return Uint8Array.from(rows, (row) => y[row]);
}

function rowsOf(table: Table, column: string, rows: Uint32Array): string[] {
  const c = table.columns[table.header.indexOf(column)];
  if (!c || c.kind === 'number') throw new Error(`column ${column} is not text`);
  return Array.from(rows, (row) => c.values[c.codes[row]] ?? '');
}

function reportCutoffs(
  counts: CutoffCounts[],
  churnTypes: Map<string, { voluntary: number; involuntary: number }>,
  split: TimeSplit,
  dataset: SnapshotDataset,
  X: FeatureMatrix,
  champion: SavedModel,
): CutoffReport[] {
  const latestTrain = split.train[split.train.length - 1];
  const byCutoff = new Map<string, number[]>();
  dataset.cutoffOf.forEach((cutoff, row) => {
    const rows = byCutoff.get(cutoff);
    if (rows) rows.push(row);
    else byCutoff.set(cutoff, [row]);
  });
  return counts.map((c) => {
    const role: CutoffReport['role'] =
      c.cutoff === split.test
        ? 'test'
        : split.dropped.includes(c.cutoff)
          ? 'dropped'
          : c.cutoff === latestTrain && split.train.length > 1
            ? 'valid'
            : 'train';
    const rows = byCutoff.get(c.cutoff);
    let roc: number | null = null;
    let pr: number | null = null;
    if (rows && role !== 'dropped' && c.positives > 0 && c.positives < c.customers) {
      const y = Uint8Array.from(rows, (row) => dataset.y[row]);
      const p = workspaceProbabilities(champion, takeRows(X, rows));
      roc = rocAuc(y, p);
      pr = averagePrecision(y, p);
    }
    return {
      cutoff: c.cutoff,
      role,
      customers: c.customers,
      positives: c.positives,
      positive_rate: c.positiveRate,
      voluntary: churnTypes.get(c.cutoff)?.voluntary ?? null,
      involuntary: churnTypes.get(c.cutoff)?.involuntary ?? null,
      roc_auc: roc,
      pr_auc: pr,
    };
  });
}

/** The current champion scored on this run's test rows, when it was trained on the same feature definitions. */
async function compareWithChampion(
  warehouse: Warehouse,
  workspace: string,
  dataset: SnapshotDataset,
  newPrAuc: number,
  features: FeatureSet,
): Promise<ChampionComparison | null> {
  const entry = await championEntry(warehouse);
  if (!entry) return null;
  const replaced = (why: string): ChampionComparison => ({
    previousVersion: entry.version,
    previousPrAuc: null,
    newPrAuc,
    decision: `v${entry.version} ${why}: replaced`,
  });
  let previous: SavedModel;
  try {
    previous = loadVersion(workspace, entry);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return replaced(`cannot be loaded (${error.message})`);
  }
  if (JSON.stringify(previous.file.workspace?.features) !== JSON.stringify(features)) {
    return replaced('was trained on other feature definitions, so it cannot be scored on these rows');
  }
  let previousPrAuc: number;
  try {
    const X = takeRows(applySchema(previous.file.schema, dataset.table).matrix, dataset.split.test);
    const p = workspaceProbabilities(previous, X);
    previousPrAuc = averagePrecision(takeLabels(dataset.y, dataset.split.test), p);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return replaced('needs columns this run does not have');
  }
  const better = newPrAuc > previousPrAuc;
  return {
    previousVersion: entry.version,
    previousPrAuc,
    newPrAuc,
    decision: better
      ? `beats v${entry.version} on the same test rows (PR-AUC ${newPrAuc.toFixed(4)} vs ${previousPrAuc.toFixed(4)})`
      : `does not beat v${entry.version} on the same test rows (PR-AUC ${newPrAuc.toFixed(4)} vs ${previousPrAuc.toFixed(4)}): v${entry.version} stays champion`,
  };
}

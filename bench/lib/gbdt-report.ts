// The GBDT benchmark's results: medians per set and model, ours-against-reference ratios and differences, the
// goals of issue 4 checked, and their fixed-width rendering. Pure functions of the raw runs.

import type { ResultLine } from './run-measured.js';
import { median } from './stats.js';
import type { SetName } from './synth-data.js';
import { fixed, fixedTable, signed } from './text-columns.js';

export type Task = 'gbdt' | 'random_forest' | 'logistic_regression';
export type Side = 'ours' | 'reference';

/** One measured process: one model trained and evaluated. */
export interface BenchRun {
  set: SetName;
  task: Task;
  side: Side;
  /** The `model` key of the result line: gbdt, xgboost, sklearn_hist_gbdt, random_forest, … */
  model: string;
  repeat: number;
  command: string[];
  wallSeconds: number;
  maxRssMiB: number;
  result: ResultLine;
}

const METRICS = ['train_seconds', 'predict_seconds', 'roc_auc', 'pr_auc', 'log_loss'] as const;
type Metric = (typeof METRICS)[number];

/** Medians over the repeats of one model on one set. */
export interface Summary extends Record<Metric, number> {
  set: SetName;
  task: Task;
  side: Side;
  model: string;
  label: string;
  repeats: number;
  maxRssMiB: number;
  wallSeconds: number;
  nTrain: number;
  nTest: number;
  nFeatures: number;
}

/** Ours against one reference model on one set: ratios (ours / reference) and differences (ours − reference). */
export interface Comparison {
  set: SetName;
  task: Task;
  ours: string;
  reference: string;
  trainRatio: number;
  rssRatio: number;
  rocAucDiff: number;
  prAucDiff: number;
  logLossDiff: number;
}

/** One goal checked. */
export interface Goal {
  set: SetName;
  what: string;
  pass: boolean;
  stretch: boolean;
  line: string;
}

/** A readable name for a side and model, with the library version for the reference. */
export function modelLabel(side: Side, model: string, result: ResultLine): string {
  if (side === 'ours') return `churnwatch ${model}`;
  const version = typeof result.library_version === 'string' ? ` ${result.library_version}` : '';
  const name =
    model === 'sklearn_hist_gbdt' ? 'sklearn hgb' : model === 'xgboost' ? 'xgboost' : `sklearn ${model}`;
  return `${name}${version}`;
}

/** Medians per (set, side, model), in the order the models first ran. */
export function summarize(runs: readonly BenchRun[]): Summary[] {
  const groups = new Map<string, BenchRun[]>();
  for (const run of runs) {
    const key = `${run.set}|${run.side}|${run.model}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0];
    const of = (metric: Metric) => median(group.map((run) => Number(run.result[metric])));
    return {
      set: first.set,
      task: first.task,
      side: first.side,
      model: first.model,
      label: modelLabel(first.side, first.model, first.result),
      repeats: group.length,
      train_seconds: of('train_seconds'),
      predict_seconds: of('predict_seconds'),
      roc_auc: of('roc_auc'),
      pr_auc: of('pr_auc'),
      log_loss: of('log_loss'),
      maxRssMiB: median(group.map((run) => run.maxRssMiB)),
      wallSeconds: median(group.map((run) => run.wallSeconds)),
      nTrain: Number(first.result.n_train),
      nTest: Number(first.result.n_test),
      nFeatures: Number(first.result.n_features),
    };
  });
}

/** Ours against every reference model of the same task and set. */
export function compare(summaries: readonly Summary[]): Comparison[] {
  const out: Comparison[] = [];
  for (const ours of summaries.filter((s) => s.side === 'ours')) {
    for (const ref of summaries) {
      if (ref.side !== 'reference' || ref.set !== ours.set || ref.task !== ours.task) continue;
      out.push({
        set: ours.set,
        task: ours.task,
        ours: ours.label,
        reference: ref.label,
        trainRatio: ours.train_seconds / ref.train_seconds,
        rssRatio: ours.maxRssMiB / ref.maxRssMiB,
        rocAucDiff: ours.roc_auc - ref.roc_auc,
        prAucDiff: ours.pr_auc - ref.pr_auc,
        logLossDiff: ours.log_loss - ref.log_loss,
      });
    }
  }
  return out;
}

/** The bars of issue 4. */
export const BARS = {
  trainRatio: 1.0,
  trainRatioStretch: 0.6,
  rocAucSlack: 0.002,
  logLossSlack: 0.005,
  rssRatioSet: 'S2' as SetName,
  logisticTrainRatio: 1.5,
  logisticLogLossSlack: 0.001,
};

/** Checks the goals on every comparison they apply to. */
export function checkGoals(comparisons: readonly Comparison[]): Goal[] {
  const goals: Goal[] = [];
  const add = (c: Comparison, what: string, pass: boolean, text: string, stretch = false) =>
    goals.push({
      set: c.set,
      what,
      pass,
      stretch,
      line: `${pass ? 'PASS' : 'FAIL'}  ${c.set}  ${text}${stretch ? '  (stretch)' : ''}`,
    });
  for (const c of comparisons) {
    if (c.task === 'gbdt' && c.reference.startsWith('xgboost')) {
      const ratio = fixed(c.trainRatio, 2);
      add(c, 'train time', c.trainRatio <= BARS.trainRatio, `gbdt train time ours/XGBoost ${ratio} ≤ 1.0`);
      add(
        c,
        'train time (stretch)',
        c.trainRatio <= BARS.trainRatioStretch,
        `gbdt train time ours/XGBoost ${ratio} ≤ 0.6`,
        true,
      );
      add(
        c,
        'ROC-AUC',
        c.rocAucDiff >= -BARS.rocAucSlack,
        `gbdt ROC-AUC ours − XGBoost ${signed(c.rocAucDiff, 4)} ≥ −${BARS.rocAucSlack}`,
      );
      add(
        c,
        'log loss',
        c.logLossDiff <= BARS.logLossSlack,
        `gbdt log loss ours − XGBoost ${signed(c.logLossDiff, 4)} ≤ +${BARS.logLossSlack}`,
      );
      if (c.set === BARS.rssRatioSet) {
        add(c, 'peak RSS', c.rssRatio <= 1, `gbdt peak RSS ours/XGBoost ${fixed(c.rssRatio, 2)} ≤ 1.0`);
      }
    }
    if (c.task === 'logistic_regression') {
      add(
        c,
        'logistic train time',
        c.trainRatio <= BARS.logisticTrainRatio,
        `logistic regression train time ours/sklearn ${fixed(c.trainRatio, 2)} ≤ ${BARS.logisticTrainRatio}`,
      );
      add(
        c,
        'logistic log loss',
        Math.abs(c.logLossDiff) <= BARS.logisticLogLossSlack,
        `logistic regression log loss ours − sklearn ${signed(c.logLossDiff, 4)} within ±${BARS.logisticLogLossSlack}`,
      );
    }
  }
  return goals;
}

/** The medians of one set as a table. */
export function summaryTable(summaries: readonly Summary[]): string {
  return fixedTable(
    [
      'model',
      'runs',
      'train s',
      'predict s',
      'peak RSS MiB',
      'ROC-AUC',
      'PR-AUC',
      'log loss',
      'process s',
      'features',
    ],
    summaries.map((s) => [
      s.label,
      String(s.repeats),
      fixed(s.train_seconds, 3),
      fixed(s.predict_seconds, 3),
      fixed(s.maxRssMiB, 0),
      fixed(s.roc_auc, 4),
      fixed(s.pr_auc, 4),
      fixed(s.log_loss, 4),
      fixed(s.wallSeconds, 1),
      String(s.nFeatures),
    ]),
  );
}

/** Every comparison as one table. */
export function comparisonTable(comparisons: readonly Comparison[]): string {
  return fixedTable(
    ['set', 'ours', 'against', 'train ×', 'RSS ×', 'Δ ROC-AUC', 'Δ PR-AUC', 'Δ log loss'],
    comparisons.map((c) => [
      c.set,
      c.ours,
      c.reference,
      fixed(c.trainRatio, 2),
      fixed(c.rssRatio, 2),
      signed(c.rocAucDiff, 4),
      signed(c.prAucDiff, 4),
      signed(c.logLossDiff, 4),
    ]),
    3,
  );
}

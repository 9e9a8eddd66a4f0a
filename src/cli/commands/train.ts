// `churnwatch train DATA.csv --label COL --positive VALUE`: train, evaluate and save the quick-path models.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatDataReport } from '../../data/data-report.js';
import { InputError } from '../../errors.js';
import { MODEL_KINDS, type ModelKind } from '../../ml/classifier.js';
import { saveModel } from '../../tabular/saved-model.js';
import { type TrainTableOptions, type TrainTableResult, trainTable } from '../../tabular/train-table.js';
import { EXIT } from '../exit-codes.js';
import { choiceOption, fractionOption, intOption, listOption, positiveOption } from '../options.js';
import { createProgress } from '../progress.js';
import { textTable } from '../text-table.js';
import { runWorkspaceTrain } from './train-workspace.js';

export interface TrainFlags {
  label?: string;
  positive?: string;
  workspace: string;
  config?: string;
  promote: 'if-better' | 'always';
  subModelsBy?: string;
  drop: string[];
  models: string[];
  id?: string;
  seed: number;
  threads: number;
  testSize: number;
  validSize: number;
  rounds: number;
  earlyStopping: number;
  rfTrees: number;
  positiveWeight: number;
  calibrate?: 'none' | 'isotonic' | 'platt';
  encoding: 'auto' | 'utf-8' | 'gb18030';
  splitIn?: string;
  splitOut?: string;
  out?: string;
  json: boolean;
  failUnderAuc?: number;
}

/** Adds the train command. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      'train, evaluate and register churn models: on the workspace (snapshots over time) or, given DATA, ' +
        'on a table with one row per customer and a churn column',
    )
    .argument('[data]', 'CSV file with a header row (the quick path); without it, the workspace is used')
    .option('--label <column>', 'quick path: the churn column')
    .option(
      '--positive <value>',
      'quick path: the label value meaning "churned" (compared as text, then as a number)',
    )
    .option('--workspace <dir>', 'the workspace folder', './churnwatch-data')
    .option('--config <file>', 'the configuration (default WORKSPACE/churnwatch.yaml)')
    .option(
      '--promote <rule>',
      'workspace: if-better (the new version becomes champion only if it beats the current one) or always',
      choiceOption('--promote', ['if-better', 'always'] as const),
      'if-better',
    )
    .option('--drop <columns>', 'comma-separated columns to leave out (ids, leaks)', listOption, [])
    .option('--id <column>', 'the customer id column (kept out of the features, used when scoring)')
    .option('--models <kinds>', `comma-separated, from ${MODEL_KINDS.join(',')}`, listOption, [
      ...MODEL_KINDS,
    ])
    .option('--seed <n>', 'random seed', intOption('--seed', 0, 2 ** 31 - 1), 42)
    .option('--threads <n>', 'worker threads', intOption('--threads', 1, 256), 2)
    .option(
      '--test-size <f>',
      'share of rows held out for testing',
      fractionOption('--test-size', false),
      0.2,
    )
    .option(
      '--valid-size <f>',
      'share of training rows for early stopping',
      fractionOption('--valid-size', true),
      0.1,
    )
    .option('--rounds <n>', 'boosting rounds at most', intOption('--rounds', 1, 100000), 500)
    .option(
      '--early-stopping <n>',
      'rounds without improvement before stopping; 0 = off',
      intOption('--early-stopping', 0),
      50,
    )
    .option('--rf-trees <n>', 'random forest trees', intOption('--rf-trees', 1, 100000), 300)
    .option(
      '--positive-weight <w>',
      'weight of churned rows (class imbalance)',
      positiveOption('--positive-weight'),
      1,
    )
    .option(
      '--calibrate <method>',
      'none, isotonic or platt, fitted on the validation rows (default: none on the quick path, platt on the workspace)',
      choiceOption('--calibrate', ['none', 'isotonic', 'platt'] as const),
    )
    .option(
      '--encoding <name>',
      'auto, utf-8 or gb18030',
      choiceOption('--encoding', ['auto', 'utf-8', 'gb18030'] as const),
      'auto',
    )
    .option(
      '--sub-models-by <feature>',
      'workspace: also train the champion per group of a categorical feature (e.g. segment); kept where better',
    )
    .option('--split-in <file>', 'use the row split in FILE (ref_gbdt.split.v1)')
    .option('--split-out <file>', 'write the row split to FILE (ref_gbdt.split.v1)')
    .option('--out <dir>', 'save each model, the data report and the results in DIR')
    .option(
      '--fail-under-auc <x>',
      'exit 1 when the best ROC-AUC is below x',
      positiveOption('--fail-under-auc'),
    )
    .option('--json', 'one JSON line per model, nothing else on stdout', false)
    .action(async (data: string | undefined, flags: TrainFlags) => {
      const result = data === undefined ? await runWorkspaceTrain(flags) : runTrain(data, flags);
      const best = Math.max(...result.results.map((r) => r.roc_auc));
      if (flags.failUnderAuc !== undefined && best < flags.failUnderAuc) {
        process.stderr.write(`best ROC-AUC ${best.toFixed(4)} is under ${flags.failUnderAuc}\n`);
        process.exitCode = EXIT.failedCheck;
      }
    });
}

/** Runs the training stage with a progress display and prints or saves what it produced. */
export function runTrain(data: string, flags: TrainFlags): TrainTableResult {
  for (const option of ['label', 'positive'] as const) {
    if (flags[option] === undefined) {
      throw new InputError(`is required when training on a data file (${data})`, { key: `--${option}` });
    }
  }
  const models = flags.models.map(choiceOption('--models', MODEL_KINDS)) as ModelKind[];
  const progress = createProgress(flags.json);
  const options: TrainTableOptions = {
    file: data,
    label: flags.label as string,
    positive: flags.positive as string,
    drop: flags.drop,
    models,
    idColumn: flags.id,
    seed: flags.seed,
    threads: flags.threads,
    testSize: flags.testSize,
    validSize: flags.validSize,
    rounds: flags.rounds,
    earlyStopping: flags.earlyStopping,
    forestTrees: flags.rfTrees,
    positiveWeight: flags.positiveWeight,
    calibrate: flags.calibrate ?? 'none',
    encoding: flags.encoding,
    splitIn: flags.splitIn,
    splitOut: flags.splitOut,
  };
  const say = (line: string) => {
    if (!flags.json) process.stdout.write(`${line}\n`);
  };
  const result = trainTable(options, {
    onStage: (message) => {
      progress.done();
      say(message);
    },
    onProgress: (kind, done, total) => progress.update(`training ${kind}`, done, total),
  });
  progress.done();
  if (flags.json) {
    for (const line of result.results) process.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    say('');
    say(formatDataReport(result.report));
    say('');
    say(resultsTable(result));
  }
  if (flags.out) {
    mkdirSync(flags.out, { recursive: true });
    for (const model of result.models) saveModel(join(flags.out, `${model.kind}.model.json`), model);
    writeFileSync(join(flags.out, 'data-report.txt'), `${formatDataReport(result.report)}\n`);
    writeFileSync(
      join(flags.out, 'report.json'),
      `${JSON.stringify({ options, data: result.report, results: result.results }, null, 2)}\n`,
    );
    say(`\nsaved ${result.models.length} model(s), data-report.txt and report.json in ${flags.out}`);
  }
  return result;
}

/** The test results of every model, one row each. */
export function resultsTable({ results }: Pick<TrainTableResult, 'results'>): string {
  const calibrated = results.some((r) => r.ece_uncalibrated !== null);
  return textTable(
    [
      'model',
      'ROC-AUC',
      'PR-AUC',
      'log loss',
      'Brier',
      'accuracy',
      'precision',
      'recall',
      'lift@10%',
      ...(calibrated ? ['ECE before', 'ECE after'] : ['ECE']),
      'train s',
      'best iter',
    ],
    results.map((r) => [
      r.model,
      r.roc_auc,
      r.pr_auc,
      r.log_loss,
      r.brier,
      r.accuracy,
      r.precision,
      r.recall,
      r.top_decile_lift,
      ...(calibrated ? [r.ece_uncalibrated ?? 0, r.ece] : [r.ece]),
      r.train_seconds,
      r.best_iteration === null ? '—' : String(r.best_iteration),
    ]),
  );
}

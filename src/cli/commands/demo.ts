// `churnwatch demo`: a synthetic subscription business, trained, evaluated, scored and explained in one go.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Random } from '../../ml/random.js';
import { CUSTOMER_TABLE_HEADER, generateCustomerTable, toCsv } from '../../simulate/customer-table.js';
import { loadModel } from '../../tabular/saved-model.js';
import { scoreTable } from '../../tabular/score-table.js';
import { intOption } from '../options.js';
import { textTable } from '../text-table.js';
import { scoresCsv, summary } from './score.js';
import { runTrain } from './train.js';

interface DemoFlags {
  workspace: string;
  rows: number;
  seed: number;
  threads: number;
  json: boolean;
}

/** Adds the demo command. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a demo customer table, then train, evaluate, score and explain on it')
    .option('--workspace <dir>', 'where the demo files go', './churnwatch-data')
    .option('--rows <n>', 'customers in the training history', intOption('--rows', 200, 10_000_000), 20000)
    .option('--seed <n>', 'random seed', intOption('--seed', 0, 2 ** 31 - 1), 7)
    .option('--threads <n>', 'worker threads', intOption('--threads', 1, 256), 2)
    .option('--json', 'machine-readable lines only', false)
    .action((flags: DemoFlags) => runDemo(flags));
}

function runDemo(flags: DemoFlags): void {
  const say = (line = '') => {
    if (!flags.json) process.stdout.write(`${line}\n`);
  };
  const dir = join(flags.workspace, 'demo');
  mkdirSync(dir, { recursive: true });
  const history = join(dir, 'customers.csv');
  const current = join(dir, 'current-customers.csv');
  const header = [...CUSTOMER_TABLE_HEADER];
  writeFileSync(
    history,
    toCsv(header, generateCustomerTable({ rows: flags.rows, random: new Random(flags.seed) })),
  );
  // Today's customers: same business, other people, churn not known yet.
  const today = generateCustomerTable({
    rows: Math.ceil(flags.rows / 10),
    random: new Random(flags.seed + 1),
  });
  writeFileSync(
    current,
    toCsv(
      header.slice(0, -1),
      today.map((row) => row.slice(0, -1)),
    ),
  );
  say(`demo business: ${flags.rows} customers with known outcome in ${history}`);
  say(`                ${today.length} current customers to score in ${current}\n`);

  const modelsDir = join(dir, 'models');
  const trained = runTrain(history, {
    label: 'churned',
    positive: 'Yes',
    drop: [],
    models: ['gbdt', 'random_forest', 'logistic_regression'],
    id: 'customer_id',
    seed: flags.seed,
    threads: flags.threads,
    testSize: 0.2,
    validSize: 0.1,
    rounds: 500,
    earlyStopping: 50,
    rfTrees: 300,
    positiveWeight: 1,
    calibrate: 'platt',
    workspace: flags.workspace,
    promote: 'if-better',
    encoding: 'auto',
    out: modelsDir,
    json: flags.json,
  });
  const champion = [...trained.results].sort((a, b) => b.pr_auc - a.pr_auc)[0];
  const model = loadModel(join(modelsDir, `${champion.model}.model.json`));
  const scores = scoreTable(model, current);
  const scoresFile = join(dir, 'scores.csv');
  writeFileSync(scoresFile, scoresCsv(scores));
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ champion: champion.model, scores: scoresFile, tiers: scores.tiers })}\n`,
    );
    return;
  }
  say(
    `\nchampion by PR-AUC: ${champion.model}; scored ${scores.rows.length} current customers → ${scoresFile}`,
  );
  say(summary(scores));
  say('\nwhat drives churn here (mean |SHAP| on the test rows):');
  say(
    textTable(
      ['feature', 'mean |SHAP|'],
      model.file.importance.slice(0, 8).map((f) => [f.feature, f.meanAbsContribution]),
    ),
  );
  say(
    `\nnext: churnwatch score ${join(modelsDir, `${champion.model}.model.json`)} YOUR.csv --out scores.csv`,
  );
}

// `churnwatch train` without a data file: trains on the workspace's history and registers a model version.

import { join } from 'node:path';
import { CONFIG_FILE, loadConfig } from '../../config/load-config.js';
import { InputError } from '../../errors.js';
import { workspaceFeatures } from '../../features/workspace-features.js';
import { MODEL_KINDS, type ModelKind } from '../../ml/classifier.js';
import { type TrainWorkspaceResult, trainWorkspace } from '../../training/train-workspace.js';
import { openWarehouse } from '../../warehouse/warehouse.js';
import { choiceOption } from '../options.js';
import { createProgress } from '../progress.js';
import { textTable } from '../text-table.js';
import type { TrainFlags } from './train.js';
import { resultsTable } from './train.js';

/** Runs workspace training with progress, prints the results, and returns them. */
export async function runWorkspaceTrain(flags: TrainFlags): Promise<TrainWorkspaceResult> {
  const config = loadConfig(flags.config ?? join(flags.workspace, CONFIG_FILE));
  const models = flags.models.map(choiceOption('--models', MODEL_KINDS)) as ModelKind[];
  const calibrate = flags.calibrate ?? 'platt';
  if (calibrate === 'none') {
    throw new InputError('workspace models are always calibrated: use isotonic or platt', {
      key: '--calibrate',
    });
  }
  const progress = createProgress(flags.json);
  const say = (line = '') => {
    if (!flags.json) process.stdout.write(`${line}\n`);
  };
  const warehouse = await openWarehouse(flags.workspace);
  try {
    const result = await trainWorkspace(
      warehouse,
      {
        workspace: flags.workspace,
        config,
        // Derived from what the warehouse holds now and saved with the model, so scoring uses the same set.
        features: await workspaceFeatures(warehouse, config),
        models,
        calibrate,
        seed: flags.seed,
        threads: flags.threads,
        rounds: flags.rounds,
        earlyStopping: flags.earlyStopping,
        forestTrees: flags.rfTrees,
        positiveWeight: flags.positiveWeight,
        promote: flags.promote,
        ...(flags.subModelsBy === undefined ? {} : { subModelsBy: flags.subModelsBy }),
      },
      {
        onStage: (message) => {
          progress.done();
          say(message);
        },
        onProgress: (what, done, total) => progress.update(what, done, total),
      },
    );
    progress.done();
    if (flags.json) {
      for (const line of result.results) process.stdout.write(`${JSON.stringify(line)}\n`);
      process.stdout.write(`${JSON.stringify(summaryLine(result))}\n`);
    } else {
      say();
      say(`test cutoff ${result.split.test}, calibrated (${calibrate}) probabilities:`);
      say(resultsTable(result));
      say(
        `recency baseline (rank by days since last activity): ROC-AUC ${result.baseline.roc_auc.toFixed(4)}, ` +
          `PR-AUC ${result.baseline.pr_auc.toFixed(4)}`,
      );
      if (result.groups) {
        say();
        say(groupTable(result));
      }
      say();
      say(cutoffTable(result));
      say();
      say(versionLines(result));
      for (const warning of result.warnings) say(`note: ${warning}`);
    }
    return result;
  } finally {
    warehouse.close();
  }
}

const ROLE_TEXT = {
  train: 'train (in-sample)',
  valid: 'valid (stopping, calibration)',
  test: 'test',
  dropped: 'left out',
} as const;

function cutoffTable(result: TrainWorkspaceResult): string {
  const figure = (x: number | null) => (x === null ? '—' : x.toFixed(4));
  const typed = result.cutoffs.some((c) => c.voluntary !== null);
  return textTable(
    [
      'cutoff',
      'role',
      'customers',
      'churned',
      ...(typed ? ['voluntary', 'involuntary'] : []),
      'rate',
      `${result.best} ROC-AUC`,
      'PR-AUC',
    ],
    result.cutoffs.map((c) => [
      c.cutoff,
      ROLE_TEXT[c.role],
      c.customers,
      c.positives,
      ...(typed ? [c.voluntary ?? 0, c.involuntary ?? 0] : []),
      c.positive_rate === null ? '—' : `${(c.positive_rate * 100).toFixed(1)}%`,
      figure(c.roc_auc),
      figure(c.pr_auc),
    ]),
  );
}

function groupTable(result: TrainWorkspaceResult): string {
  const figure = (x: number | null) => (x === null ? '—' : x.toFixed(4));
  return textTable(
    [
      'group',
      'train rows',
      'churned',
      'valid PR-AUC global / own',
      'test PR-AUC global / own',
      'scores with',
    ],
    (result.groups ?? []).map((g) => [
      g.group,
      g.train_rows,
      g.train_positives,
      `${figure(g.valid_global_pr_auc)} / ${figure(g.valid_own_pr_auc)}`,
      `${figure(g.test_global_pr_auc)} / ${figure(g.test_own_pr_auc)}`,
      g.kept ? 'own model' : `global (${g.note})`,
    ]),
  );
}

function versionLines(result: TrainWorkspaceResult): string {
  const { entry } = result;
  const lines = [
    `registered model v${entry.version} (${entry.kind}, best PR-AUC on the test cutoff) in ${entry.file}`,
  ];
  if (result.comparison) lines.push(`against the champion: ${result.comparison.decision}`);
  lines.push(
    result.promoted
      ? `v${entry.version} is the champion: \`churnwatch score\` uses it`
      : `v${entry.version} is kept as a challenger`,
  );
  return lines.join('\n');
}

/** The `--json` summary: which version was registered and whether it scores from now on. */
function summaryLine(result: TrainWorkspaceResult) {
  return {
    version: result.entry.version,
    model: result.best,
    champion: result.promoted,
    test_cutoff: result.split.test,
    train_cutoffs: result.split.train,
    roc_auc: result.entry.rocAuc,
    pr_auc: result.entry.prAuc,
    recency_baseline_roc_auc: result.baseline.roc_auc,
    recency_baseline_pr_auc: result.baseline.pr_auc,
    cutoffs: result.cutoffs,
  };
}

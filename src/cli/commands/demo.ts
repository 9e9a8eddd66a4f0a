// `churnwatch demo`: the whole loop on a simulated business — simulate → ingest → churn labels and features
// over monthly cutoffs → train three kinds, pick and calibrate the champion → score every customer now —
// then a summary checked against the simulation's ground truth.

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE, loadConfig } from '../../config/load-config.js';
import { InputError } from '../../errors.js';
import { workspaceFeatures } from '../../features/workspace-features.js';
import { dayAfterData, scoreWorkspace } from '../../scoring/score-workspace.js';
import { dataEnd, simulateBusiness } from '../../simulate/business.js';
import { cleaningCheck, tierTruth } from '../../simulate/demo-checks.js';
import { DEMO_MARKER, writeDemoMarker } from '../../simulate/demo-marker.js';
import { loadGroundTruth } from '../../simulate/ground-truth.js';
import { writeBusiness } from '../../simulate/write-business.js';
import { trainWorkspace } from '../../training/train-workspace.js';
import { ingest } from '../../warehouse/ingest.js';
import { openWarehouse, WAREHOUSE_FILE } from '../../warehouse/warehouse.js';
import { intOption } from '../options.js';
import { createProgress } from '../progress.js';
import { textTable } from '../text-table.js';
import { workspaceSummary } from './score-workspace.js';
import { serveWorkspace } from './serve.js';

interface DemoFlags {
  workspace: string;
  customers: number;
  seed: number;
  threads: number;
  historyMonths: number;
  json: boolean;
  /** False with --no-serve. */
  serve: boolean;
  port: number;
  host: string;
}

/** Marks a folder the demo made, so a rerun may clear it and never clears anything else. */
/** What a demo workspace holds; cleared before a rerun. */
const DEMO_ENTRIES = [
  DEMO_MARKER,
  'data',
  'truth',
  'models',
  CONFIG_FILE,
  WAREHOUSE_FILE,
  `${WAREHOUSE_FILE}.wal`,
];

/** Adds the demo command. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'simulate a subscription business, then ingest, define churn, build features, train, score and explain',
    )
    .option(
      '--workspace <dir>',
      'where the demo workspace goes (created; a previous demo there is replaced)',
      './churnwatch-data',
    )
    .option(
      '--customers <n>',
      'customers of the simulated business',
      intOption('--customers', 500, 9_999_999),
      20000,
    )
    .option(
      '--seed <n>',
      'random seed of the simulation and the models',
      intOption('--seed', 0, 2 ** 31 - 1),
      7,
    )
    .option('--threads <n>', 'worker threads', intOption('--threads', 1, 256), 2)
    .option(
      '--history-months <n>',
      'also score on the first day of each of the n months before now, so the dashboard has a history',
      intOption('--history-months', 0, 12),
      3,
    )
    .option('--json', 'print only the summary, as one JSON line (and do not serve)', false)
    .option('--no-serve', 'stop after the summary instead of serving the dashboard')
    .option('--port <n>', 'port of the dashboard served at the end', intOption('--port', 0, 65_535), 7400)
    .option('--host <address>', 'address the dashboard listens on', '127.0.0.1')
    .action(async (flags: DemoFlags) => {
      await runDemo(flags);
      // The loop's result, explored in the browser: the same server `churnwatch serve` starts.
      if (flags.serve && !flags.json) {
        process.stdout.write('\n');
        await serveWorkspace({ workspace: flags.workspace, port: flags.port, host: flags.host, json: false });
      }
    });
}

async function runDemo(flags: DemoFlags): Promise<void> {
  const say = (line = '') => {
    if (!flags.json) process.stdout.write(`${line}\n`);
  };
  const dir = flags.workspace;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const progress = createProgress(flags.json);
  prepareWorkspace(dir);

  const simulation = simulateBusiness({ customers: flags.customers, seed: flags.seed });
  const written = writeBusiness(dir, simulation, {
    onProgress: (_, done, total) => progress.update('simulating', done, total),
  });
  writeDemoMarker(dir, simulation);
  progress.done();
  const rows = Object.values(written.rows).reduce((a, b) => a + b, 0);
  say(
    `simulated ${written.customers} customers over ${simulation.months} months to ${simulation.end}: ${rows} rows in ${join(dir, 'data')} (${elapsed()})`,
  );

  const config = loadConfig(join(dir, CONFIG_FILE));
  const warehouse = await openWarehouse(dir);
  try {
    const report = await ingest(warehouse, config, {
      now: dataEnd(simulation),
      onProgress: (p) => progress.update(`ingest ${p.source}`, p.done, p.total),
    });
    progress.done();
    await loadGroundTruth(warehouse, dir);
    const cleaning = await cleaningCheck(warehouse);
    say(
      `ingested ${report.rowsLoaded} rows, quarantined ${report.rowsQuarantined}: ${cleaning.caught} of ${cleaning.planted} planted bad rows caught, ` +
        `${(cleaning.goodKeptShare * 100).toFixed(2)}% of good rows kept (${elapsed()})`,
    );

    const features = await workspaceFeatures(warehouse, config);
    const trained = await trainWorkspace(
      warehouse,
      {
        workspace: dir,
        config,
        features,
        models: ['gbdt', 'random_forest', 'logistic_regression'],
        calibrate: 'platt',
        seed: flags.seed,
        threads: flags.threads,
        rounds: 500,
        earlyStopping: 50,
        forestTrees: 200,
        positiveWeight: 1,
        promote: 'always',
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
    const best = trained.results.find((r) => r.model === trained.best)!;
    say();
    say(
      `time-based test on ${trained.split.test} (${best.n_test} customers, churn = cancellation within ${config.churn.horizon_days} days):`,
    );
    say(
      textTable(
        ['model', 'ROC-AUC', 'PR-AUC', 'log loss', 'lift@10%'],
        [
          ...trained.results.map((r) => [
            r.model === trained.best ? `${r.model} ← champion` : r.model,
            r.roc_auc,
            r.pr_auc,
            r.log_loss,
            r.top_decile_lift,
          ]),
          ['days since last activity', trained.baseline.roc_auc, trained.baseline.pr_auc, '', ''],
        ],
      ),
    );

    const now = await dayAfterData(warehouse);
    // The champion scores the months before as well: a backfill, so tier counts and score histories have
    // points over time (and alerts compare with a previous score) as in a workspace scored every month.
    for (const at of monthStartsBefore(now, flags.historyMonths)) {
      await scoreWorkspace(warehouse, {
        workspace: dir,
        config,
        at,
        onProgress: (done, total) => progress.update(`scoring ${at}`, done, total),
      });
    }
    const scored = await scoreWorkspace(warehouse, {
      workspace: dir,
      config,
      at: now,
      onProgress: (done, total) => progress.update('scoring', done, total),
    });
    progress.done();
    const truth = await tierTruth(warehouse, scored.scoredAt);
    const summary = {
      customers: scored.scores.length,
      roc_auc: best.roc_auc,
      pr_auc: best.pr_auc,
      recency_baseline_roc_auc: trained.baseline.roc_auc,
      tiers: scored.tiers,
    };
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    say();
    say(workspaceSummary(scored, 5, 'en'));
    say();
    say('main reasons of the high and medium tiers:');
    say(textTable(['feature', 'customers'], topReasons(scored.scores)));
    say();
    say(`against the ground truth (each customer's true churn hazard in ${simulation.end.slice(0, 7)}):`);
    say(
      textTable(
        ['tier', 'customers', 'true monthly hazard'],
        truth.map((t) => [t.tier, t.customers, `${(t.meanHazard * 100).toFixed(1)}%`]),
      ),
    );
    say();
    say(`done in ${elapsed()}. Look closer:`);
    say(`  churnwatch customer ${scored.scores[0]?.customerId ?? 'ID'} --workspace ${dir}`);
    say(`  churnwatch score --workspace ${dir} --locale zh-CN`);
    say(`  the warehouse: ${join(dir, WAREHOUSE_FILE)} (tables scores, model_registry, snapshots, truth_*)`);
  } finally {
    warehouse.close();
  }
}

/** Creates the folder, or clears a previous demo in it; refuses a folder holding anything else. */
function prepareWorkspace(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  if (!entries.includes(DEMO_MARKER)) {
    throw new InputError(
      'is not empty and was not made by the demo: the demo writes a fresh workspace; choose another --workspace',
      { file: dir },
    );
  }
  for (const entry of DEMO_ENTRIES) rmSync(join(dir, entry), { recursive: true, force: true });
}

/** How many high- and medium-tier customers have each feature as their main reason, most frequent first. */
function topReasons(
  scores: readonly { tier: string; drivers: readonly { feature: string }[] }[],
): (string | number)[][] {
  const counts = new Map<string, number>();
  for (const s of scores) {
    const main = s.drivers[0];
    if (s.tier !== 'low' && main) counts.set(main.feature, (counts.get(main.feature) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 6);
}

/** The first days of the `count` calendar months before the one `date` (`YYYY-MM-DD`) falls in, oldest first. */
export function monthStartsBefore(date: string, count: number): string[] {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1;
  const starts: string[] = [];
  for (let back = count; back >= 1; back--) {
    starts.push(new Date(Date.UTC(year, month - back, 1)).toISOString().slice(0, 10));
  }
  return starts;
}

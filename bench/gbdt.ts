// Issue 4's benchmark, "a learning engine as fast as XGBoost on two cores": our gbdt against XGBoost (and
// scikit-learn's HistGradientBoosting) on three synthetic sets, plus the forest, logistic regression and scoring.
//
//   npm run build && npx tsx bench/gbdt.ts [--sets S1,S2,S3] [--repeats 3] [--rows-scale 1] [--threads 2]
//       [--rounds 200] [--no-hgb] [--no-extras] [--cache-dir DIR] [--json-out FILE]
//
// Each model runs in its own process under /usr/bin/time -v (peak RSS is that model's own), ours and the
// reference alternating, on the same cached CSV and split. Medians, ratios and the goals go to stdout, progress
// to stderr. Exit 0 whatever the goals say; 1 when a run crashes (its command and stderr tail are printed);
// 2 for bad options. Run the full sizes only on an idle machine: a load average above 0.5 is flagged.

import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type BenchRun,
  type Comparison,
  checkGoals,
  compare,
  comparisonTable,
  type Goal,
  type Side,
  type Summary,
  summarize,
  summaryTable,
  type Task,
} from './lib/gbdt-report.js';
import { describeMachine, type MachineInfo, machineLines } from './lib/machine.js';
import { RunFailure, runMeasured, shellLine } from './lib/run-measured.js';
import type { ScoreThroughput } from './lib/score-throughput.js';
import {
  DEFAULT_CACHE_DIR,
  type PreparedSet,
  prepareSet,
  type Reference,
  SET_NAMES,
  type SetName,
  SYNTH_SETS,
  scaledRows,
} from './lib/synth-data.js';
import { count, fixed, fixedTable } from './lib/text-columns.js';
import { type XgbThroughput, xgbThroughput } from './lib/xgb-throughput.js';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');
const ref: Reference = { python: '/usr/bin/python3', dir: resolve(root, '../shared/bench') };

/** Forest size on both sides (the reference's default too). */
const FOREST_TREES = 300;

interface Options {
  sets: SetName[];
  repeats: number;
  rowsScale: number;
  threads: number;
  rounds: number;
  hgb: boolean;
  extras: boolean;
  cacheDir: string;
  jsonOut?: string;
}

/** One process to run per repeat. */
interface Job {
  set: PreparedSet;
  task: Task;
  side: Side;
  command: string[];
}

/** Everything measured, as --json-out writes it. */
interface BenchReport {
  startedAt: string;
  machine: MachineInfo;
  options: Options;
  sets: PreparedSet[];
  runs: BenchRun[];
  summaries: Summary[];
  comparisons: Comparison[];
  goals: Goal[];
  throughput: { set: SetName; rounds: number; ours: ScoreThroughput[]; xgboost: XgbThroughput[] } | null;
  failure: { message: string; command: string; stderrTail: string } | null;
}

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sets: { type: 'string', default: SET_NAMES.join(',') },
      repeats: { type: 'string', default: '3' },
      'rows-scale': { type: 'string', default: '1' },
      threads: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '200' },
      'no-hgb': { type: 'boolean', default: false },
      extras: { type: 'boolean', default: true },
      'no-extras': { type: 'boolean', default: false },
      'cache-dir': { type: 'string', default: DEFAULT_CACHE_DIR },
      'json-out': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const sets = values.sets.split(',').map((s) => s.trim().toUpperCase());
  const unknown = sets.filter((s) => !SET_NAMES.includes(s as SetName));
  if (unknown.length > 0 || sets.length === 0) {
    throw new Error(`--sets=${values.sets}: choose from ${SET_NAMES.join(',')}`);
  }
  return {
    sets: SET_NAMES.filter((name) => sets.includes(name)),
    repeats: integer('--repeats', values.repeats, 1),
    rowsScale: positive('--rows-scale', values['rows-scale']),
    threads: integer('--threads', values.threads, 1),
    rounds: integer('--rounds', values.rounds, 1),
    hgb: !values['no-hgb'],
    extras: values.extras && !values['no-extras'],
    cacheDir: resolve(values['cache-dir']),
    jsonOut: values['json-out'],
  };
}

const USAGE = `usage: npx tsx bench/gbdt.ts [options]   (after npm run build)
  --sets S1,S2,S3     data sets (S1 100k×30, S2 1M×50 with categoricals and missing, S3 300k×100)
  --repeats N         runs per model, medians reported (default 3)
  --rows-scale F      multiply row counts, for quick trials (default 1)
  --threads N         threads for both sides (default 2)
  --rounds N          boosting rounds, no early stopping (default 200)
  --no-hgb            skip scikit-learn's HistGradientBoosting (slow on S2)
  --no-extras         skip the forest (S1), logistic regression and scoring throughput (S2)
  --cache-dir DIR     where generated CSVs and splits are kept (default ${DEFAULT_CACHE_DIR})
  --json-out FILE     write every run, the medians and the goals as JSON`;

function integer(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}=${text} must be an integer ≥ ${min}`);
  return value;
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${text} must be a number > 0`);
  return value;
}

/** The train command of either side for one model kind. */
function trainCommand(set: PreparedSet, side: Side, model: string, options: Options, extra: string[] = []) {
  const common = [
    '--threads',
    String(options.threads),
    '--early-stopping',
    '0',
    '--rounds',
    String(options.rounds),
    ...(model === 'rf' || model === 'random_forest' ? ['--rf-trees', String(FOREST_TREES)] : []),
    '--split-in',
    set.split,
  ];
  if (side === 'reference') {
    return [
      ref.python,
      join(ref.dir, 'ref_gbdt.py'),
      set.csv,
      ...['--label', 'churn', '--positive', 'yes', '--drop', 'customer_id', '--models', model],
      ...common,
      ...extra,
    ];
  }
  return [
    process.execPath,
    cli,
    'train',
    set.csv,
    ...['--label', 'churn', '--positive', 'yes', '--drop', 'customer_id', '--models', model],
    ...common,
    '--json',
    ...extra,
  ];
}

/** The processes of one set: GBDT always, the forest on S1 and logistic regression on S2 with extras. */
function jobsFor(set: PreparedSet, options: Options): Job[][] {
  // One reference model per process, so each peak RSS is that model's own; ours second, after the first.
  const pair = (task: Task, ours: string, refs: string[]): Job[] => {
    const [first, ...rest] = refs.map((model): Job => {
      return { set, task, side: 'reference', command: trainCommand(set, 'reference', model, options) };
    });
    return [first, { set, task, side: 'ours', command: trainCommand(set, 'ours', ours, options) }, ...rest];
  };
  const groups = [pair('gbdt', 'gbdt', options.hgb ? ['xgb', 'hgb'] : ['xgb'])];
  if (options.extras && set.name === 'S1') groups.push(pair('random_forest', 'random_forest', ['rf']));
  if (options.extras && set.name === 'S2')
    groups.push(pair('logistic_regression', 'logistic_regression', ['logreg']));
  return groups;
}

/** Runs a group's jobs `repeats` times, alternating which of the first two goes first. */
function runGroup(jobs: Job[], options: Options, runs: BenchRun[]): void {
  for (let repeat = 1; repeat <= options.repeats; repeat++) {
    const order = repeat % 2 === 0 && jobs.length >= 2 ? [jobs[1], jobs[0], ...jobs.slice(2)] : jobs;
    for (const job of order) {
      const measured = runMeasured(job.command, { env: { OMP_NUM_THREADS: String(options.threads) } });
      for (const result of measured.lines) {
        const run: BenchRun = {
          set: job.set.name,
          task: job.task,
          side: job.side,
          model: String(result.model),
          repeat,
          command: job.command,
          wallSeconds: measured.wallSeconds,
          maxRssMiB: measured.maxRssMiB,
          result,
        };
        runs.push(run);
        progress(
          `${run.set} ${repeat}/${options.repeats} ${job.side === 'ours' ? 'churnwatch' : 'reference'} ${run.model}: ` +
            `train ${fixed(Number(result.train_seconds), 2)} s, peak RSS ${fixed(run.maxRssMiB, 0)} MiB, ` +
            `ROC-AUC ${fixed(Number(result.roc_auc), 4)}`,
        );
      }
    }
  }
}

/** Our saved 200-tree model and XGBoost's, timed on the test rows: predictions only, 1 and `threads` threads. */
function measureThroughput(set: PreparedSet, options: Options, workDir: string): BenchReport['throughput'] {
  const repeats = Math.max(3, options.repeats);
  const modelDir = join(workDir, 'model');
  const threadCounts = [...new Set([1, options.threads])];
  progress(`${set.name} scoring: training our ${options.rounds}-tree gbdt with --out`);
  runMeasured(trainCommand(set, 'ours', 'gbdt', options, ['--out', modelDir]));
  progress(`${set.name} scoring: timing our predictProba (and the plain tree walk it replaced)`);
  const ours = runMeasured([
    join(root, 'node_modules/.bin/tsx'),
    join(root, 'bench/lib/score-throughput.ts'),
    join(modelDir, 'gbdt.model.json'),
    set.csv,
    '--split',
    set.split,
    '--repeats',
    String(repeats),
    '--threads',
    threadCounts.join(','),
    '--baseline',
  ]).lines as unknown as ScoreThroughput[];
  progress(`${set.name} scoring: training XGBoost and timing booster.predict`);
  const xgb = xgbThroughput(ref, set, { rounds: options.rounds, repeats, threadCounts, workDir }).results;
  return { set: set.name, rounds: options.rounds, ours, xgboost: xgb };
}

function throughputTable(t: NonNullable<BenchReport['throughput']>): string {
  const rows = [
    ...t.ours.map((o) => [
      o.kernel === 'plain' ? 'churnwatch plain tree walk (before)' : 'churnwatch predictProba',
      String(o.threads),
      count(o.rows),
      fixed(o.medianSeconds, 3),
      count(Math.round(o.rowsPerSecond)),
      '—',
      '—',
    ]),
    ...t.xgboost.map((x) => [
      'xgboost booster.predict',
      String(x.threads),
      count(x.rows),
      fixed(x.predictSeconds, 3),
      count(Math.round(x.rows / x.predictSeconds)),
      fixed(x.dmatrixSeconds + x.predictSeconds, 3),
      count(Math.round(x.rows / (x.dmatrixSeconds + x.predictSeconds))),
    ]),
  ];
  return fixedTable(['', 'threads', 'rows', 'predict s', 'rows/s', 'with DMatrix s', 'rows/s'], rows);
}

/** Issue 4's scoring goal per thread count: our rows/s at least XGBoost's predict alone (DMatrix excluded). */
function throughputGoals(t: NonNullable<BenchReport['throughput']>): string[] {
  return t.xgboost.flatMap((x) => {
    const ours = t.ours.find((o) => o.kernel === 'compiled' && o.threads === x.threads);
    if (!ours) return [];
    const theirs = x.rows / x.predictSeconds;
    const ratio = ours.rowsPerSecond / theirs;
    return [
      `  ${ratio >= 1 ? 'met' : 'NOT met'}: scoring ${x.threads} thread(s) ${count(Math.round(ours.rowsPerSecond))} ` +
        `rows/s >= XGBoost's ${count(Math.round(theirs))} (${fixed(ratio, 2)} ×)`,
    ];
  });
}

function printReport(report: BenchReport, options: Options): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  for (const set of report.sets) {
    const summaries = report.summaries.filter((s) => s.set === set.name);
    const first = summaries[0];
    if (!first) continue;
    out();
    out(
      `== ${set.name}: ${count(set.spec.rows)} rows × ${set.spec.features} features ` +
        `(${count(first.nTrain)} train / ${count(first.nTest)} test), ${options.rounds} rounds, ` +
        `${options.threads} threads; medians of ${options.repeats} ==`,
    );
    out(summaryTable(summaries));
  }
  out();
  out(
    'ours against the reference (ratios ours/reference, differences ours − reference; lower log loss is better)',
  );
  out(report.comparisons.length ? comparisonTable(report.comparisons) : '  (no finished pair)');
  if (report.throughput) {
    const t = report.throughput;
    out();
    out(
      `scoring throughput on ${t.set}'s test rows, ${t.rounds}-tree models, CSV reading excluded (medians)`,
    );
    out(throughputTable(t));
    for (const line of throughputGoals(t)) out(line);
  }
  out();
  out('goals (issue 4)');
  for (const goal of report.goals) out(`  ${goal.line}`);
  const failed = report.goals.filter((g) => !g.pass && !g.stretch).length;
  if (report.failure)
    out('  incomplete: a run failed (see stderr); goals above cover the finished runs only');
  else out(failed ? `  ${failed} goal(s) not met` : '  all goals met');
  if (report.machine.load1 > 0.5)
    out(`  (load average was ${report.machine.load1.toFixed(2)} at start: timings unreliable)`);
}

/** Warns when dist/ is older than the newest source file: the benchmark would time old code. */
function checkBuild(): void {
  let built: number;
  try {
    built = statSync(cli).mtimeMs;
  } catch {
    throw new Error(`${cli} not found: run npm run build first`);
  }
  const newest = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .reduce((max, f) => Math.max(max, statSync(join(root, 'src', f)).mtimeMs), 0);
  if (newest > built) progress('WARNING: src/ is newer than dist/ — run npm run build, or old code is timed');
}

function main(): void {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
    checkBuild();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const machine = describeMachine(ref.python, root);
  for (const line of machineLines(machine)) process.stdout.write(`${line}\n`);
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    machine,
    options,
    sets: [],
    runs: [],
    summaries: [],
    comparisons: [],
    goals: [],
    throughput: null,
    failure: null,
  };
  const workDir = mkdtempSync(join(tmpdir(), 'churnwatch-bench-'));
  try {
    for (const name of options.sets) {
      const set = prepareSet(
        name,
        scaledRows(SYNTH_SETS[name], options.rowsScale),
        options.cacheDir,
        ref,
        progress,
      );
      report.sets.push(set);
      for (const jobs of jobsFor(set, options)) runGroup(jobs, options, report.runs);
      if (options.extras && name === 'S2') report.throughput = measureThroughput(set, options, workDir);
    }
    if (options.extras && !options.sets.includes('S1'))
      progress('note: the forest comparison runs on S1 only');
    if (options.extras && !options.sets.includes('S2')) {
      progress('note: logistic regression and scoring throughput run on S2 only');
    }
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error;
    report.failure = {
      message: error.message,
      command: shellLine(error.command),
      stderrTail: error.stderrTail,
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  report.summaries = summarize(report.runs);
  report.comparisons = compare(report.summaries);
  report.goals = checkGoals(report.comparisons);
  printReport(report, options);
  if (options.jsonOut) {
    writeFileSync(options.jsonOut, `${JSON.stringify(report, null, 2)}\n`);
    progress(`wrote ${options.jsonOut}`);
  }
  if (report.failure) {
    const f = report.failure;
    process.stderr.write(
      `\nA run failed (${f.message}):\n  ${f.command}\nits stderr ends with:\n${f.stderrTail}\n`,
    );
    process.exitCode = 1;
  }
}

main();

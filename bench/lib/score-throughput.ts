// Times our classifier's predictProba alone: the model is loaded from its file and the CSV read and encoded
// once beforehand, so CSV parsing and the SHAP drivers that `churnwatch score` adds stay out of the timing.
//
//   npx tsx bench/lib/score-throughput.ts MODEL.json DATA.csv [--split SPLIT.json] [--repeats 5]
//       [--threads 1,2] [--baseline]
//
// With --split only the split's test rows are scored. Each thread count is timed, and with --baseline (tree
// models) also the plain tree walk (`predictRawPlain`, the scoring before the compiled predictor) — in
// turns, the order reversed every other repeat, so that load from other processes hits all alike. One
// warm-up call each is not timed, and helper threads are started before timing. Prints one JSON line each.
//
// Under tsx the timings here are some 10–20% slower than in the built CLI (`node dist/cli/main.js`): tsx's
// loading of a CommonJS package (papaparse, for the CSV) detaches a buffer, after which V8 checks every
// typed-array access for a detached buffer. So they understate ours against XGBoost's, never overstate.

import { parseArgs } from 'node:util';
import { readCsv } from '../../src/data/read-csv.js';
import { readSplit } from '../../src/data/row-split.js';
import { applySchema } from '../../src/data/schema.js';
import { predictRawPlain, probabilityFromRaw } from '../../src/ml/ensemble.js';
import { takeRows } from '../../src/ml/matrix.js';
import { ensembleFromJSON } from '../../src/ml/model.js';
import { helpersReady } from '../../src/ml/predict-threads.js';
import { loadModel } from '../../src/tabular/saved-model.js';
import { median } from './stats.js';

/** The runner's report, one per timed configuration. */
export interface ScoreThroughput {
  side: 'churnwatch';
  kind: string;
  /** `compiled`: Classifier.predictProba; `plain`: the plain tree walk it replaced (one thread). */
  kernel: 'compiled' | 'plain';
  rows: number;
  threads: number;
  repeats: number;
  seconds: number[];
  medianSeconds: number;
  rowsPerSecond: number;
}

interface Timed {
  kernel: ScoreThroughput['kernel'];
  threads: number;
  run: () => unknown;
  seconds: number[];
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      split: { type: 'string' },
      repeats: { type: 'string', default: '5' },
      threads: { type: 'string', default: '1' },
      baseline: { type: 'boolean', default: false },
    },
  });
  const [modelPath, csvPath] = positionals;
  const repeats = Number(values.repeats);
  const threadCounts = values.threads.split(',').map(Number);
  if (
    !modelPath ||
    !csvPath ||
    !Number.isInteger(repeats) ||
    repeats < 1 ||
    !threadCounts.every((t) => Number.isInteger(t) && t >= 1)
  ) {
    process.stderr.write(
      'usage: score-throughput.ts MODEL.json DATA.csv [--split SPLIT.json] [--repeats N>=1] [--threads 1,2] [--baseline]\n',
    );
    process.exit(2);
  }
  const { file, classifier } = loadModel(modelPath);
  const table = readCsv(csvPath);
  const all = applySchema(file.schema, table).matrix;
  const X = values.split ? takeRows(all, readSplit(values.split, table.nRows).test) : all;

  const timed: Timed[] = threadCounts.map((threads) => ({
    kernel: 'compiled',
    threads,
    run: () => classifier.predictProba(X, { threads }),
    seconds: [],
  }));
  if (values.baseline && file.kind !== 'logistic_regression') {
    const ensemble = ensembleFromJSON((file.model as { ensemble: unknown }).ensemble, 'model.ensemble');
    timed.unshift({
      kernel: 'plain',
      threads: 1,
      run: () => probabilityFromRaw(ensemble, predictRawPlain(ensemble, X.columns, X.nRows)),
      seconds: [],
    });
  }
  await helpersReady(Math.max(...threadCounts) - 1);
  for (const entry of timed) entry.run();
  for (let r = 0; r < repeats; r++) {
    for (const entry of r % 2 === 0 ? timed : [...timed].reverse()) {
      const start = performance.now();
      entry.run();
      entry.seconds.push((performance.now() - start) / 1000);
    }
  }
  for (const entry of timed) {
    const medianSeconds = median(entry.seconds);
    const report: ScoreThroughput = {
      side: 'churnwatch',
      kind: classifier.kind,
      kernel: entry.kernel,
      rows: X.nRows,
      threads: entry.threads,
      repeats,
      seconds: entry.seconds,
      medianSeconds,
      rowsPerSecond: X.nRows / medianSeconds,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
}

await main();

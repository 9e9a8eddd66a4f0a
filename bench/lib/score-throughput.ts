// Times our classifier's predictProba alone: the model is loaded from its file and the CSV read and encoded
// once beforehand, so CSV parsing and the SHAP drivers that `churnwatch score` adds stay out of the timing.
//
//   npx tsx bench/lib/score-throughput.ts MODEL.json DATA.csv [--split SPLIT.json] [--repeats 5]
//
// With --split only the split's test rows are scored. Prints one JSON line; one warm-up call is not timed.

import { parseArgs } from 'node:util';
import { readCsv } from '../../src/data/read-csv.js';
import { readSplit } from '../../src/data/row-split.js';
import { applySchema } from '../../src/data/schema.js';
import { takeRows } from '../../src/ml/matrix.js';
import { loadModel } from '../../src/tabular/saved-model.js';
import { median } from './stats.js';

/** The runner's report. */
export interface ScoreThroughput {
  side: 'churnwatch';
  kind: string;
  rows: number;
  /** Classifier.predictProba takes no thread count today: every timing is single-threaded. */
  threads: number;
  repeats: number;
  seconds: number[];
  medianSeconds: number;
  rowsPerSecond: number;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { split: { type: 'string' }, repeats: { type: 'string', default: '5' } },
  });
  const [modelPath, csvPath] = positionals;
  const repeats = Number(values.repeats);
  if (!modelPath || !csvPath || !Number.isInteger(repeats) || repeats < 1) {
    process.stderr.write(
      'usage: score-throughput.ts MODEL.json DATA.csv [--split SPLIT.json] [--repeats N>=1]\n',
    );
    process.exit(2);
  }
  const { file, classifier } = loadModel(modelPath);
  const table = readCsv(csvPath);
  const all = applySchema(file.schema, table).matrix;
  const X = values.split ? takeRows(all, readSplit(values.split, table.nRows).test) : all;

  classifier.predictProba(X);
  const seconds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    classifier.predictProba(X);
    seconds.push((performance.now() - start) / 1000);
  }
  const medianSeconds = median(seconds);
  const report: ScoreThroughput = {
    side: 'churnwatch',
    kind: classifier.kind,
    rows: X.nRows,
    threads: 1,
    repeats,
    seconds,
    medianSeconds,
    rowsPerSecond: X.nRows / medianSeconds,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main();

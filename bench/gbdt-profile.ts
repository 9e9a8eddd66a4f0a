// Times (and, under `node --cpu-prof`, profiles) our GBDT and forest on a 100,000 × 30 synthetic problem.
// `npx tsc -p tsconfig.json --outDir /tmp/cw-build`, then `node /tmp/cw-build/bench/gbdt-profile.js MODE [N]`
// with MODE gbdt (N rounds, no early stopping), gbdt-es (up to 500 rounds, early stopping on 10,000 of
// the 100,000 training rows, like the reference) or forest (N trees). THREADS=2 in the environment trains the
// gbdt on two threads (default 1).

import { predictProbability } from '../src/ml/ensemble.js';
import { trainForest } from '../src/ml/forest.js';
import { trainGbdt } from '../src/ml/gbdt.js';
import { takeRows } from '../src/ml/matrix.js';
import { rocAuc } from '../src/ml/metrics.js';
import { syntheticChurn } from '../src/ml/testing/synthetic.js';

const mode = process.argv[2] ?? 'gbdt';
const count = Number(process.argv[3] ?? (mode === 'forest' ? 20 : 200));
const nRows = 125_000;
const { X, y, probability } = syntheticChurn(nRows, 1, { noiseFeatures: 22 });
const range = (begin: number, end: number) => Uint32Array.from({ length: end - begin }, (_, i) => begin + i);
const test = range(100_000, nRows);
const testX = takeRows(X, test);
const testY = Array.from(test, (row) => y[row]);

const start = performance.now();
let trees = 0;
let trained = 0;
let scores: Float64Array;
if (mode === 'forest') {
  const forest = trainForest(X, y, { trainRows: range(0, 100_000), trees: count });
  trees = trained = forest.trees.length;
  scores = predictProbability(forest, testX.columns, testX.nRows);
} else {
  const early = mode === 'gbdt-es';
  const model = trainGbdt(X, y, {
    trainRows: range(0, early ? 90_000 : 100_000),
    validRows: early ? range(90_000, 100_000) : undefined,
    rounds: early ? 500 : count,
    earlyStoppingRounds: early ? 50 : 0,
    threads: Number(process.env.THREADS ?? 1),
    onProgress: (round) => {
      trained = round;
    },
  });
  trees = model.ensemble.trees.length;
  scores = predictProbability(model.ensemble, testX.columns, testX.nRows);
}
const ms = performance.now() - start;
console.log(
  JSON.stringify({
    mode,
    features: X.columns.length,
    trees,
    trained,
    ms: Math.round(ms),
    msPerTree: +(ms / trained).toFixed(2),
    auc: +rocAuc(testY, scores).toFixed(4),
    bayesAuc: +rocAuc(
      testY,
      Array.from(test, (row) => probability[row]),
    ).toFixed(4),
  }),
);

// XGBoost's side of the scoring-throughput comparison: a Python snippet, written to a temporary file and run with
// the reference's interpreter, that trains XGBoost exactly as ref_gbdt.py does (it imports that script and calls
// its train_xgb), then times booster.predict on the test rows with each thread count.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MeasuredRun, runMeasured } from './run-measured.js';
import type { PreparedSet, Reference } from './synth-data.js';

/** One thread count's timings; DMatrix construction and predict timed apart, medians of the repeats. */
export interface XgbThroughput {
  side: 'xgboost';
  threads: number;
  rows: number;
  repeats: number;
  dmatrixSeconds: number;
  predictSeconds: number;
}

// A fresh DMatrix per repeat: XGBoost caches predictions per DMatrix, so predicting twice on one would time the
// cache. The first repeat of each thread count is a warm-up and is dropped.
const SNIPPET = `
import json, statistics, sys, time
ref_dir, csv, split, rounds, repeats = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
thread_counts = [int(t) for t in sys.argv[6].split(",")]
sys.path.insert(0, ref_dir)
import ref_gbdt as ref
import xgboost

args = ref.parse_args([csv, "--label", "churn", "--positive", "yes", "--drop", "customer_id", "--models", "xgb",
                       "--threads", str(max(thread_counts)), "--early-stopping", "0", "--rounds", rounds,
                       "--split-in", split])
X, y = ref.load_csv(args.csv, args.label, args.positive, args.drop)
rows = ref.read_split(args.split_in, len(X))
feats = ref.encode(X, rows.train, args.max_categories, native=False)
del X
boosters = []
train = xgboost.train
def keep(*a, **k):
    boosters.append(train(*a, **k))
    return boosters[-1]
xgboost.train = keep
ref.train_xgb(ref.Context(feats=feats, y=y, split=rows, args=args))
booster = boosters[0]
test = feats.onehot[rows.test]
for threads in thread_counts:
    booster.set_param({"nthread": threads})
    dm, pr = [], []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        d = xgboost.DMatrix(test, nthread=threads)
        t1 = time.perf_counter()
        booster.predict(d)
        t2 = time.perf_counter()
        dm.append(t1 - t0)
        pr.append(t2 - t1)
    print(json.dumps({"side": "xgboost", "threads": threads, "rows": int(test.shape[0]), "repeats": repeats,
                      "dmatrixSeconds": statistics.median(dm[1:]), "predictSeconds": statistics.median(pr[1:])}))
`;

/** Trains the reference XGBoost model on the set's training rows and times its predictions. */
export function xgbThroughput(
  ref: Reference,
  set: PreparedSet,
  options: { rounds: number; repeats: number; threadCounts: number[]; workDir: string },
): { run: MeasuredRun; results: XgbThroughput[] } {
  const script = join(options.workDir, 'xgb-throughput.py');
  writeFileSync(script, SNIPPET);
  const run = runMeasured(
    [
      ref.python,
      script,
      ref.dir,
      set.csv,
      set.split,
      String(options.rounds),
      String(options.repeats),
      options.threadCounts.join(','),
    ],
    { env: { OMP_NUM_THREADS: String(Math.max(...options.threadCounts)) } },
  );
  return { run, results: run.lines as unknown as XgbThroughput[] };
}

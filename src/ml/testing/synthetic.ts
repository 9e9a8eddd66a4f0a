// A seeded synthetic churn-like dataset for tests and benchmarks: numeric, categorical and missing values,
// with non-linear effects, an interaction and informative missingness, labels drawn from a known model.

import type { FeatureMatrix } from '../matrix.js';
import { Random } from '../random.js';

export interface SyntheticOptions {
  /** Features without any effect on the label, on top of the 6 numeric and 2 categorical signal ones. */
  noiseFeatures?: number;
  /** Share of missing values in the numeric signal features 0..4. */
  missingRate?: number;
  /** Added to every margin; lower gives fewer positives. */
  intercept?: number;
  /** Multiplies every effect; higher makes the labels less noisy. */
  signal?: number;
}

export interface SyntheticData {
  X: FeatureMatrix;
  y: Uint8Array;
  /** The true positive probability of every row (its AUC is the best any model can do). */
  probability: Float64Array;
}

/** `nRows` rows drawn from a fixed model with `seed`. */
export function syntheticChurn(nRows: number, seed: number, options: SyntheticOptions = {}): SyntheticData {
  const noise = options.noiseFeatures ?? 4;
  const missingRate = options.missingRate ?? 0.1;
  const intercept = options.intercept ?? -1.5;
  const signal = options.signal ?? 1.7;
  const random = new Random(seed, 7);
  const normal = () => {
    // Box–Muller.
    const u = 1 - random.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  };
  const nNumeric = 6 + noise;
  const columns = Array.from({ length: nNumeric + 2 }, () => new Float64Array(nRows));
  const planEffect = [-1, -0.3, 0, 0.5, 1.2];
  const planShare = [0.35, 0.25, 0.2, 0.12, 0.08];
  const regionCount = 30;
  const regionRandom = new Random(11, 3);
  const regionEffect = Array.from({ length: regionCount }, () => (regionRandom.next() - 0.5) * 1.6);
  const y = new Uint8Array(nRows);
  const probability = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const x0 = normal();
    const x1 = (random.next() - 0.5) * 4;
    const x2 = normal();
    const x3 = normal();
    const x4 = normal();
    const tenure = -Math.log(1 - random.next()) * 24;
    const tenureMissing = random.next() < 0.2;
    let z = 1.2 * x0 + 1 - 0.8 * x1 * x1 + Math.sin(2 * x2) + 0.8 * x3 * x4;
    z += tenureMissing ? 0.7 : -0.5 * Math.log1p(tenure) + 1;
    const u = random.next();
    let plan = 0;
    let share = planShare[0];
    while (plan < 4 && u >= share) share += planShare[++plan];
    const planMissing = random.next() < 0.05;
    z += planMissing ? 0.3 : planEffect[plan];
    // Region: roughly Zipf-distributed codes.
    const region = Math.min(regionCount - 1, Math.floor(regionCount * random.next() ** 2.5));
    z += regionEffect[region];
    const p = 1 / (1 + Math.exp(-(intercept + signal * z)));
    probability[i] = p;
    y[i] = random.next() < p ? 1 : 0;
    const values = [x0, x1, x2, x3, x4];
    for (let j = 0; j < 5; j++) columns[j][i] = random.next() < missingRate ? Number.NaN : values[j];
    columns[5][i] = tenureMissing ? Number.NaN : Math.round(tenure * 10) / 10;
    for (let j = 6; j < nNumeric; j++) columns[j][i] = normal();
    columns[nNumeric][i] = planMissing ? Number.NaN : plan;
    columns[nNumeric + 1][i] = region;
  }
  const names = [
    ...Array.from({ length: nNumeric }, (_, j) => (j < 5 ? `x${j}` : j === 5 ? 'tenure' : `noise${j - 6}`)),
    'plan',
    'region',
  ];
  const X: FeatureMatrix = {
    nRows,
    names,
    kinds: names.map((_, j) => (j < nNumeric ? 'numeric' : 'categorical')),
    categories: names.map((_, j) =>
      j === nNumeric
        ? ['basic', 'plus', 'pro', 'team', 'enterprise']
        : j === nNumeric + 1
          ? Array.from({ length: regionCount }, (_, r) => `region${r}`)
          : [],
    ),
    columns,
  };
  return { X, y, probability };
}

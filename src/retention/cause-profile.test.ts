import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../ml/matrix.js';
import { MODEL_FACTORIES } from '../ml/model-kinds.js';
import { Random } from '../ml/random.js';
import type { SavedModel, SavedModelFile } from '../tabular/saved-model.js';
import { causeProfiles, PROFILE_CAUSES, takeProfiles } from './cause-profile.js';

const SERVICE = PROFILE_CAUSES.indexOf('service_dissatisfied');
const DISENGAGED = PROFILE_CAUSES.indexOf('disengaged');
const UNTAGGED = PROFILE_CAUSES.indexOf('untagged');

/** Churn rises with open tickets and falls with visits; `shoe_size` is noise no rule names. */
function customers(n: number): { X: FeatureMatrix; churned: Uint8Array } {
  const random = new Random(5);
  const tickets = new Float64Array(n);
  const visits = new Float64Array(n);
  const shoe = new Float64Array(n);
  const churned = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    tickets[i] = Math.floor(random.next() * 4);
    visits[i] = Math.floor(random.next() * 20);
    shoe[i] = 35 + random.next() * 10;
    const z = -1 + 0.8 * tickets[i]! - 0.15 * visits[i]!;
    churned[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const X: FeatureMatrix = {
    nRows: n,
    names: ['open_tickets_30d', 'visit_count_30d', 'shoe_size'],
    kinds: ['numeric', 'numeric', 'numeric'],
    categories: [[], [], []],
    columns: [tickets, visits, shoe],
  };
  return { X, churned };
}

/** A saved model around a logistic regression: no calibration, no sub-models. */
function savedModel(X: FeatureMatrix, churned: Uint8Array): SavedModel {
  const rows = Uint32Array.from({ length: X.nRows }, (_, i) => i);
  const classifier = MODEL_FACTORIES.logistic_regression.train(X, churned, {
    trainRows: rows,
    fitRows: rows,
    validRows: new Uint32Array(0),
    seed: 1,
    threads: 1,
    rounds: 100,
    earlyStoppingRounds: 0,
    forestTrees: 10,
    positiveWeight: 1,
  });
  const file = { calibration: null } as Partial<SavedModelFile> as SavedModelFile;
  return { file, classifier };
}

function row(X: FeatureMatrix, values: number[]): FeatureMatrix {
  return { ...X, nRows: 1, columns: values.map((v) => Float64Array.of(v)) };
}

describe('causeProfiles', () => {
  const { X, churned } = customers(3000);
  const model = savedModel(X, churned);

  it('splits each customer’s risk among the causes of the features that raise it', () => {
    const profiles = causeProfiles(model, X);
    const width = PROFILE_CAUSES.length;
    for (let r = 0; r < X.nRows; r += 97) {
      const shares = profiles.shares.subarray(r * width, (r + 1) * width);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(Math.min(...shares)).toBeGreaterThanOrEqual(0);
    }
    expect(profiles.risk).toEqual(model.classifier.predictProba(X));
    // Many tickets, many visits: only the tickets raise the risk.
    const ticketed = causeProfiles(model, row(X, [3, 19, 40]));
    expect(ticketed.shares[SERVICE]).toBeGreaterThan(0.9);
    // No tickets, no visits: only the missing visits raise it.
    const idle = causeProfiles(model, row(X, [0, 0, 40]));
    expect(idle.shares[DISENGAGED]).toBeGreaterThan(0.9);
  });

  it('follows the cause-tag overrides, and counts features no rule names as untagged', () => {
    const overridden = causeProfiles(model, row(X, [3, 19, 40]), new Map([['open_tickets_30d', null]]));
    expect(overridden.shares[SERVICE]).toBe(0);
    expect(overridden.shares[UNTAGGED]).toBeGreaterThan(0.9);
  });

  it('takes rows in the order asked', () => {
    const profiles = causeProfiles(model, X);
    const width = PROFILE_CAUSES.length;
    const taken = takeProfiles(profiles, [7, 2]);
    expect(taken.nRows).toBe(2);
    expect(Array.from(taken.shares.subarray(0, width))).toEqual(
      Array.from(profiles.shares.subarray(7 * width, 8 * width)),
    );
    expect(taken.risk[1]).toBe(profiles.risk[2]);
  });
});

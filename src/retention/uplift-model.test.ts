import { describe, expect, it } from 'vitest';
import { churnDefinitionFromConfig } from '../labels/churn-definition.js';
import type { FeatureMatrix } from '../ml/matrix.js';
import { Random } from '../ml/random.js';
import { fadingConfig } from '../training/testing/fading-customers.js';
import { openWarehouse } from '../warehouse/warehouse.js';
import { type CauseProfiles, PROFILE_CAUSES } from './cause-profile.js';
import type { UpliftHistory } from './uplift-history.js';
import {
  CHALLENGER_WIN_SHARE,
  crossFitFolds,
  currentUpliftModels,
  fitUpliftModels,
  UPLIFT_FOLDS,
  UPLIFT_MINIMUMS,
} from './uplift-model.js';

/**
 * `n` members of one action kind, half treated: the action lowers churn from 30% to 10% for those with
 * feature `ticket` = 1 (a third of them) and does nothing for the rest (10% either way).
 */
function history(n: number, actionKind = 'service_call', seed = 1): UpliftHistory {
  const random = new Random(seed);
  const ticket = new Float64Array(n);
  const noise = new Float64Array(n);
  const treated = new Uint8Array(n);
  const churned = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    ticket[i] = random.next() < 1 / 3 ? 1 : 0;
    noise[i] = random.next();
    treated[i] = random.next() < 0.5 ? 1 : 0;
    const p = ticket[i] === 1 && treated[i] === 0 ? 0.3 : 0.1;
    churned[i] = random.next() < p ? 1 : 0;
  }
  const X: FeatureMatrix = {
    nRows: n,
    names: ['ticket', 'noise'],
    kinds: ['numeric', 'numeric'],
    categories: [[], []],
    columns: [ticket, noise],
  };
  return {
    X,
    customerIds: Array.from({ length: n }, (_, i) => `C${i}`),
    campaignIds: Array.from({ length: n }, () => 'k1'),
    actionKinds: Array.from({ length: n }, () => actionKind),
    startsOn: Array.from({ length: n }, () => '2026-11-01'),
    treated,
    churned,
    probability: Float64Array.from(ticket, (t) => (t === 1 ? 0.2 : 0.1)),
  };
}

/**
 * The history's cause profiles: members with a ticket are at risk for service, the others for disengagement
 * (`informative`), or every member's risk is unexplained (`!informative`); risk is the history's probability.
 */
function profiles(h: UpliftHistory, informative = true): CauseProfiles {
  const width = PROFILE_CAUSES.length;
  const shares = new Float64Array(h.X.nRows * width);
  for (let i = 0; i < h.X.nRows; i++) {
    const cause = !informative
      ? 'untagged'
      : h.X.columns[0]![i] === 1
        ? 'service_dissatisfied'
        : 'disengaged';
    shares[i * width + PROFILE_CAUSES.indexOf(cause)] = 1;
  }
  return { nRows: h.X.nRows, shares, risk: Float64Array.from(h.probability) };
}

/** A customer with a ticket and one without. */
function twoCustomers(): FeatureMatrix {
  return {
    nRows: 2,
    names: ['ticket', 'noise'],
    kinds: ['numeric', 'numeric'],
    categories: [[], []],
    columns: [Float64Array.of(1, 0), Float64Array.of(0.5, 0.5)],
  };
}

describe('crossFitFolds', () => {
  it('deals every position into one fold, each arm evenly, the same for the same seed', () => {
    const h = history(1000);
    const rows = Array.from({ length: 1000 }, (_, i) => i * 2);
    const folds = crossFitFolds(
      rows,
      Uint8Array.from({ length: 2000 }, (_, r) => h.treated[r / 2] ?? 0),
      4,
    );
    expect(folds).toHaveLength(UPLIFT_FOLDS);
    const judged = folds.flatMap((f) => [...f.test]).sort((a, b) => a - b);
    expect(judged).toEqual(rows.map((_, p) => p));
    const treatedAll = h.treated.reduce((sum, t) => sum + t, 0);
    for (const { train, test } of folds) {
      expect(train.length + test.length).toBe(1000);
      expect(new Set([...train, ...test]).size).toBe(1000);
      const treatedIn = test.reduce((sum, p) => sum + h.treated[p]!, 0);
      expect(Math.abs(treatedIn - treatedAll / UPLIFT_FOLDS)).toBeLessThanOrEqual(1);
    }
    const again = crossFitFolds(
      rows,
      Uint8Array.from({ length: 2000 }, (_, r) => h.treated[r / 2] ?? 0),
      4,
    );
    expect(again[0]!.test).toEqual(folds[0]!.test);
  });
});

describe('fitUpliftModels', () => {
  it('finds the customers the action helps and reports uplift@k and Qini on held-out members', () => {
    const h = history(6000);
    const [fitted] = fitUpliftModels(h, profiles(h), 3);
    const report = fitted!.report;
    expect(report.status).toBe('trained');
    if (report.status !== 'trained') return;
    expect(report.heldOut).toBe(6000);
    // The cause mix is served: the profiles say who the action can help, and the T-learner is no surer.
    expect(report.estimator).toBe('cause_mix');
    expect(report.estimators.map((e) => e.estimator)).toEqual(['cause_mix', 't_learner']);
    expect(report.estimators[0]!.winShare).toBeNull();
    expect(report.estimators[1]!.winShare!).toBeLessThan(CHALLENGER_WIN_SHARE);
    for (const e of report.estimators) expect(e.qini.coefficient, e.estimator).toBeGreaterThan(0);
    // A third are helped by 0.2: overall about 0.067; the top 10–30% by uplift should be the helped ones.
    const overall = report.qini.points.at(-1)!.gain;
    expect(overall).toBeGreaterThan(0.02);
    for (const at of report.upliftAtK) expect(at.uplift!, `k = ${at.fraction}`).toBeGreaterThan(0.12);
    expect(report.qini.coefficient).toBeGreaterThan(0);
    const two = twoCustomers();
    const scores = fitted!.model!.score(
      two,
      profiles({ ...h, X: two, probability: Float64Array.of(0.2, 0.1) }),
    );
    expect(scores[0]! - scores[1]!).toBeGreaterThan(0.1);
  });

  it('serves the T-learner when it beats the cause mix with confidence', () => {
    // The profiles explain nothing, so the cause mix ranks by risk alone; the action's effect follows tickets.
    const h = { ...history(6000), probability: new Float64Array(6000).fill(0.15) };
    const [fitted] = fitUpliftModels(h, profiles(h, false), 3);
    const report = fitted!.report;
    if (report.status !== 'trained') throw new Error(`not trained: ${JSON.stringify(report)}`);
    expect(report.estimators[1]!.winShare!).toBeGreaterThanOrEqual(CHALLENGER_WIN_SHARE);
    expect(report.estimator).toBe('t_learner');
    expect(report.qini).toEqual(report.estimators[1]!.qini);
    const two = twoCustomers();
    const scores = fitted!.model!.score(two, profiles({ ...h, X: two }, false));
    expect(scores[0]! - scores[1]!).toBeGreaterThan(0.1);
  });

  it('skips a kind with too few members or churned members per arm, saying which', () => {
    const few = history(300, 'coupon');
    const [fitted] = fitUpliftModels(few, profiles(few), 3);
    expect(fitted!.model).toBeNull();
    expect(fitted!.report).toMatchObject({ actionKind: 'coupon', status: 'skipped' });
    if (fitted!.report.status !== 'skipped') return;
    expect(fitted!.report.reason).toMatch(/treated members with a measured outcome/);
    expect(fitted!.report.reason).toContain(`at least ${UPLIFT_MINIMUMS.membersPerArm}`);
  });

  it('fits one model per action kind, in name order', () => {
    const a = history(3000, 'service_call', 1);
    const b = history(300, 'coupon', 2);
    const both: UpliftHistory = {
      X: {
        ...a.X,
        nRows: 3300,
        columns: a.X.columns.map((column, j) => Float64Array.from([...column, ...b.X.columns[j]!])),
      },
      customerIds: [...a.customerIds, ...b.customerIds.map((id) => `B${id}`)],
      campaignIds: [...a.campaignIds, ...b.campaignIds],
      actionKinds: [...a.actionKinds, ...b.actionKinds],
      startsOn: [...a.startsOn, ...b.startsOn],
      treated: Uint8Array.from([...a.treated, ...b.treated]),
      churned: Uint8Array.from([...a.churned, ...b.churned]),
      probability: Float64Array.from([...a.probability, ...b.probability]),
    };
    const fitted = fitUpliftModels(both, profiles(both), 1);
    expect(fitted.map((f) => [f.report.actionKind, f.report.status])).toEqual([
      ['coupon', 'skipped'],
      ['service_call', 'trained'],
    ]);
    expect(fitted[1]!.report.counts.treated + fitted[1]!.report.counts.control).toBe(3000);
  });
});

describe('currentUpliftModels', () => {
  it('reuses the models until what they are built from changes', async () => {
    const w = await openWarehouse(':memory:');
    try {
      const options = { workspace: '/nowhere', definition: churnDefinitionFromConfig(fadingConfig().churn) };
      const first = await currentUpliftModels(w, options);
      // No champion yet: an empty report, and no model file is looked for.
      expect(first).toMatchObject({ modelVersion: null, members: 0, kinds: [], scoredAt: null });
      expect(await currentUpliftModels(w, options)).toBe(first);
      await w.run(
        `INSERT INTO campaigns (id, name, mode, source, control_share, seed, prior_weight, treated, control, cost,
           expected_net_value, created_at) VALUES ('c1', 'n', 'match', '{}', 0.1, 1, 1, 0, 0, 0, 0, TIMESTAMP '2025-01-01')`,
      );
      const second = await currentUpliftModels(w, options);
      expect(second).not.toBe(first);
      expect(second).toEqual(first);
    } finally {
      w.close();
    }
  });
});

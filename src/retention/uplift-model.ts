// Uplift models from the campaign history (R19), per action kind: two estimators — a T-learner on the
// champion's features (uplift.ts) and risk × relative reduction by churn cause (cause-uplift.ts) — are fitted
// on the same members and judged on the same held-out ones (uplift@k, Qini); the one with the larger Qini
// coefficient is refitted on all members and applied to the customers scored last: how much each action
// kind would lower each customer's churn. Matching ranks by these when asked (match-strategies.ts).
//
// Per action kind rather than per strategy: strategies of one kind (two coupons of different amounts, a
// coupon and a discount) act on the same churn causes, so pooling them gives each model more members, and a
// new strategy of a known kind is ranked by uplift from its first campaign on.

import { type CellColumn, tableFromColumns } from '../data/columns-table.js';
import { applySchema } from '../data/schema.js';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import { type FeatureMatrix, takeRows } from '../ml/matrix.js';
import { Random, shuffle } from '../ml/random.js';
import { populationSelectSql } from '../snapshots/build-snapshots.js';
import type { SavedModel } from '../tabular/saved-model.js';
import { championEntry, loadVersion } from '../training/model-registry.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { type CauseProfiles, readCauseProfiles, takeProfiles } from './cause-profile.js';
import { loadCauseTagOverrides } from './cause-tag-store.js';
import { trainCauseUplift } from './cause-uplift.js';
import { trainUplift } from './uplift.js';
import { readMeasurableMembers, readUpliftHistory, type UpliftHistory } from './uplift-history.js';
import { type QiniCurve, qiniCurve, qiniWinShare, type UpliftAtK, upliftAtK } from './uplift-metrics.js';

/**
 * A kind gets a model only with this many members per arm and churned members per arm: below ~20 churned
 * a side, the difference of two churn models is mostly noise, and a held-out share of 30% must still hold
 * both arms' churn.
 */
export const UPLIFT_MINIMUMS = { membersPerArm: 200, churnedPerArm: 20 } as const;

/**
 * Each kind's members are judged in this many folds: every member is scored by the models fitted on the
 * other folds, so the figures (and the choice of estimator) rest on all members rather than a held-out 30%,
 * whose Qini picked the worse estimator about one time in five in the simulator.
 */
export const UPLIFT_FOLDS = 3;

/** The shares of customers uplift@k is reported at. */
export const UPLIFT_K = [0.1, 0.2, 0.3] as const;

/** Members and churn per arm. */
export interface ArmCounts {
  treated: number;
  control: number;
  treatedChurned: number;
  controlChurned: number;
}

/**
 * `t_learner`: two churn models on the champion's features, treated and control (uplift.ts).
 * `cause_mix`: the champion's risk × the relative reduction measured per churn cause (cause-uplift.ts).
 */
export const UPLIFT_ESTIMATORS = ['cause_mix', 't_learner'] as const;

export type UpliftEstimator = (typeof UPLIFT_ESTIMATORS)[number];

/** How well one estimator ranked the held-out members. */
export interface EstimatorReport {
  estimator: UpliftEstimator;
  upliftAtK: UpliftAtK[];
  qini: QiniCurve;
  /**
   * Share of bootstrap resamples of the members in which this estimator's Qini beats the default's (the
   * first of UPLIFT_ESTIMATORS); null for the default itself.
   */
  winShare: number | null;
}

/** A challenger serves instead of the default estimator only when it wins in this share of resamples. */
export const CHALLENGER_WIN_SHARE = 0.95;

/** One action kind's model as reported: why there is none, or how well it ranked held-out members. */
export type UpliftKindReport =
  | { actionKind: string; status: 'skipped'; reason: string; counts: ArmCounts }
  | {
      actionKind: string;
      status: 'trained';
      counts: ArmCounts;
      /** Members the models were judged on, each by models not fitted on it (all of the kind's members). */
      heldOut: number;
      /**
       * The estimator whose uplift is served: the cause mix, unless the T-learner's Qini beats it in at least
       * CHALLENGER_WIN_SHARE of bootstrap resamples.
       */
      estimator: UpliftEstimator;
      /** The served estimator's held-out figures (also in `estimators`). */
      upliftAtK: UpliftAtK[];
      qini: QiniCurve;
      /** Every estimator's held-out figures, in UPLIFT_ESTIMATORS order. */
      estimators: EstimatorReport[];
    };

/** A fitted uplift estimate: P(churn | no action) − P(churn | action) per row. */
export interface KindUplift {
  estimator: UpliftEstimator;
  score(X: FeatureMatrix, profiles: CauseProfiles): Float64Array;
}

/** The models and what they say about the customers scored last. */
export interface UpliftModels {
  /** The champion version whose features the models use; null before any training (then nothing else). */
  modelVersion: number | null;
  /** Campaign members with a known outcome. */
  members: number;
  kinds: UpliftKindReport[];
  /** The latest scoring date the uplift below is for; null when nothing was scored. */
  scoredAt: string | null;
  /** Per action kind with a model: customer id → P(churn | no action) − P(churn | action). */
  uplift: Map<string, Map<string, number>>;
}

/** Settings of `buildUpliftModels`. */
export interface UpliftModelOptions {
  /** The workspace folder (the champion's model file). */
  workspace: string;
  /** The churn definition outcomes are labelled by (the workspace's). */
  definition: ChurnDefinition;
  /** Seed of the held-out split and the models (default 0). */
  seed?: number;
}

/** Reads the history, fits a model per action kind with enough members, and scores the latest customers. */
export async function buildUpliftModels(
  warehouse: Warehouse,
  options: UpliftModelOptions,
): Promise<UpliftModels> {
  const entry = await championEntry(warehouse);
  if (entry === null) return { modelVersion: null, members: 0, kinds: [], scoredAt: null, uplift: new Map() };
  const members = await readMeasurableMembers(warehouse, options.definition.horizonDays);
  if (members.length === 0) {
    // Nothing measured yet: no model file needs reading.
    return { modelVersion: entry.version, members: 0, kinds: [], scoredAt: null, uplift: new Map() };
  }
  const model = loadVersion(options.workspace, entry);
  const history = await readUpliftHistory(warehouse, model, options.definition, members);
  const overrides = await loadCauseTagOverrides(warehouse);
  const profiles = await readCauseProfiles(warehouse, history.customerIds, history.startsOn, overrides);
  const fitted = fitUpliftModels(history, profiles, options.seed ?? 0);
  const result: UpliftModels = {
    modelVersion: entry.version,
    members: history.customerIds.length,
    kinds: fitted.map((f) => f.report),
    scoredAt: null,
    uplift: new Map(),
  };
  const trained = fitted.filter((f) => f.model !== null);
  if (trained.length === 0) return result;
  const latest = await latestCustomers(warehouse, model, options.definition);
  if (latest === null) return result;
  result.scoredAt = latest.scoredAt;
  const latestProfiles = await readCauseProfiles(
    warehouse,
    latest.customerIds,
    latest.customerIds.map(() => latest.scoredAt),
    overrides,
  );
  for (const { report, model: uplift } of trained) {
    const scores = uplift!.score(latest.X, latestProfiles);
    result.uplift.set(report.actionKind, new Map(latest.customerIds.map((id, i) => [id, scores[i]!])));
  }
  return result;
}

/** The last models built per warehouse, with what they were built from. */
const built = new WeakMap<Warehouse, { key: string; models: Promise<UpliftModels> }>();

/**
 * `buildUpliftModels`, rebuilt only when what it reads has changed (champion, latest scores, data end,
 * campaigns, definition, seed): the API asks for the same models at every preview.
 */
export async function currentUpliftModels(
  warehouse: Warehouse,
  options: UpliftModelOptions,
): Promise<UpliftModels> {
  const [state] = await warehouse.all<Record<string, string | number | null>>(
    `SELECT (SELECT max(version) FROM model_registry WHERE status = 'champion') AS champion,
       (SELECT CAST(max(scored_at) AS VARCHAR) FROM scores) AS scored_at,
       (SELECT count(*) FROM scores) AS scores,
       (SELECT CAST(max(t) AS VARCHAR) FROM (SELECT max(ts) AS t FROM events UNION ALL SELECT max(ts) FROM transactions)) AS data_end,
       (SELECT count(*) FROM campaign_members) AS members,
       (SELECT CAST(max(created_at) AS VARCHAR) FROM campaigns) AS campaigns`,
  );
  const key = JSON.stringify([state, options.workspace, options.definition, options.seed ?? 0]);
  const cached = built.get(warehouse);
  if (cached?.key === key) return cached.models;
  const models = buildUpliftModels(warehouse, options);
  built.set(warehouse, { key, models });
  // A failed build is not kept: the next request tries again.
  models.catch(() => {
    if (built.get(warehouse)?.models === models) built.delete(warehouse);
  });
  return models;
}

/**
 * Per action kind (sorted): the report and, when trained, the served estimator refitted on all its members.
 * `profiles` are the history's rows' cause profiles under the champion.
 */
export function fitUpliftModels(
  history: UpliftHistory,
  profiles: CauseProfiles,
  seed: number,
): { report: UpliftKindReport; model: KindUplift | null }[] {
  const kinds = [...new Set(history.actionKinds)].sort();
  return kinds.map((actionKind) => {
    const rows: number[] = [];
    history.actionKinds.forEach((kind, i) => {
      if (kind === actionKind) rows.push(i);
    });
    const counts = armCounts(history, rows);
    const short = shortfall(counts);
    if (short !== null)
      return { report: { actionKind, status: 'skipped', reason: short, counts }, model: null };
    const folds = crossFitFolds(rows, history.treated, seed);
    const all = Uint32Array.from(rows);
    const treated = pick(history.treated, all);
    const churned = pick(history.churned, all);
    const scores = UPLIFT_ESTIMATORS.map((estimator) => {
      const score = new Float64Array(rows.length);
      for (const { train, test } of folds) {
        const rowsOf = (positions: Uint32Array) => Uint32Array.from(positions, (p) => rows[p]!);
        const judged = rowsOf(test);
        const fitted = fitEstimator(estimator, history, profiles, rowsOf(train), seed);
        const foldScore = fitted.score(takeRows(history.X, judged), takeProfiles(profiles, judged));
        test.forEach((p, i) => {
          score[p] = foldScore[i]!;
        });
      }
      return score;
    });
    const estimators = UPLIFT_ESTIMATORS.map(
      (estimator, e): EstimatorReport => ({
        estimator,
        upliftAtK: UPLIFT_K.map((k) => upliftAtK(scores[e]!, treated, churned, k)),
        qini: qiniCurve(scores[e]!, treated, churned, 10),
        winShare: e === 0 ? null : qiniWinShare(scores[0]!, scores[e]!, treated, churned, { seed }),
      }),
    );
    // A challenger must beat the steadier default with confidence, not by the noise of one ranking.
    const served =
      estimators.find((e) => e.winShare !== null && e.winShare >= CHALLENGER_WIN_SHARE) ?? estimators[0]!;
    return {
      report: {
        actionKind,
        status: 'trained',
        counts,
        heldOut: rows.length,
        estimator: served.estimator,
        upliftAtK: served.upliftAtK,
        qini: served.qini,
        estimators,
      },
      model: fitEstimator(served.estimator, history, profiles, all, seed),
    };
  });
}

/** `estimator` fitted on `rows` of the history. */
function fitEstimator(
  estimator: UpliftEstimator,
  history: UpliftHistory,
  profiles: CauseProfiles,
  rows: Uint32Array,
  seed: number,
): KindUplift {
  const treated = pick(history.treated, rows);
  const churned = pick(history.churned, rows);
  if (estimator === 'cause_mix') {
    const model = trainCauseUplift(takeProfiles(profiles, rows), treated, churned);
    return { estimator, score: (_X, rowProfiles) => model.score(rowProfiles) };
  }
  const model = trainUplift(takeRows(history.X, rows), treated, churned, { seed });
  return { estimator, score: (X) => model.score(X) };
}

/**
 * UPLIFT_FOLDS seeded folds over positions 0…rows.length−1, each arm dealt round-robin after a shuffle (so every
 * fold keeps the arms' proportions): per fold, the positions to fit on and the positions to judge.
 */
export function crossFitFolds(
  rows: readonly number[],
  treated: ArrayLike<number>,
  seed: number,
): { train: Uint32Array; test: Uint32Array }[] {
  const foldOf = new Int32Array(rows.length);
  for (const arm of [1, 0]) {
    const positions = Uint32Array.from(rows.flatMap((r, p) => (treated[r] === arm ? [p] : [])));
    shuffle(positions, new Random(seed, 101 + arm));
    positions.forEach((p, i) => {
      foldOf[p] = i % UPLIFT_FOLDS;
    });
  }
  return Array.from({ length: UPLIFT_FOLDS }, (_, fold) => {
    const train: number[] = [];
    const test: number[] = [];
    foldOf.forEach((f, p) => {
      (f === fold ? test : train).push(p);
    });
    return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
  });
}

function armCounts(history: UpliftHistory, rows: readonly number[]): ArmCounts {
  const counts: ArmCounts = { treated: 0, control: 0, treatedChurned: 0, controlChurned: 0 };
  for (const r of rows) {
    if (history.treated[r] === 1) {
      counts.treated++;
      counts.treatedChurned += history.churned[r]!;
    } else {
      counts.control++;
      counts.controlChurned += history.churned[r]!;
    }
  }
  return counts;
}

/** Why `counts` is too little for a model, or null when it is enough. */
function shortfall(counts: ArmCounts): string | null {
  const { membersPerArm, churnedPerArm } = UPLIFT_MINIMUMS;
  const arms = [
    ['treated', counts.treated, counts.treatedChurned],
    ['control', counts.control, counts.controlChurned],
  ] as const;
  for (const [arm, members, churned] of arms) {
    if (members < membersPerArm || churned < churnedPerArm) {
      return (
        `${members} ${arm} members with a measured outcome, ${churned} churned; ` +
        `at least ${membersPerArm} and ${churnedPerArm} churned per arm are needed`
      );
    }
  }
  return null;
}

function pick(values: Uint8Array, rows: Uint32Array): Uint8Array {
  return Uint8Array.from(rows, (r) => values[r]!);
}

/** Every customer of the population at the latest scoring date, with the champion's features. */
async function latestCustomers(
  warehouse: Warehouse,
  model: SavedModel,
  definition: ChurnDefinition,
): Promise<{ scoredAt: string; customerIds: string[]; X: FeatureMatrix } | null> {
  const [row] = await warehouse.all<{ at: string | null }>(
    "SELECT strftime(max(scored_at), '%Y-%m-%d') AS at FROM scores",
  );
  if (!row?.at) return null;
  const sql = populationSelectSql(model.file.workspace!.features, row.at, { definition });
  const result = await warehouse.columns(`SELECT * FROM (\n${sql}\n) AS p ORDER BY customer_id`);
  const table = tableFromColumns(`customers at ${row.at}`, result.names, result.columns as CellColumn[]);
  const ids = (result.columns[result.names.indexOf('customer_id')] ?? []).map(String);
  return { scoredAt: row.at, customerIds: ids, X: applySchema(model.file.schema, table).matrix };
}

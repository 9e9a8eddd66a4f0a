// Uplift models from the campaign history (R19): one T-learner per action kind, judged on held-out members
// (uplift@k, Qini), refitted on all members and applied to the customers scored last — how much each action
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
import { trainUplift, type UpliftModel } from './uplift.js';
import { readMeasurableMembers, readUpliftHistory, type UpliftHistory } from './uplift-history.js';
import { type QiniCurve, qiniCurve, type UpliftAtK, upliftAtK } from './uplift-metrics.js';

/**
 * A kind gets a model only with this many members per arm and churned members per arm: below ~20 churned
 * a side, the difference of two churn models is mostly noise, and a held-out share of 30% must still hold
 * both arms' churn.
 */
export const UPLIFT_MINIMUMS = { membersPerArm: 200, churnedPerArm: 20 } as const;

/** Share of each kind's members held out to judge its model. */
export const HELD_OUT_SHARE = 0.3;

/** The shares of customers uplift@k is reported at. */
export const UPLIFT_K = [0.1, 0.2, 0.3] as const;

/** Members and churn per arm. */
export interface ArmCounts {
  treated: number;
  control: number;
  treatedChurned: number;
  controlChurned: number;
}

/** One action kind's model as reported: why there is none, or how well it ranked held-out members. */
export type UpliftKindReport =
  | { actionKind: string; status: 'skipped'; reason: string; counts: ArmCounts }
  | {
      actionKind: string;
      status: 'trained';
      counts: ArmCounts;
      /** Members the model was judged on (not trained on); the reported model is then refitted on all. */
      heldOut: number;
      upliftAtK: UpliftAtK[];
      qini: QiniCurve;
    };

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
  const fitted = fitUpliftModels(history, options.seed ?? 0);
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
  for (const { report, model: uplift } of trained) {
    const scores = uplift!.score(latest.X);
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

/** Per action kind (sorted): the report and, when trained, the model refitted on all its members. */
export function fitUpliftModels(
  history: UpliftHistory,
  seed: number,
): { report: UpliftKindReport; model: UpliftModel | null }[] {
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
    const { train, test } = heldOutSplit(rows, history.treated, seed);
    const judged = trainUplift(
      takeRows(history.X, train),
      pick(history.treated, train),
      pick(history.churned, train),
      {
        seed,
      },
    );
    const testX = takeRows(history.X, test);
    const score = judged.score(testX);
    const treated = pick(history.treated, test);
    const churned = pick(history.churned, test);
    const all = Uint32Array.from(rows);
    const model = trainUplift(
      takeRows(history.X, all),
      pick(history.treated, all),
      pick(history.churned, all),
      {
        seed,
      },
    );
    return {
      report: {
        actionKind,
        status: 'trained',
        counts,
        heldOut: test.length,
        upliftAtK: UPLIFT_K.map((k) => upliftAtK(score, treated, churned, k)),
        qini: qiniCurve(score, treated, churned, 10),
      },
      model,
    };
  });
}

/**
 * A seeded split of `rows` into training and held-out members, HELD_OUT_SHARE of each arm held out (so both
 * sides keep the arms' proportions).
 */
export function heldOutSplit(
  rows: readonly number[],
  treated: ArrayLike<number>,
  seed: number,
): { train: Uint32Array; test: Uint32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (const arm of [1, 0]) {
    const armRows = Uint32Array.from(rows.filter((r) => treated[r] === arm));
    shuffle(armRows, new Random(seed, 101 + arm));
    const held = Math.round(armRows.length * HELD_OUT_SHARE);
    armRows.forEach((row, i) => {
      (i < held ? test : train).push(row);
    });
  }
  const ascending = (values: number[]) => Uint32Array.from(values.sort((a, b) => a - b));
  return { train: ascending(train), test: ascending(test) };
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

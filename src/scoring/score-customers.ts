// Scoring a few customers (the real-time path, R1): after new activity arrives, only the customers it
// touched are scored again with the champion, from point-in-time features computed for just them, and their
// rows of the scoring date are replaced. The rest of the day's scores stay as the last full run left them.

import { resolve } from 'node:path';
import { evaluateAlerts } from '../alerts/evaluate-alerts.js';
import type { Config } from '../config/config-schema.js';
import { type CellColumn, tableFromColumns } from '../data/columns-table.js';
import { applySchema } from '../data/schema.js';
import { InputError } from '../errors.js';
import { refreshLatestScoresTable } from '../queries/latest-scores-table.js';
import { populationSelectSql } from '../snapshots/build-snapshots.js';
import type { SavedModel } from '../tabular/saved-model.js';
import { loadVersion, type RegistryEntry, scoringEntry } from '../training/model-registry.js';
import { groupClassifiers, workspaceProbabilities } from '../training/sub-models.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  type CustomerScore,
  dayAfterData,
  explainAll,
  insertBatch,
  scoringDate,
  tierRule,
} from './score-workspace.js';
import { type Tier, type TierThresholds, tierOf } from './tiers.js';

export interface ScoreCustomersOptions {
  /** The workspace folder (where the model files are). */
  workspace: string;
  config: Config;
  /** The customers to score (duplicates are ignored); at least one. */
  customerIds: readonly string[];
  /** Default: the champion. */
  modelVersion?: number;
  /** The scoring date `YYYY-MM-DD`; default the day after the data ends, as scoreWorkspace chooses it. */
  at?: string;
  /** Reasons kept per customer (default 3). */
  reasons?: number;
}

export interface ScoreCustomersResult {
  scoredAt: string;
  model: RegistryEntry;
  thresholds: TierThresholds;
  /** In customer order. */
  scores: CustomerScore[];
  /** Asked for but not in the population at the scoring date (unknown, not signed up yet, cancelled). */
  notScored: string[];
  problems: string[];
}

/** Rows per INSERT statement. */
const INSERT_BATCH = 500;

/** Scores `customerIds` only and replaces their rows of the scoring date and model version in `scores`. */
export async function scoreCustomers(
  warehouse: Warehouse,
  options: ScoreCustomersOptions,
): Promise<ScoreCustomersResult> {
  const ids = [...new Set(options.customerIds)].sort();
  if (ids.length === 0) throw new InputError('customerIds: at least one customer is needed', {});
  const entry = await scoringEntry(warehouse, options.modelVersion);
  const model = cachedModel(options.workspace, entry);
  const scoredAt = options.at ? scoringDate(options.at) : await dayAfterData(warehouse);
  const info = model.file.workspace!;
  const population = populationSelectSql(info.features, scoredAt, {
    definition: info.churn,
    customerIds: ids,
  });
  const result = await warehouse.columns(`SELECT * FROM (\n${population}\n) AS p ORDER BY customer_id`);
  const scored = (result.columns[result.names.indexOf('customer_id')] ?? []).map(String);
  const found = new Set(scored);
  const notScored = ids.filter((id) => !found.has(id));
  const thresholds = await subsetThresholds(warehouse, options.config, entry.version, scoredAt);
  if (scored.length === 0) return { scoredAt, model: entry, thresholds, scores: [], notScored, problems: [] };

  const table = tableFromColumns(`customers at ${scoredAt}`, result.names, result.columns as CellColumn[]);
  const { matrix: X, problems } = applySchema(model.file.schema, table);
  const groups = groupClassifiers(model, X);
  const probability = workspaceProbabilities(model, X, groups);
  const tiers: Tier[] = Array.from(probability, (p) => tierOf(p, thresholds));
  const scores = explainAll(model, X, groups, scored, probability, tiers, {
    workspace: options.workspace,
    config: options.config,
    ...(options.reasons === undefined ? {} : { reasons: options.reasons }),
  });
  await warehouse.transaction(async (tx) => {
    await tx.run(
      `DELETE FROM scores WHERE scored_at = CAST(? AS DATE) AND model_version = ?
        AND customer_id IN (${scored.map(() => '?').join(', ')})`,
      [scoredAt, entry.version, ...scored],
    );
    for (let begin = 0; begin < scores.length; begin += INSERT_BATCH) {
      await insertBatch(tx, scoredAt, entry.version, scores.slice(begin, begin + INSERT_BATCH));
    }
    await refreshLatestScoresTable(tx);
  });
  await evaluateAlerts(warehouse, { ...options, scoredAt, modelVersion: entry.version, customerIds: scored });
  return { scoredAt, model: entry, thresholds, scores, notScored, problems };
}

/**
 * The probability thresholds for a few customers. Fixed thresholds are used as they are. Top-k% tiers rank a
 * whole population, which a few customers are not: they get the thresholds the latest full run of this model
 * drew (the lowest probability that reached each tier among its stored scores). A full run is a date holding
 * at least 90% as many rows as the fullest one: days where only re-scored customers have rows do not count.
 */
async function subsetThresholds(
  warehouse: Warehouse,
  config: Config,
  version: number,
  scoredAt: string,
): Promise<TierThresholds> {
  const rule = tierRule(config);
  if (!('topKPercent' in rule)) return rule;
  const rows = await warehouse.all<{ n: number; high: number | null; medium: number | null }>(
    `WITH dates AS (
       SELECT scored_at, count(*) AS n FROM scores
       WHERE model_version = ? AND scored_at <= CAST(? AS DATE) GROUP BY scored_at
     ), full_run AS (
       SELECT max(scored_at) AS scored_at FROM dates WHERE n >= 0.9 * (SELECT max(n) FROM dates)
     ), latest AS (
       SELECT probability FROM scores
       WHERE model_version = ? AND scored_at = (SELECT scored_at FROM full_run)
     ), ranked AS (
       SELECT probability, row_number() OVER (ORDER BY probability DESC) AS r, count(*) OVER () AS n FROM latest
     )
     SELECT any_value(n) AS n,
       min(probability) FILTER (WHERE r <= ceil(? / 100.0 * n)) AS high,
       min(probability) FILTER (WHERE r <= ceil(? / 100.0 * n)) AS medium
     FROM ranked`,
    [version, scoredAt, version, rule.topKPercent.high, rule.topKPercent.medium],
  );
  const row = rows[0];
  if (!row?.n) {
    throw new InputError('top-k% tiers need a full scoring run of this model first: run `churnwatch score`', {
      key: 'tiers',
    });
  }
  return {
    high: row.high ?? Number.POSITIVE_INFINITY,
    medium: row.medium ?? Number.POSITIVE_INFINITY,
  };
}

/** Saved models by workspace and version: a version's file never changes once registered. */
const models = new Map<string, SavedModel>();

function cachedModel(workspace: string, entry: RegistryEntry): SavedModel {
  const key = `${resolve(workspace)}\u0000${entry.version}\u0000${entry.file}`;
  let model = models.get(key);
  if (!model) {
    model = loadVersion(workspace, entry);
    if (models.size >= 8) models.clear();
    models.set(key, model);
  }
  return model;
}

// Scoring a workspace at "now" (R13, R14): every customer of the churn definition's population at the
// scoring date gets the champion's calibrated probability, a tier and the reasons in words (en, zh-CN);
// the scores are appended to table `scores` with the date and model version, so history is kept.

import { evaluateAlerts } from '../alerts/evaluate-alerts.js';
import type { Config } from '../config/config-schema.js';
import { type CellColumn, tableFromColumns } from '../data/columns-table.js';
import { applySchema } from '../data/schema.js';
import { InputError } from '../errors.js';
import { normalizeCutoff } from '../features/cutoff.js';
import type { Feature } from '../features/feature-nodes.js';
import type { FeatureMatrix } from '../ml/matrix.js';
import { takeRows } from '../ml/matrix.js';
import { refreshLatestScoresTable } from '../queries/latest-scores-table.js';
import { populationSelectSql } from '../snapshots/build-snapshots.js';
import { dataRange } from '../snapshots/data-range.js';
import type { SavedModel } from '../tabular/saved-model.js';
import { loadVersion, type RegistryEntry, scoringEntry } from '../training/model-registry.js';
import {
  type GroupClassifiers,
  groupClassifiers,
  workspaceContributions,
  workspaceProbabilities,
} from '../training/sub-models.js';
import type { SqlParam, SqlRunner, Warehouse } from '../warehouse/warehouse.js';
import { type ReasonDriver, reasonSentence } from './reasons.js';
import { assignTiers, type Tier, type TierRule, type TierThresholds } from './tiers.js';

/** What to score with and when. */
export interface ScoreWorkspaceOptions {
  /** The workspace folder (where the model files are). */
  workspace: string;
  config: Config;
  /** Default: the champion. */
  modelVersion?: number;
  /** The scoring date `YYYY-MM-DD`; default the day after the data ends ("now" as far as the data knows). */
  at?: string;
  /** Reasons kept per customer (default 3). */
  reasons?: number;
  onProgress?: (done: number, total: number) => void;
}

/** One driver as stored: the feature, the customer's value, its contribution to the log-odds. */
export interface StoredDriver {
  feature: string;
  value: number | string | null;
  contribution: number;
}

/** One customer's score. */
export interface CustomerScore {
  customerId: string;
  probability: number;
  tier: Tier;
  /** The strongest risk-raising drivers, strongest first. */
  drivers: StoredDriver[];
  reasons: { en: string; 'zh-CN': string };
}

/** A scoring run: when, with what, and the scores (highest risk first). */
export interface ScoreWorkspaceResult {
  scoredAt: string;
  model: RegistryEntry;
  thresholds: TierThresholds;
  tiers: Record<Tier, number>;
  scores: CustomerScore[];
  /** Feature cells that could not be used (unseen categories …), as one-line messages. */
  problems: string[];
}

/** Rows explained at a time, so the contributions of a million customers are never all in memory. */
const EXPLAIN_CHUNK = 2048;
/** Rows per INSERT statement. */
const INSERT_BATCH = 500;

/** Scores every customer of the population at the scoring date and appends the scores to table `scores`. */
export async function scoreWorkspace(
  warehouse: Warehouse,
  options: ScoreWorkspaceOptions,
): Promise<ScoreWorkspaceResult> {
  const entry = await scoringEntry(warehouse, options.modelVersion);
  const model = loadVersion(options.workspace, entry);
  const scoredAt = options.at ? scoringDate(options.at) : await dayAfterData(warehouse);
  const info = model.file.workspace!;
  const result = await warehouse.columns(
    `SELECT * FROM (\n${populationSelectSql(info.features, scoredAt, { definition: info.churn })}\n) AS p ORDER BY customer_id`,
  );
  const table = tableFromColumns(`customers at ${scoredAt}`, result.names, result.columns as CellColumn[]);
  const ids = (result.columns[result.names.indexOf('customer_id')] ?? []).map(String);
  const { matrix: X, problems } = applySchema(model.file.schema, table);
  const groups = groupClassifiers(model, X);
  const probability = workspaceProbabilities(model, X, groups);
  const { tiers, thresholds } = assignTiers(tierRule(options.config), probability);
  const scores = explainAll(model, X, groups, ids, probability, tiers, options);
  await saveScores(warehouse, scoredAt, entry.version, scores);
  await evaluateAlerts(warehouse, { config: options.config, scoredAt, modelVersion: entry.version });
  scores.sort((a, b) => b.probability - a.probability || (a.customerId < b.customerId ? -1 : 1));
  return {
    scoredAt,
    model: entry,
    thresholds,
    tiers: { high: count(tiers, 'high'), medium: count(tiers, 'medium'), low: count(tiers, 'low') },
    scores,
    problems,
  };
}

/** Probabilities → scores with drivers and reasons, in row order (shared with scoreCustomers). */
export function explainAll(
  model: SavedModel,
  X: FeatureMatrix,
  groups: GroupClassifiers | null,
  ids: string[],
  probability: Float64Array,
  tiers: readonly Tier[],
  options: ScoreWorkspaceOptions,
): CustomerScore[] {
  const definitions = new Map<string, Feature>(
    (model.file.workspace?.features ?? []).map((feature) => [feature.name, feature]),
  );
  const keep = options.reasons ?? 3;
  const scores: CustomerScore[] = [];
  for (let begin = 0; begin < X.nRows; begin += EXPLAIN_CHUNK) {
    const end = Math.min(X.nRows, begin + EXPLAIN_CHUNK);
    const chunk = takeRows(
      X,
      Array.from({ length: end - begin }, (_, i) => begin + i),
    );
    const { values, nFeatures } = workspaceContributions(model, chunk, groups);
    for (let row = begin; row < end; row++) {
      const offset = (row - begin) * (nFeatures + 1);
      const raising: number[] = [];
      for (let j = 0; j < nFeatures; j++) if (values[offset + j] > 0) raising.push(j);
      raising.sort((a, b) => values[offset + b] - values[offset + a] || a - b);
      const drivers = raising.slice(0, keep).map((j) => ({
        feature: X.names[j],
        value: featureValue(X, j, row),
        contribution: values[offset + j],
      }));
      const words: ReasonDriver[] = drivers.map((d) => ({
        ...d,
        feature: definitions.get(d.feature) ?? d.feature,
      }));
      const tier = tiers[row]!;
      scores.push({
        customerId: ids[row],
        probability: probability[row],
        tier,
        drivers,
        reasons: {
          en: reasonSentence(tier, words, 'en', keep),
          'zh-CN': reasonSentence(tier, words, 'zh-CN', keep),
        },
      });
    }
    options.onProgress?.(end, X.nRows);
  }
  return scores;
}

/** The value as the customer has it: a number, a category's text, or null when missing. */
function featureValue(X: FeatureMatrix, j: number, row: number): number | string | null {
  const x = X.columns[j][row];
  if (Number.isNaN(x)) return null;
  return X.kinds[j] === 'categorical' ? (X.categories[j][x] ?? null) : x;
}

/** Replaces the rows of this date and model version, in one transaction. */
async function saveScores(
  warehouse: Warehouse,
  scoredAt: string,
  version: number,
  scores: readonly CustomerScore[],
): Promise<void> {
  await warehouse.transaction(async (tx) => {
    await tx.run('DELETE FROM scores WHERE scored_at = CAST(? AS DATE) AND model_version = ?', [
      scoredAt,
      version,
    ]);
    for (let begin = 0; begin < scores.length; begin += INSERT_BATCH) {
      await insertBatch(tx, scoredAt, version, scores.slice(begin, begin + INSERT_BATCH));
    }
    await refreshLatestScoresTable(tx);
  });
}

/** Inserts one batch of score rows (shared with scoreCustomers). */
export async function insertBatch(
  tx: SqlRunner,
  scoredAt: string,
  version: number,
  batch: readonly CustomerScore[],
): Promise<void> {
  const params: SqlParam[] = [];
  for (const s of batch) {
    params.push(
      s.customerId,
      scoredAt,
      version,
      s.probability,
      s.tier,
      s.reasons.en,
      s.reasons['zh-CN'],
      JSON.stringify(s.drivers),
    );
  }
  const row = '(?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?)';
  await tx.run(
    `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
     VALUES ${batch.map(() => row).join(', ')}`,
    params,
  );
}

function count(tiers: readonly Tier[], tier: Tier): number {
  return tiers.reduce((n, t) => n + (t === tier ? 1 : 0), 0);
}

/** The tier rule of the configuration. */
export function tierRule(config: Config): TierRule {
  const tiers = config.tiers;
  return 'top_k_percent' in tiers ? { topKPercent: tiers.top_k_percent } : tiers;
}

/** `YYYY-MM-DD` of a date given by the user; InputError naming --at otherwise. */
export function scoringDate(text: string): string {
  let iso: string;
  try {
    iso = normalizeCutoff(text);
  } catch (error) {
    throw new InputError(`"${text}" is not a date (YYYY-MM-DD)`, { key: '--at' }, { cause: error });
  }
  if (!iso.endsWith(' 00:00:00'))
    throw new InputError(`"${text}" must be a date, not a time`, { key: '--at' });
  return iso.slice(0, 10);
}

/** The midnight after the latest activity in the warehouse. */
export async function dayAfterData(warehouse: Warehouse): Promise<string> {
  const range = await dataRange(warehouse);
  if (!range) {
    throw new InputError('the warehouse holds no activity yet: run `churnwatch ingest` first', {
      key: 'sources',
    });
  }
  const next = Date.parse(`${range.end.slice(0, 10)}T00:00:00Z`) + 86_400_000;
  return new Date(next).toISOString().slice(0, 10);
}

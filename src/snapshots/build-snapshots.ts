// The training table: for each cutoff, the point-in-time features joined with the churn labels, written
// into one warehouse table `snapshots` that is replaced atomically (all cutoffs or none).
//
// Columns: cutoff DATE, customer_id, one per feature (in the set's order), churned, churn_type. A row per
// customer with both a feature row (signed up before the cutoff) and a known label (the horizon has fully
// passed; the label population is active at the cutoff) — customers whose label is NULL are left out.

import { InputError } from '../errors.js';
import { compileFeatureQuery, customerIdFilter, featureColumns } from '../features/compile-features.js';
import { normalizeCutoff } from '../features/cutoff.js';
import type { FeatureSet } from '../features/feature-nodes.js';
import { standardFeatures } from '../features/standard-features.js';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import { compileLabelQuery } from '../labels/compile-labels.js';
import { type Dialect, duckdbDialect } from '../warehouse/sql-dialect.js';
import { quoteIdentifier } from '../warehouse/sql-text.js';
import type { SqlRunner, Warehouse } from '../warehouse/warehouse.js';

/** The table buildSnapshots writes. */
export const SNAPSHOTS_TABLE = 'snapshots';

/** Column names of the snapshot table besides the features; a feature may not use them. */
const RESERVED = ['cutoff', 'customer_id', 'churned', 'churn_type'] as const;

export interface CutoffCounts {
  /** `YYYY-MM-DD`. */
  cutoff: string;
  /** Rows written for this cutoff: customers with features and a known label. */
  customers: number;
  /** Of them, churned = 1. */
  positives: number;
  /** positives / customers; null when there are no customers. */
  positiveRate: number | null;
}

export interface SnapshotProgress {
  /** Cutoffs written so far (1 … total). */
  done: number;
  total: number;
  counts: CutoffCounts;
}

export interface BuildSnapshotsOptions {
  /** Default: the standard set. */
  features?: FeatureSet;
  definition: ChurnDefinition;
  /** Midnight cutoffs `YYYY-MM-DD` (e.g. from cutoffDates), at least one, no duplicates; written in this order. */
  cutoffs: readonly string[];
  /**
   * Called after each cutoff, inside the transaction: it must not use the warehouse (its calls would wait
   * for the transaction to end). If it throws, the build is rolled back.
   */
  onProgress?: (progress: SnapshotProgress) => void;
  /** Passed to the label query: where the data ends (default: the latest activity in the warehouse). */
  dataEnd?: string;
  /** Default DuckDB. */
  dialect?: Dialect;
}

/**
 * Replaces table `snapshots` with the features and labels at every cutoff, in one transaction: on any
 * failure the previous `snapshots` table is left as it was. Returns the counts per cutoff, in the given order.
 */
export async function buildSnapshots(
  warehouse: Warehouse,
  options: BuildSnapshotsOptions,
): Promise<CutoffCounts[]> {
  const features = options.features ?? standardFeatures;
  const cutoffs = normalizeCutoffs(options.cutoffs);
  for (const { name } of featureColumns(features).slice(1)) {
    if ((RESERVED as readonly string[]).includes(name)) {
      throw new InputError(`feature "${name}": the name is a column of the snapshot table`, {
        key: `features.${name}`,
      });
    }
  }
  // Every query compiled (and so every input checked) before the transaction starts.
  const queries = cutoffs.map((cutoff) => ({ cutoff, sql: snapshotSelectSql(features, cutoff, options) }));
  return warehouse.transaction(async (tx) => {
    const counts: CutoffCounts[] = [];
    for (const [index, { cutoff, sql }] of queries.entries()) {
      const table = quoteIdentifier(SNAPSHOTS_TABLE);
      await tx.run(
        index === 0 ? `CREATE OR REPLACE TABLE ${table} AS\n${sql}` : `INSERT INTO ${table}\n${sql}`,
      );
      const done = await countCutoff(tx, cutoff);
      counts.push(done);
      options.onProgress?.({ done: index + 1, total: queries.length, counts: done });
    }
    return counts;
  });
}

/** The SELECT of one cutoff's snapshot rows (exported for tests and for other engines' table writers). */
export function snapshotSelectSql(
  features: FeatureSet,
  cutoff: string,
  options: Pick<BuildSnapshotsOptions, 'definition' | 'dataEnd' | 'dialect'>,
): string {
  const s = (options.dialect ?? duckdbDialect).createCompiler();
  return `${populationSelectSql(features, cutoff, options)}\nWHERE ${s.column('l', 'churned')} IS NOT NULL`;
}

/** Options of populationSelectSql. */
export interface PopulationOptions extends Pick<BuildSnapshotsOptions, 'definition' | 'dataEnd' | 'dialect'> {
  /** Only these customers (at least one): re-scoring after new activity reads just their rows. */
  customerIds?: readonly string[];
}

/**
 * The same columns for every customer of the label population at `cutoff`, whether or not the horizon has
 * passed (churned and churn_type NULL where it has not): what scoring at "now" reads.
 */
export function populationSelectSql(
  features: FeatureSet,
  cutoff: string,
  options: PopulationOptions,
): string {
  const dialect = options.dialect ?? duckdbDialect;
  const s = dialect.createCompiler();
  const ids = options.customerIds;
  const featureSql = compileFeatureQuery(features, cutoff, {
    dialect,
    ...(ids === undefined ? {} : { customerIds: ids }),
  });
  const allLabels = compileLabelQuery(options.definition, cutoff, {
    dialect,
    ...(options.dataEnd === undefined ? {} : { dataEnd: options.dataEnd }),
  });
  // The label query groups by customer: the engine pushes a filter on its key down into its scans.
  const labelSql =
    ids === undefined
      ? allLabels
      : `SELECT * FROM (\n${allLabels}\n) AS ${s.identifier('labels')} WHERE ${customerIdFilter(s, ids)}`;
  const date = `CAST(${s.string(normalizeCutoff(cutoff).slice(0, 10))} AS DATE)`;
  const featureNames = featureColumns(features).map((c) => s.column('f', c.name));
  return [
    `SELECT ${date} AS ${s.identifier('cutoff')}, ${featureNames.join(', ')},`,
    `  ${s.column('l', 'churned')}, ${s.column('l', 'churn_type')}`,
    `FROM (\n${featureSql}\n) AS f`,
    `JOIN (\n${labelSql}\n) AS l ON ${s.column('l', 'customer_id')} = ${s.column('f', 'customer_id')}`,
  ].join('\n');
}

async function countCutoff(tx: SqlRunner, cutoff: string): Promise<CutoffCounts> {
  const [row] = await tx.all<{ customers: number; positives: number | null }>(
    `SELECT count(*) AS customers, sum(churned) AS positives FROM ${quoteIdentifier(SNAPSHOTS_TABLE)}
     WHERE cutoff = CAST(? AS DATE)`,
    [cutoff],
  );
  const customers = row?.customers ?? 0;
  const positives = row?.positives ?? 0;
  return { cutoff, customers, positives, positiveRate: customers > 0 ? positives / customers : null };
}

/** `YYYY-MM-DD` each; InputError for none, a time other than midnight, or a date given twice. */
function normalizeCutoffs(cutoffs: readonly string[]): string[] {
  if (cutoffs.length === 0) throw new InputError('cutoffs: at least one is needed', { key: 'cutoffs' });
  const seen = new Set<string>();
  return cutoffs.map((cutoff) => {
    const iso = normalizeCutoff(cutoff);
    if (!iso.endsWith(' 00:00:00')) {
      throw new InputError(`cutoff "${cutoff}" must be a date (midnight): the snapshot column is a DATE`, {
        key: 'cutoffs',
      });
    }
    const date = iso.slice(0, 10);
    if (seen.has(date)) throw new InputError(`cutoff ${date} is given twice`, { key: 'cutoffs' });
    seen.add(date);
    return date;
  });
}

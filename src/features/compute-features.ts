// Running the feature query: into JS rows (tests, small sets) or into a warehouse table (snapshots, benches).

import { quoteIdentifier } from '../warehouse/sql-text.js';
import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';
import { type CompileOptions, compileFeatureQuery, featureColumns } from './compile-features.js';
import { normalizeCutoff } from './cutoff.js';
import type { FeatureSet, FeatureType } from './feature-nodes.js';
import { standardFeatures } from './standard-features.js';

export interface FeatureTable {
  /** `YYYY-MM-DD HH:MM:SS`. */
  cutoff: string;
  columns: { name: string; type: FeatureType }[];
  /** One per customer with signup_at < cutoff, ordered by customer_id; NULL where a feature is undefined. */
  rows: Record<string, string | number | null>[];
}

export interface ComputeOptions extends CompileOptions {
  /** Default: the standard set (ref_features.py's 31 columns). */
  features?: FeatureSet;
}

/** The feature table at `cutoff`, read into memory. */
export async function computeFeatures(
  warehouse: Warehouse,
  cutoff: string,
  options: ComputeOptions = {},
): Promise<FeatureTable> {
  const features = options.features ?? standardFeatures;
  const sql = compileFeatureQuery(features, cutoff, options);
  const rows = await warehouse.all<Record<string, SqlCell>>(sql);
  return {
    cutoff: normalizeCutoff(cutoff),
    columns: featureColumns(features),
    rows: rows as Record<string, string | number | null>[],
  };
}

/** Writes the feature table at `cutoff` into warehouse table `table` (replacing it); returns its row count. */
export async function createFeatureTable(
  warehouse: Warehouse,
  table: string,
  cutoff: string,
  options: ComputeOptions = {},
): Promise<number> {
  const sql = compileFeatureQuery(options.features ?? standardFeatures, cutoff, options);
  await warehouse.run(`CREATE OR REPLACE TABLE ${quoteIdentifier(table)} AS\n${sql}`);
  const [row] = await warehouse.all<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdentifier(table)}`);
  return row?.n ?? 0;
}

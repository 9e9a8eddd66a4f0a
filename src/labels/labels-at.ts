// Running the label query: into JS rows, or into a warehouse table next to the feature table of a cutoff.

import { normalizeCutoff } from '../features/cutoff.js';
import { quoteIdentifier } from '../warehouse/sql-text.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { ChurnDefinition } from './churn-definition.js';
import { type CompileLabelOptions, compileLabelQuery } from './compile-labels.js';

export interface LabelRow {
  customer_id: string;
  /** 1 churned, 0 stayed, null when the horizon has not fully passed in the data. */
  churned: 0 | 1 | null;
  /** Contractual only, when the cancellation says: 'voluntary' or 'involuntary'. */
  churn_type: 'voluntary' | 'involuntary' | null;
}

export interface LabelTable {
  /** `YYYY-MM-DD HH:MM:SS`. */
  cutoff: string;
  /** One per customer active at the cutoff, ordered by customer_id. */
  rows: LabelRow[];
}

/** Churn labels of every customer active at `cutoff` under `definition`. */
export async function labelsAt(
  warehouse: Warehouse,
  definition: ChurnDefinition,
  cutoff: string,
  options: CompileLabelOptions = {},
): Promise<LabelTable> {
  const rows = await warehouse.all<LabelRow>(compileLabelQuery(definition, cutoff, options));
  return { cutoff: normalizeCutoff(cutoff), rows };
}

/** Writes the labels at `cutoff` into warehouse table `table` (replacing it); returns its row count. */
export async function createLabelTable(
  warehouse: Warehouse,
  table: string,
  definition: ChurnDefinition,
  cutoff: string,
  options: CompileLabelOptions = {},
): Promise<number> {
  const sql = compileLabelQuery(definition, cutoff, options);
  await warehouse.run(`CREATE OR REPLACE TABLE ${quoteIdentifier(table)} AS\n${sql}`);
  const [row] = await warehouse.all<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdentifier(table)}`);
  return row?.n ?? 0;
}

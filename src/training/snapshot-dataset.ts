// The training table of a workspace: the rows of the `snapshots` table at the cutoffs a time split uses,
// read by column into a Table, with the split expressed as row indices (ref_gbdt.split.v1's shape).

import { type CellColumn, tableFromColumns } from '../data/columns-table.js';
import type { RowSplit } from '../data/row-split.js';
import type { Table } from '../data/table.js';
import { SNAPSHOTS_TABLE } from '../snapshots/build-snapshots.js';
import type { TimeSplit } from '../snapshots/time-split.js';
import { quoteIdentifier } from '../warehouse/sql-text.js';
import type { SqlRunner, Warehouse } from '../warehouse/warehouse.js';

/** Snapshot columns that are not features. */
export const SNAPSHOT_KEYS = ['cutoff', 'customer_id', 'churned', 'churn_type'] as const;

/** The rows of a time split as one table. */
export interface SnapshotDataset {
  table: Table;
  /** 0/1 per row. */
  y: Uint8Array;
  /** `YYYY-MM-DD` per row. */
  cutoffOf: string[];
  /**
   * train: every training cutoff's rows; valid: the latest training cutoff's rows (early stopping and
   * calibration look at the most recent period the model may learn from); test: the test cutoff's rows.
   */
  split: RowSplit;
}

/**
 * Reads the snapshot rows of `split.train` and `split.test`, ordered by cutoff then customer_id so the same
 * warehouse gives the same rows in the same order. With one training cutoff, valid is every fifth row of it.
 */
export async function readSnapshotDataset(warehouse: Warehouse, split: TimeSplit): Promise<SnapshotDataset> {
  const cutoffs = [...split.train, split.test];
  const result = await warehouse.columns(
    `SELECT CAST(cutoff AS VARCHAR) AS cutoff, * EXCLUDE (cutoff) FROM ${quoteIdentifier(SNAPSHOTS_TABLE)}
     WHERE CAST(cutoff AS VARCHAR) IN (${cutoffs.map(() => '?').join(', ')})
     ORDER BY cutoff, customer_id`,
    cutoffs,
  );
  const table = tableFromColumns(
    `warehouse table ${SNAPSHOTS_TABLE}`,
    result.names,
    result.columns as CellColumn[],
  );
  const column = (name: string) => result.columns[result.names.indexOf(name)] ?? [];
  const cutoffOf = column('cutoff') as string[];
  const y = Uint8Array.from(column('churned') as number[]);
  const latestTrain = split.train[split.train.length - 1];
  const train: number[] = [];
  const valid: number[] = [];
  const test: number[] = [];
  for (let row = 0; row < cutoffOf.length; row++) {
    const cutoff = cutoffOf[row];
    if (cutoff === split.test) test.push(row);
    else {
      train.push(row);
      if (split.train.length > 1 ? cutoff === latestTrain : train.length % 5 === 0) valid.push(row);
    }
  }
  return {
    table,
    y,
    cutoffOf,
    split: { train: Uint32Array.from(train), valid: Uint32Array.from(valid), test: Uint32Array.from(test) },
  };
}

/** Churned customers per cutoff by churn type (contractual churn with a `voluntary` flag); cutoffs without any are absent. */
export async function churnTypeCounts(
  runner: SqlRunner,
): Promise<Map<string, { voluntary: number; involuntary: number }>> {
  const rows = await runner.all<{ cutoff: string; voluntary: number; involuntary: number }>(
    `SELECT CAST(cutoff AS VARCHAR) AS cutoff,
            count(*) FILTER (WHERE churn_type = 'voluntary') AS voluntary,
            count(*) FILTER (WHERE churn_type = 'involuntary') AS involuntary
     FROM ${quoteIdentifier(SNAPSHOTS_TABLE)} WHERE churn_type IS NOT NULL GROUP BY cutoff`,
  );
  return new Map(rows.map((r) => [r.cutoff, { voluntary: r.voluntary, involuntary: r.involuntary }]));
}

// Where the activity data starts and ends: min and max over events, transactions, tickets (opened_at) and
// cancellations — the same tables and columns the label query takes its data end from (labels/activity-sql.ts).

import { quoteIdentifier } from '../warehouse/sql-text.js';
import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';

export interface DataRange {
  /** Earliest activity, `YYYY-MM-DD HH:MM:SS`. */
  start: string;
  /** Latest activity, `YYYY-MM-DD HH:MM:SS`. */
  end: string;
}

const ACTIVITY_TIMES = [
  ['events', 'ts'],
  ['transactions', 'ts'],
  ['tickets', 'opened_at'],
  ['cancellations', 'cancelled_at'],
] as const;

/** The range of activity timestamps in the warehouse; null when there is no activity at all. */
export async function dataRange(warehouse: Warehouse): Promise<DataRange | null> {
  const parts = ACTIVITY_TIMES.map(
    ([table, time]) =>
      `SELECT min(${quoteIdentifier(time)}) AS lo, max(${quoteIdentifier(time)}) AS hi FROM ${quoteIdentifier(table)}`,
  );
  const [row] = await warehouse.all<{ start: SqlCell; end: SqlCell }>(
    `SELECT min(lo) AS "start", max(hi) AS "end" FROM (\n  ${parts.join('\n  UNION ALL ')}\n) AS ranges`,
  );
  if (!(row?.start instanceof Date && row.end instanceof Date)) return null;
  return { start: isoSeconds(row.start), end: isoSeconds(row.end) };
}

function isoSeconds(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

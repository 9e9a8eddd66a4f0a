// Times cross the warehouse boundary as epoch milliseconds: bound with `TIMESTAMP_PARAM`, read back with
// `epochMs`. The security tables take every time from the injected clock, never from current_timestamp,
// so expiry is testable.

import type { SqlCell } from '../warehouse/warehouse.js';

/** A `?` placeholder that turns epoch milliseconds into a TIMESTAMP (UTC). */
export const TIMESTAMP_PARAM = 'make_timestamp(CAST(? AS BIGINT) * 1000)';

/** Epoch milliseconds of a TIMESTAMP cell, or null. */
export function epochMs(cell: SqlCell): number | null {
  if (cell === null) return null;
  if (cell instanceof Date) return cell.getTime();
  throw new Error(`expected a TIMESTAMP, got ${typeof cell}`);
}

/** ISO 8601 text of a TIMESTAMP cell, or null: how times leave the API. */
export function isoTime(cell: SqlCell): string | null {
  const ms = epochMs(cell);
  return ms === null ? null : new Date(ms).toISOString();
}

// The customer segments of the profile table (customers.segment) with how many customers each holds: the
// choices of every segment filter. Customers without a segment are not a choice and are left out.

import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';

export interface SegmentCount {
  segment: string;
  customers: number;
}

/** Every distinct segment with its customer count, sorted by name. */
export async function listSegments(db: SqlRunner): Promise<SegmentCount[]> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT segment, count(*) AS customers FROM customers
     WHERE segment IS NOT NULL GROUP BY segment ORDER BY segment`,
  );
  return rows.map((row) => ({ segment: String(row.segment), customers: Number(row.customers) }));
}

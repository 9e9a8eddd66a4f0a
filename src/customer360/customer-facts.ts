// The small per-customer tables of the 360° view held in memory: the profile (with the personal fields),
// the score history and the cancellations, as rows in the shape customer-rows.ts reads. Each was a scan per
// view; together they cost more than the customer's transactions and tickets, which stay point lookups.

import type { Warehouse } from '../warehouse/warehouse.js';

const TIME = `'%Y-%m-%d %H:%M:%S'`;

/** One row as customer-rows.ts reads it (see its parts: 3 cancellations, 4 scores, 5 the profile). */
export interface FactRow {
  part: number;
  us: number | null;
  at: string | null;
  kind: string | null;
  detail: string | null;
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | null;
  x: number | null;
  y: number | null;
  in30: boolean | null;
  in90: boolean | null;
}

/** The rows by customer id: the profile first, then scores (newest first), then cancellations. */
export type CustomerFacts = Map<string, FactRow[]>;

/** Reads the profile, score history and cancellations of every customer (three statements). */
export async function loadCustomerFacts(warehouse: Warehouse): Promise<CustomerFacts> {
  const facts: CustomerFacts = new Map();
  const profiles = await warehouse.all<FactRow & { customer_id: string }>(
    `SELECT customer_id, 5 AS part, NULL AS us, strftime(signup_at, ${TIME}) AS at, segment AS kind,
       region AS detail, plan AS a, name AS b, phone AS c, email AS d, NULL AS x, NULL AS y, NULL AS in30,
       NULL AS in90
     FROM customers`,
  );
  // The one-statement form takes any one row of a customer id found twice (LIMIT 1): the first is kept.
  for (const { customer_id: id, ...row } of profiles) if (!facts.has(id)) facts.set(id, [row]);
  const others = await warehouse.all<FactRow & { customer_id: string }>(
    `SELECT customer_id, 4 AS part, epoch_us(CAST(scored_at AS TIMESTAMP)) AS us,
       strftime(scored_at, '%Y-%m-%d') AS at, tier AS kind, reasons_zh AS detail, reasons_en AS a, NULL AS b,
       NULL AS c, NULL AS d, probability AS x, CAST(model_version AS DOUBLE) AS y, NULL AS in30, NULL AS in90
     FROM scores
     UNION ALL SELECT customer_id, 3, epoch_us(cancelled_at), strftime(cancelled_at, ${TIME}), NULL,
       coalesce(reason, '') ||
         CASE WHEN voluntary IS NULL THEN '' WHEN voluntary THEN ' (voluntary)' ELSE ' (involuntary)' END,
       reason, NULL, NULL, NULL, CASE WHEN voluntary THEN 1 WHEN NOT voluntary THEN 0 END, NULL, NULL, NULL
     FROM cancellations`,
  );
  // Rows of ids missing from customers are never shown (the view needs the profile), so they are dropped.
  for (const { customer_id: id, ...row } of others) facts.get(id)?.push(row);
  return facts;
}

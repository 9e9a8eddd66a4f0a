// Every customer's purchases and tickets as the 360° view shows them, held in memory: per customer the
// counts, spend and latest time per kind and the open tickets, and only the rows a view can show (the
// newest 50 of each list and the newest NEWEST_EVENTS of each for the timeline). With the event summary
// and the small tables this lets a view be made without a statement per request.

import type { Warehouse } from '../warehouse/warehouse.js';
import type { FactRow } from './customer-facts.js';
import { formatMicros } from './customer-rows.js';
import { NEWEST_EVENTS } from './event-summary.js';

const TIME = `'%Y-%m-%d %H:%M:%S'`;

/** Counts in the windows before the view's date, spend (purchases) and latest time, for one kind. */
export interface KindSummary {
  kind: string;
  last30: number;
  last90: number;
  latestUs: number;
  /** Spend in the 90 days (purchases only). */
  amount90?: number;
}

export interface HeldActivity {
  kinds: Map<string, KindSummary[]>;
  openTickets: Map<string, number>;
  /** The rows a view can show by column, grouped by customer: `ranges` gives each customer's [start, end). */
  ranges: Map<string, [number, number]>;
  parts: Int32Array;
  us: Float64Array;
  details: string[];
  /** Product and payment method (purchases); category and resolved time (tickets). */
  a: (string | null)[];
  b: (string | null)[];
  /** Amount (purchases), satisfaction (tickets). */
  x: (number | null)[];
  /** 1 for an open ticket. */
  open: Uint8Array;
}

/** Reads the summaries and the rows views show, at view date `asOf` (two statements). */
export async function loadHeldActivity(warehouse: Warehouse, asOf: string | null): Promise<HeldActivity> {
  const window = (column: string, days: number) => `${column} >= CAST($1 AS DATE) - INTERVAL ${days} DAY`;
  const summaries = await warehouse.all<{
    customer_id: string;
    kind: string;
    last30: number;
    last90: number;
    amount90: number | null;
    latest: number;
    open: number | null;
  }>(
    `SELECT customer_id, 'purchases' AS kind, count(*) FILTER (WHERE ${window('ts', 30)}) AS last30,
       count(*) FILTER (WHERE ${window('ts', 90)}) AS last90,
       coalesce(sum(amount) FILTER (WHERE ${window('ts', 90)}), 0) AS amount90, epoch_us(max(ts)) AS latest,
       NULL::BIGINT AS open
     FROM transactions GROUP BY customer_id
     UNION ALL SELECT customer_id, 'tickets', count(*) FILTER (WHERE ${window('opened_at', 30)}),
       count(*) FILTER (WHERE ${window('opened_at', 90)}), NULL, epoch_us(max(opened_at)),
       count(*) FILTER (WHERE resolved_at IS NULL)
     FROM tickets GROUP BY customer_id`,
    [asOf],
  );
  // The rows either list or the timeline can show: the same orders as the one-statement form's. Read by
  // column and turned into row objects only for the customer a view is made for.
  const kept = await warehouse.columns(
    `SELECT customer_id, 1 AS part, epoch_us(ts) AS us, detail, product AS a, payment_method AS b, amount AS x,
       0 AS open
     FROM (SELECT *, printf('%.2f', amount) || coalesce(' ' || product, '') AS detail FROM transactions)
     QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY ts DESC, amount DESC) <= 50
       OR row_number() OVER (PARTITION BY customer_id ORDER BY ts DESC, detail) <= ${NEWEST_EVENTS}
     UNION ALL SELECT customer_id, 2, epoch_us(opened_at), detail, category, strftime(resolved_at, ${TIME}),
       satisfaction, CASE WHEN resolved_at IS NULL THEN 1 ELSE 0 END
     FROM (SELECT *, coalesce(category, 'ticket') || CASE WHEN resolved_at IS NULL THEN ', open'
         ELSE ', resolved' || coalesce(', satisfaction ' || CAST(satisfaction AS VARCHAR), '') END AS detail
       FROM tickets)
     QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY opened_at DESC, category) <= 50
       OR row_number() OVER (PARTITION BY customer_id ORDER BY opened_at DESC, detail) <= ${NEWEST_EVENTS}
     ORDER BY customer_id`,
  );
  const column = <T>(k: number) => (kept.columns[k] ?? []) as T[];
  const ids = column<string>(0);
  const ranges = new Map<string, [number, number]>();
  for (let start = 0; start < ids.length; ) {
    let end = start + 1;
    while (end < ids.length && ids[end] === ids[start]) end++;
    ranges.set(ids[start]!, [start, end]);
    start = end;
  }
  const held: HeldActivity = {
    kinds: new Map(),
    openTickets: new Map(),
    ranges,
    parts: Int32Array.from(column<number>(1), Number),
    us: Float64Array.from(column<number>(2), Number),
    details: column<string>(3),
    a: column<string | null>(4),
    b: column<string | null>(5),
    x: column<number | null>(6).map((value) => (value === null ? null : Number(value))),
    open: Uint8Array.from(column<number>(7), Number),
  };
  for (const s of summaries) {
    const kinds = held.kinds.get(s.customer_id) ?? [];
    kinds.push({
      kind: s.kind,
      last30: Number(s.last30),
      last90: Number(s.last90),
      latestUs: Number(s.latest),
      ...(s.amount90 === null ? {} : { amount90: Number(s.amount90) }),
    });
    held.kinds.set(s.customer_id, kinds);
    if (s.open !== null) held.openTickets.set(s.customer_id, Number(s.open));
  }
  return held;
}

/** Customer `customerId`'s kept purchase and ticket rows, as customer-rows.ts reads them. */
export function heldRows(held: HeldActivity, customerId: string): FactRow[] {
  const range = held.ranges.get(customerId);
  if (range === undefined) return [];
  const rows: FactRow[] = [];
  for (let k = range[0]; k < range[1]; k++) {
    const part = held.parts[k]!;
    rows.push({
      part,
      us: held.us[k]!,
      at: formatMicros(held.us[k]!),
      kind: part === 1 ? 'purchases' : 'tickets',
      detail: held.details[k]!,
      a: held.a[k]!,
      b: held.b[k]!,
      c: null,
      d: null,
      x: held.x[k]!,
      y: held.open[k]!,
      in30: null,
      in90: null,
    });
  }
  return rows;
}

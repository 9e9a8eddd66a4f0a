// Every customer's events as the 360° view shows them, held in memory: per customer and event type the
// counts in the 30 and 90 days before the view's date and the latest time, and the customer's newest events
// for the timeline. Events are most of the warehouse's rows and a customer's are spread over the whole table,
// so reading them per view cost more than the rest of the view together; this is read once per change.
//
//   customers: id → c      kinds:  starts[c] .. starts[c + 1] index kindCodes/last30/last90/latestUs
//                          newest: newestStarts[c] .. newestStarts[c + 1] index newestUs/newestCodes

import type { Warehouse } from '../warehouse/warehouse.js';

/** The newest events kept per customer: enough for a timeline of up to this many items. */
export const NEWEST_EVENTS = 15;

export interface EventSummary {
  /** The view's date these counts are taken at (null: no activity in the warehouse). */
  asOf: string | null;
  customers: Map<string, number>;
  eventTypes: string[];
  starts: Int32Array;
  kindCodes: Int32Array;
  last30: Float64Array;
  last90: Float64Array;
  /** Microseconds since 1970 (UTC wall time), as the warehouse orders timestamps. */
  latestUs: Float64Array;
  newestStarts: Int32Array;
  newestUs: Float64Array;
  newestCodes: Int32Array;
}

/** One customer's part of the summary, as the view uses it. */
export interface CustomerEvents {
  kinds: { kind: string; last30: number; last90: number; latestUs: number }[];
  /** Newest first, then by event type: the timeline's own order. */
  newest: { us: number; eventType: string }[];
}

/** Reads the summary at view date `asOf` (two statements over the events table). */
export async function loadEventSummary(warehouse: Warehouse, asOf: string | null): Promise<EventSummary> {
  const perKind = await warehouse.columns(
    `SELECT customer_id, event_type,
       count(*) FILTER (WHERE ts >= CAST($1 AS DATE) - INTERVAL 30 DAY) AS last30,
       count(*) FILTER (WHERE ts >= CAST($1 AS DATE) - INTERVAL 90 DAY) AS last90, epoch_us(max(ts)) AS latest
     FROM events GROUP BY customer_id, event_type ORDER BY customer_id, event_type`,
    [asOf],
  );
  const newest = await warehouse.columns(
    `SELECT customer_id, epoch_us(ts) AS us, event_type FROM events
     QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY ts DESC, event_type) <= ${NEWEST_EVENTS}
     ORDER BY customer_id, ts DESC, event_type`,
  );
  const customers = new Map<string, number>();
  const eventTypes: string[] = [];
  const typeCodes = new Map<string, number>();
  const code = (type: string) => {
    let found = typeCodes.get(type);
    if (found === undefined) {
      found = eventTypes.length;
      typeCodes.set(type, found);
      eventTypes.push(type);
    }
    return found;
  };
  const slot = (id: string) => {
    let found = customers.get(id);
    if (found === undefined) {
      found = customers.size;
      customers.set(id, found);
    }
    return found;
  };
  // With no rows a result may hold no columns at all.
  const column = <T>(result: { columns: unknown[][] }, k: number) => (result.columns[k] ?? []) as T[];
  const kindIds = column<string>(perKind, 0);
  const kindTypes = column<string>(perKind, 1);
  const last30 = column<number>(perKind, 2);
  const last90 = column<number>(perKind, 3);
  const latest = column<number>(perKind, 4);
  const newestIds = column<string>(newest, 0);
  const newestUs = column<number>(newest, 1);
  const newestTypes = column<string>(newest, 2);
  for (const id of kindIds) slot(id);
  for (const id of newestIds) slot(id);
  return {
    asOf,
    customers,
    eventTypes,
    starts: startsOf(kindIds, customers),
    kindCodes: Int32Array.from(kindTypes, code),
    last30: Float64Array.from(last30, Number),
    last90: Float64Array.from(last90, Number),
    latestUs: Float64Array.from(latest, Number),
    newestStarts: startsOf(newestIds, customers),
    newestUs: Float64Array.from(newestUs, Number),
    newestCodes: Int32Array.from(newestTypes, code),
  };
}

/** Customer `customerId`'s events from the summary (none when the customer has no events). */
export function customerEvents(summary: EventSummary, customerId: string): CustomerEvents {
  const c = summary.customers.get(customerId);
  if (c === undefined) return { kinds: [], newest: [] };
  const kinds: CustomerEvents['kinds'] = [];
  for (let k = summary.starts[c]!; k < summary.starts[c + 1]!; k++) {
    kinds.push({
      kind: summary.eventTypes[summary.kindCodes[k]!]!,
      last30: summary.last30[k]!,
      last90: summary.last90[k]!,
      latestUs: summary.latestUs[k]!,
    });
  }
  const newest: CustomerEvents['newest'] = [];
  for (let k = summary.newestStarts[c]!; k < summary.newestStarts[c + 1]!; k++) {
    newest.push({ us: summary.newestUs[k]!, eventType: summary.eventTypes[summary.newestCodes[k]!]! });
  }
  return { kinds, newest };
}

/**
 * Row ranges per customer slot. Both results hold the same customers (those with events), ordered by
 * customer_id, and slots were given in that order, so each result's rows are already in slot order.
 */
function startsOf(ids: readonly string[], customers: Map<string, number>): Int32Array {
  const starts = new Int32Array(customers.size + 1);
  for (const id of ids) {
    const c = customers.get(id)! + 1;
    starts[c] = starts[c]! + 1;
  }
  for (let c = 1; c <= customers.size; c++) starts[c] = starts[c]! + starts[c - 1]!;
  return starts;
}

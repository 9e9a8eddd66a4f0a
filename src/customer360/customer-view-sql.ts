// The customer 360° view as one SQL statement: the form the view was first read in, kept as the reference
// the fast form (customer-view.ts) must equal. It is slow to plan (about 30 ms on the demo), not to run.

import { InputError } from '../errors.js';
import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';
import {
  type ActivitySummary,
  type CustomerView,
  type TicketItem,
  type TimelineItem,
  type TransactionItem,
  VIEW_LIST_LIMIT,
} from './customer-view.js';

/** Reads one customer's view in one statement; InputError when the id is unknown. */
export async function customerViewSql(
  warehouse: Warehouse,
  customerId: string,
  options: { timeline?: number } = {},
): Promise<CustomerView> {
  // One statement: every part used to be its own query, and round trips through the warehouse's single
  // queue were most of the time a view took under load.
  const [row] = await warehouse.all<Record<string, unknown>>(viewSql(options.timeline ?? 15), [customerId]);
  if (!row) {
    throw new InputError(`customer "${customerId}" is not in the warehouse`, {});
  }
  return {
    profile: {
      customerId: String(row.customer_id),
      signupAt: String(row.signup_at),
      segment: text(row.segment as SqlCell),
      region: text(row.region as SqlCell),
      plan: text(row.plan as SqlCell),
    },
    asOf: text(row.as_of as SqlCell) ?? new Date().toISOString().slice(0, 10),
    activity: (row.activity as ActivitySummary[] | null) ?? [],
    openTickets: Number(row.open_tickets ?? 0),
    cancelledAt: text(row.cancelled_at as SqlCell),
    timeline: (row.timeline as TimelineItem[] | null) ?? [],
    tickets: ((row.tickets as TicketItem[] | null) ?? []).map((ticket) => ({
      ...ticket,
      satisfaction: ticket.satisfaction === null ? null : Number(ticket.satisfaction),
    })),
    transactions: ((row.transactions as TransactionItem[] | null) ?? []).map((tx) => ({
      ...tx,
      amount: Number(tx.amount),
    })),
    scores: ((row.scores as ScoreRow[] | null) ?? []).map((score) => ({
      scoredAt: score.scored_at,
      modelVersion: Number(score.model_version),
      probability: Number(score.probability),
      tier: score.tier,
      reasons: { en: score.reasons_en, 'zh-CN': score.reasons_zh },
    })),
  };
}

interface ScoreRow {
  scored_at: string;
  model_version: number;
  probability: number;
  tier: string;
  reasons_en: string;
  reasons_zh: string;
}

/**
 * The whole view for customer `$1` as one row, lists as LIST of STRUCT. The customer's rows of each activity
 * table are read once (materialised CTEs) and shared by the summary, the timeline and the counts. The view's
 * date is the day after the newest activity of the whole warehouse; with no activity at all it is null.
 */
/** The types of a timeline item's facts, in TimelineFacts's order. */
const FACT_TYPES = {
  eventType: 'VARCHAR',
  amount: 'DOUBLE',
  product: 'VARCHAR',
  category: 'VARCHAR',
  resolved: 'BOOLEAN',
  satisfaction: 'DOUBLE',
  reason: 'VARCHAR',
  voluntary: 'BOOLEAN',
} as const;

/** A timeline item's facts as a struct: the given columns, NULL (typed) for the others. */
function facts(values: Partial<Record<keyof typeof FACT_TYPES, string>>): string {
  const fields = Object.entries(FACT_TYPES).map(
    ([key, type]) => `'${key}': CAST(${values[key as keyof typeof FACT_TYPES] ?? 'NULL'} AS ${type})`,
  );
  return `{${fields.join(', ')}}`;
}

function viewSql(timelineLimit: number): string {
  const window = (days: number) => `ts >= (SELECT as_of FROM bounds) - INTERVAL ${days} DAY`;
  return `WITH
  ev AS MATERIALIZED (SELECT event_type, ts FROM events WHERE customer_id = $1),
  tx AS MATERIALIZED (SELECT ts, amount, product, payment_method FROM transactions WHERE customer_id = $1),
  tk AS MATERIALIZED (SELECT opened_at, resolved_at, category, satisfaction FROM tickets WHERE customer_id = $1),
  cn AS MATERIALIZED (SELECT cancelled_at, reason, voluntary FROM cancellations WHERE customer_id = $1),
  bounds AS (SELECT CAST(max(t) AS DATE) + 1 AS as_of FROM (
    SELECT max(ts) AS t FROM events UNION ALL SELECT max(ts) FROM transactions
    UNION ALL SELECT max(opened_at) FROM tickets UNION ALL SELECT max(cancelled_at) FROM cancellations)),
  activity AS (
    SELECT kind, count(*) FILTER (WHERE ${window(30)}) AS last30, count(*) FILTER (WHERE ${window(90)}) AS last90,
      CASE WHEN kind = 'purchases' THEN coalesce(sum(amount) FILTER (WHERE ${window(90)}), 0) END AS amount90,
      strftime(max(ts), '%Y-%m-%d %H:%M:%S') AS latest
    FROM (
      SELECT event_type AS kind, ts, NULL::DOUBLE AS amount FROM ev
      UNION ALL SELECT 'purchases', ts, amount FROM tx
      UNION ALL SELECT 'tickets', opened_at, NULL FROM tk
    ) GROUP BY kind),
  timeline AS (
    SELECT happened, kind, detail, facts FROM (
      SELECT ts AS happened, 'event' AS kind, event_type AS detail,
        ${facts({ eventType: 'event_type' })} AS facts FROM ev
      UNION ALL SELECT ts, 'purchase', printf('%.2f', amount) || coalesce(' ' || product, ''),
        ${facts({ amount: 'amount', product: 'product' })} FROM tx
      UNION ALL SELECT opened_at, 'ticket', coalesce(category, 'ticket') || CASE
          WHEN resolved_at IS NULL THEN ', open'
          ELSE ', resolved' || coalesce(', satisfaction ' || CAST(satisfaction AS VARCHAR), '') END,
        ${facts({ category: 'category', resolved: 'resolved_at IS NOT NULL', satisfaction: 'satisfaction' })}
        FROM tk
      UNION ALL SELECT cancelled_at, 'cancellation', coalesce(reason, '') ||
          CASE WHEN voluntary IS NULL THEN '' WHEN voluntary THEN ' (voluntary)' ELSE ' (involuntary)' END,
        ${facts({ reason: 'reason', voluntary: 'voluntary' })}
        FROM cn
    ) ORDER BY happened DESC, kind, detail LIMIT ${Math.max(0, Math.floor(timelineLimit))})
SELECT c.customer_id, strftime(c.signup_at, '%Y-%m-%d %H:%M:%S') AS signup_at, c.segment, c.region, c.plan,
  strftime((SELECT as_of FROM bounds), '%Y-%m-%d') AS as_of,
  (SELECT list({'kind': kind, 'last30': CAST(last30 AS DOUBLE), 'last90': CAST(last90 AS DOUBLE),
      'amount90': amount90, 'latest': latest} ORDER BY kind) FROM activity) AS activity,
  (SELECT CAST(count(*) AS DOUBLE) FROM tk WHERE resolved_at IS NULL) AS open_tickets,
  (SELECT strftime(min(cancelled_at), '%Y-%m-%d %H:%M:%S') FROM cn) AS cancelled_at,
  (SELECT list({'at': strftime(happened, '%Y-%m-%d %H:%M:%S'), 'kind': kind, 'detail': detail, 'facts': facts}
      ORDER BY happened DESC, kind, detail) FROM timeline) AS timeline,
  (SELECT list({'openedAt': strftime(opened_at, '%Y-%m-%d %H:%M:%S'),
      'resolvedAt': strftime(resolved_at, '%Y-%m-%d %H:%M:%S'), 'category': category,
      'satisfaction': satisfaction} ORDER BY opened_at DESC, category)
    FROM (SELECT * FROM tk ORDER BY opened_at DESC, category LIMIT ${VIEW_LIST_LIMIT})) AS tickets,
  (SELECT list({'at': strftime(ts, '%Y-%m-%d %H:%M:%S'), 'amount': amount, 'product': product,
      'paymentMethod': payment_method} ORDER BY ts DESC, amount DESC)
    FROM (SELECT * FROM tx ORDER BY ts DESC, amount DESC LIMIT ${VIEW_LIST_LIMIT})) AS transactions,
  (SELECT list({'scored_at': strftime(scored_at, '%Y-%m-%d'), 'model_version': model_version,
      'probability': probability, 'tier': tier, 'reasons_en': reasons_en, 'reasons_zh': reasons_zh}
      ORDER BY scored_at DESC, model_version DESC) FROM scores WHERE customer_id = $1) AS scores
FROM customers AS c WHERE c.customer_id = $1 LIMIT 1`;
}

function text(value: SqlCell): string | null {
  return value === null || value === undefined ? null : String(value);
}

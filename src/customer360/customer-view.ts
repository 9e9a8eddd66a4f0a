// The customer 360° view (R3), data side: one customer's profile, activity summary, recent timeline and
// score history with reasons, read from the warehouse. The CLI prints it; the server will serve it.

import { InputError } from '../errors.js';
import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';

/** What the view shows of the profile. */
export interface CustomerProfile {
  customerId: string;
  signupAt: string;
  segment: string | null;
  region: string | null;
  plan: string | null;
}

/** Counts over the last 30 and 90 days before the view's date, and the latest time, per kind of activity. */
export interface ActivitySummary {
  kind: string;
  last30: number;
  last90: number;
  /** Sum of amounts (purchases only). */
  amount90: number | null;
  latest: string | null;
}

/** One thing that happened, for the timeline. */
export interface TimelineItem {
  at: string;
  kind: 'event' | 'purchase' | 'ticket' | 'cancellation';
  /** Event type, amount, ticket category and state, cancellation reason. */
  detail: string;
}

/** One stored score. */
export interface ScoreHistoryItem {
  scoredAt: string;
  modelVersion: number;
  probability: number;
  tier: string;
  reasons: { en: string; 'zh-CN': string };
}

/** Everything the view shows. */
export interface CustomerView {
  profile: CustomerProfile;
  /** The date the counts are taken at: the day after the data ends. */
  asOf: string;
  activity: ActivitySummary[];
  openTickets: number;
  cancelledAt: string | null;
  timeline: TimelineItem[];
  /** Newest first. */
  scores: ScoreHistoryItem[];
}

/** Reads one customer's view; InputError when the id is unknown. */
export async function customerView(
  warehouse: Warehouse,
  customerId: string,
  options: { timeline?: number } = {},
): Promise<CustomerView> {
  const [profile] = await warehouse.all<Record<string, SqlCell>>(
    `SELECT customer_id, strftime(signup_at, '%Y-%m-%d %H:%M:%S') AS signup_at, segment, region, plan
     FROM customers WHERE customer_id = ?`,
    [customerId],
  );
  if (!profile) {
    throw new InputError(`customer "${customerId}" is not in the warehouse`, {});
  }
  const [end] = await warehouse.all<{ as_of: string | null }>(
    `SELECT strftime(CAST(max(t) AS DATE) + 1, '%Y-%m-%d') AS as_of FROM (
       SELECT max(ts) AS t FROM events UNION ALL SELECT max(ts) FROM transactions
       UNION ALL SELECT max(opened_at) FROM tickets UNION ALL SELECT max(cancelled_at) FROM cancellations)`,
  );
  const asOf = end?.as_of ?? new Date().toISOString().slice(0, 10);
  return {
    profile: {
      customerId: String(profile.customer_id),
      signupAt: String(profile.signup_at),
      segment: text(profile.segment),
      region: text(profile.region),
      plan: text(profile.plan),
    },
    asOf,
    activity: await activitySummary(warehouse, customerId, asOf),
    openTickets: await openTickets(warehouse, customerId),
    cancelledAt: await cancelledAt(warehouse, customerId),
    timeline: await timeline(warehouse, customerId, options.timeline ?? 15),
    scores: await scoreHistory(warehouse, customerId),
  };
}

async function activitySummary(warehouse: Warehouse, id: string, asOf: string): Promise<ActivitySummary[]> {
  const window = (days: number) => `ts >= CAST(? AS DATE) - INTERVAL ${days} DAY`;
  return warehouse.all<ActivitySummary>(
    `SELECT kind, count(*) FILTER (WHERE ${window(30)}) AS last30, count(*) FILTER (WHERE ${window(90)}) AS last90,
            CASE WHEN kind = 'purchases' THEN coalesce(sum(amount) FILTER (WHERE ${window(90)}), 0) END AS amount90,
            strftime(max(ts), '%Y-%m-%d %H:%M:%S') AS latest
     FROM (
       SELECT event_type AS kind, ts, NULL::DOUBLE AS amount FROM events WHERE customer_id = ?
       UNION ALL SELECT 'purchases', ts, amount FROM transactions WHERE customer_id = ?
       UNION ALL SELECT 'tickets', opened_at, NULL FROM tickets WHERE customer_id = ?
     ) GROUP BY kind ORDER BY kind`,
    [asOf, asOf, asOf, id, id, id],
  );
}

async function openTickets(warehouse: Warehouse, id: string): Promise<number> {
  const [row] = await warehouse.all<{ n: number }>(
    'SELECT count(*) AS n FROM tickets WHERE customer_id = ? AND resolved_at IS NULL',
    [id],
  );
  return row?.n ?? 0;
}

async function cancelledAt(warehouse: Warehouse, id: string): Promise<string | null> {
  const [row] = await warehouse.all<{ at: string | null }>(
    `SELECT strftime(min(cancelled_at), '%Y-%m-%d %H:%M:%S') AS "at" FROM cancellations WHERE customer_id = ?`,
    [id],
  );
  return row?.at ?? null;
}

async function timeline(warehouse: Warehouse, id: string, limit: number): Promise<TimelineItem[]> {
  return warehouse.all<TimelineItem>(
    `SELECT strftime(happened, '%Y-%m-%d %H:%M:%S') AS "at", kind, detail FROM (
       SELECT ts AS happened, 'event' AS kind, event_type AS detail FROM events WHERE customer_id = ?
       UNION ALL SELECT ts, 'purchase', printf('%.2f', amount) || coalesce(' ' || product, '')
         FROM transactions WHERE customer_id = ?
       UNION ALL SELECT opened_at, 'ticket', coalesce(category, 'ticket') || CASE
           WHEN resolved_at IS NULL THEN ', open'
           ELSE ', resolved' || coalesce(', satisfaction ' || CAST(satisfaction AS VARCHAR), '') END
         FROM tickets WHERE customer_id = ?
       UNION ALL SELECT cancelled_at, 'cancellation', coalesce(reason, '') ||
           CASE WHEN voluntary IS NULL THEN '' WHEN voluntary THEN ' (voluntary)' ELSE ' (involuntary)' END
         FROM cancellations WHERE customer_id = ?
     ) ORDER BY happened DESC, kind, detail LIMIT ${Math.max(0, Math.floor(limit))}`,
    [id, id, id, id],
  );
}

async function scoreHistory(warehouse: Warehouse, id: string): Promise<ScoreHistoryItem[]> {
  const rows = await warehouse.all<Record<string, SqlCell>>(
    `SELECT strftime(scored_at, '%Y-%m-%d') AS scored_at, model_version, probability, tier, reasons_en, reasons_zh
     FROM scores WHERE customer_id = ? ORDER BY scored_at DESC, model_version DESC`,
    [id],
  );
  return rows.map((row) => ({
    scoredAt: String(row.scored_at),
    modelVersion: Number(row.model_version),
    probability: Number(row.probability),
    tier: String(row.tier),
    reasons: { en: String(row.reasons_en), 'zh-CN': String(row.reasons_zh) },
  }));
}

function text(value: SqlCell): string | null {
  return value === null || value === undefined ? null : String(value);
}

// One customer's rows of every table the 360° view shows, read in one plain statement (a UNION ALL of
// lookups, quick to plan), or taken from the tables held in memory (event-summary.ts, customer-facts.ts,
// held-activity.ts), and the view made from them in JavaScript.
// Formatting (timestamps, amounts, ticket details) stays in SQL, so the text equals the one-statement form's.

import { compareBinary } from '../queries/customer-list-index.js';
import type { SqlRunner } from '../warehouse/warehouse.js';
import type { FactRow } from './customer-facts.js';
import type {
  ActivitySummary,
  CustomerView,
  ScoreHistoryItem,
  TicketItem,
  TimelineFacts,
  TimelineItem,
  TransactionItem,
} from './customer-view.js';
import { VIEW_LIST_LIMIT } from './customer-view.js';
import type { CustomerEvents } from './event-summary.js';
import type { KindSummary } from './held-activity.js';

/** What the view needs of one customer; `personal` is what the view leaves out and callers mask. */
export interface CustomerRecord {
  view: CustomerView;
  personal: { name: string | null; phone: string | null; email: string | null };
}

const TIME = `'%Y-%m-%d %H:%M:%S'`;

/**
 * Parts: 0 events, 1 transactions, 2 tickets, 3 cancellations, 4 scores, 5 the profile. `us` orders rows
 * (microseconds, as the timestamps sort), `at` is the formatted time, `kind` the activity kind, `detail`
 * the timeline's text, a–d and x–y what else the part shows; in30/in90 say whether the row falls in the
 * window before `$2` (the view's date).
 */
const PROFILE_PART = `SELECT * FROM (SELECT 5 AS part, NULL::BIGINT AS us, strftime(signup_at, ${TIME}) AS at,
    segment AS kind, region AS detail, plan AS a, name AS b, phone AS c, email AS d, NULL::DOUBLE AS x,
    NULL::DOUBLE AS y, NULL::BOOLEAN AS in30, NULL::BOOLEAN AS in90
  FROM customers WHERE customer_id = $1 LIMIT 1)`;
const EVENTS_PART = `SELECT 0, epoch_us(ts), strftime(ts, ${TIME}), event_type, event_type,
  NULL, NULL, NULL, NULL, NULL, NULL,
  ts >= CAST($2 AS DATE) - INTERVAL 30 DAY, ts >= CAST($2 AS DATE) - INTERVAL 90 DAY
FROM events WHERE customer_id = $1`;
const TRANSACTIONS_PART = `SELECT 1 AS part, epoch_us(ts) AS us, strftime(ts, ${TIME}) AS at, 'purchases' AS kind,
  printf('%.2f', amount) || coalesce(' ' || product, '') AS detail, product AS a, payment_method AS b,
  NULL::VARCHAR AS c, NULL::VARCHAR AS d, amount AS x, NULL::DOUBLE AS y,
  ts >= CAST($2 AS DATE) - INTERVAL 30 DAY AS in30, ts >= CAST($2 AS DATE) - INTERVAL 90 DAY AS in90
FROM transactions WHERE customer_id = $1`;
const TICKETS_PART = `SELECT 2, epoch_us(opened_at), strftime(opened_at, ${TIME}), 'tickets',
  coalesce(category, 'ticket') || CASE WHEN resolved_at IS NULL THEN ', open'
    ELSE ', resolved' || coalesce(', satisfaction ' || CAST(satisfaction AS VARCHAR), '') END,
  category, strftime(resolved_at, ${TIME}), NULL, NULL, satisfaction,
  CASE WHEN resolved_at IS NULL THEN 1 ELSE 0 END,
  opened_at >= CAST($2 AS DATE) - INTERVAL 30 DAY, opened_at >= CAST($2 AS DATE) - INTERVAL 90 DAY
FROM tickets WHERE customer_id = $1`;
const CANCELLATIONS_PART = `SELECT 3, epoch_us(cancelled_at), strftime(cancelled_at, ${TIME}), NULL,
  coalesce(reason, '') ||
    CASE WHEN voluntary IS NULL THEN '' WHEN voluntary THEN ' (voluntary)' ELSE ' (involuntary)' END,
  reason, NULL, NULL, NULL, CASE WHEN voluntary THEN 1 WHEN NOT voluntary THEN 0 END, NULL, NULL, NULL
FROM cancellations WHERE customer_id = $1`;
const SCORES_PART = `SELECT 4, epoch_us(CAST(scored_at AS TIMESTAMP)), strftime(scored_at, '%Y-%m-%d'), tier,
  reasons_zh, reasons_en, NULL, NULL, NULL, probability, model_version, NULL, NULL
FROM scores WHERE customer_id = $1`;
/** Everything the view shows of one customer. */
const WHOLE_SQL = [
  PROFILE_PART,
  EVENTS_PART,
  TRANSACTIONS_PART,
  TICKETS_PART,
  CANCELLATIONS_PART,
  SCORES_PART,
].join('\nUNION ALL ');

/** What is held in memory of one customer: events (summarised) and the rows of the small tables. */
export interface HeldRows {
  events: CustomerEvents;
  /** The profile, score and cancellation rows; undefined when the customer is unknown. */
  facts: readonly FactRow[] | undefined;
  /** Purchases and tickets, summarised, and the rows a view shows. */
  activity: { kinds: readonly KindSummary[]; openTickets: number; rows: readonly FactRow[] };
}

type Row = FactRow;

/** The view's date: the day after the newest activity of the whole warehouse, null when there is none. */
export async function readViewDate(db: SqlRunner): Promise<string | null> {
  const [row] = await db.all<{ as_of: string | null }>(
    `SELECT strftime(CAST(max(t) AS DATE) + 1, '%Y-%m-%d') AS as_of FROM (
       SELECT max(ts) AS t FROM events UNION ALL SELECT max(ts) FROM transactions
       UNION ALL SELECT max(opened_at) FROM tickets UNION ALL SELECT max(cancelled_at) FROM cancellations)`,
  );
  return row?.as_of ?? null;
}

/**
 * Customer `customerId`'s view at `asOf` (null: no activity anywhere), or null when the id is unknown. All
 * is read from the warehouse unless `held` has it (then `timelineLimit` must be <= NEWEST_EVENTS).
 */
export async function readCustomerRecord(
  db: SqlRunner,
  customerId: string,
  asOf: string | null,
  timelineLimit: number,
  held: HeldRows | null = null,
): Promise<CustomerRecord | null> {
  if (held && held.facts === undefined) return null;
  const rows = held
    ? [...held.facts!, ...held.activity.rows]
    : await db.all<Row>(WHOLE_SQL, [customerId, asOf]);
  const events = held?.events ?? null;
  const profile = rows.find((row) => row.part === 5);
  if (profile === undefined) return null;
  const parts: Row[][] = [[], [], [], [], []];
  for (const row of rows) if (row.part < 5) parts[row.part]!.push(row);
  const [eventRows, purchases, tickets, cancellations, scores] = parts as [Row[], Row[], Row[], Row[], Row[]];
  const summary = events ?? summariseEvents(eventRows);
  return {
    view: {
      profile: {
        customerId,
        signupAt: String(profile.at),
        segment: profile.kind,
        region: profile.detail,
        plan: profile.a,
      },
      asOf: asOf ?? new Date().toISOString().slice(0, 10),
      // Held purchases and tickets come with their summaries; their rows carry no window flags.
      activity: activityOf([...summary.kinds, ...(held?.activity.kinds ?? [])], [...purchases, ...tickets]),
      openTickets: held ? held.activity.openTickets : tickets.filter((t) => t.y === 1).length,
      cancelledAt: cancellations.length === 0 ? null : String(earliest(cancellations).at),
      timeline: timelineOf(
        [
          ...summary.newest.map(({ us, eventType }) => ({
            r: { us, at: formatMicros(us), detail: eventType },
            kind: 'event' as const,
            facts: { ...NO_FACTS, eventType },
          })),
          ...purchases.map((r) => ({
            r,
            kind: 'purchase' as const,
            facts: { ...NO_FACTS, amount: Number(r.x), product: r.a },
          })),
          ...tickets.map((r) => ({
            r,
            kind: 'ticket' as const,
            facts: { ...NO_FACTS, category: r.a, resolved: r.b !== null, satisfaction: r.x },
          })),
          ...cancellations.map((r) => ({
            r,
            kind: 'cancellation' as const,
            facts: { ...NO_FACTS, reason: r.a, voluntary: r.x === null ? null : r.x === 1 },
          })),
        ],
        timelineLimit,
      ),
      tickets: newest(tickets, (a, b) => compareNullsLast(a.a, b.a)).map(
        (t): TicketItem => ({ openedAt: String(t.at), resolvedAt: t.b, category: t.a, satisfaction: t.x }),
      ),
      transactions: newest(purchases, (a, b) => b.x! - a.x!).map(
        (t): TransactionItem => ({ at: String(t.at), amount: Number(t.x), product: t.a, paymentMethod: t.b }),
      ),
      scores: scores
        .sort((a, b) => b.us! - a.us! || b.y! - a.y!)
        .map(
          (s): ScoreHistoryItem => ({
            scoredAt: String(s.at),
            modelVersion: Number(s.y),
            probability: Number(s.x),
            tier: String(s.kind),
            reasons: { en: String(s.a), 'zh-CN': String(s.detail) },
          }),
        ),
    },
    personal: { name: profile.b, phone: profile.c, email: profile.d },
  };
}

/** The events read with the rest, in the event summary's shape. */
function summariseEvents(rows: readonly Row[]): CustomerEvents {
  const kinds = new Map<string, CustomerEvents['kinds'][number]>();
  for (const row of rows) {
    const kind = String(row.kind);
    let entry = kinds.get(kind);
    if (entry === undefined) {
      entry = { kind, last30: 0, last90: 0, latestUs: Number.NEGATIVE_INFINITY };
      kinds.set(kind, entry);
    }
    if (row.in30 === true) entry.last30++;
    if (row.in90 === true) entry.last90++;
    entry.latestUs = Math.max(entry.latestUs, row.us!);
  }
  const newest = rows.map((row) => ({ us: row.us!, eventType: String(row.detail) }));
  return { kinds: [...kinds.values()], newest };
}

/**
 * Counts per kind in the 30 and 90 days before the view's date, spend for purchases, latest time; by kind.
 * Event types are grouped with purchases and tickets by name, as the one-statement form groups them.
 */
function activityOf(kinds: readonly KindSummary[], rows: readonly Row[]): ActivitySummary[] {
  const byKind = new Map<string, ActivitySummary & { latestUs: number }>();
  const entry = (kind: string) => {
    let summary = byKind.get(kind);
    if (summary === undefined) {
      summary = {
        kind,
        last30: 0,
        last90: 0,
        amount90: kind === 'purchases' ? 0 : null,
        latest: null,
        latestUs: Number.NEGATIVE_INFINITY,
      };
      byKind.set(kind, summary);
    }
    return summary;
  };
  for (const kind of kinds) {
    const summary = entry(kind.kind);
    summary.last30 += kind.last30;
    summary.last90 += kind.last90;
    if (summary.amount90 !== null && kind.amount90 !== undefined) summary.amount90 += kind.amount90;
    if (kind.latestUs > summary.latestUs) {
      summary.latestUs = kind.latestUs;
      summary.latest = formatMicros(kind.latestUs);
    }
  }
  for (const row of rows) {
    const summary = entry(String(row.kind));
    if (row.in30 === true) summary.last30++;
    if (row.in90 === true) {
      summary.last90++;
      if (summary.amount90 !== null && row.part === 1) summary.amount90 += Number(row.x);
    }
    if (row.us! > summary.latestUs) {
      summary.latestUs = row.us!;
      summary.latest = row.at;
    }
  }
  return [...byKind.values()]
    .sort((a, b) => compareBinary(a.kind, b.kind))
    .map(({ latestUs: _, ...summary }) => summary);
}

const NO_FACTS: TimelineFacts = {
  eventType: null,
  amount: null,
  product: null,
  category: null,
  resolved: null,
  satisfaction: null,
  reason: null,
  voluntary: null,
};

/** The newest `limit` things that happened, ordered by time (newest first), kind, then detail. */
function timelineOf(
  items: { r: Pick<Row, 'us' | 'at' | 'detail'>; kind: TimelineItem['kind']; facts: TimelineFacts }[],
  limit: number,
): TimelineItem[] {
  items.sort(
    (a, b) => b.r.us! - a.r.us! || compareBinary(a.kind, b.kind) || compareBinary(a.r.detail!, b.r.detail!),
  );
  return items
    .slice(0, Math.max(0, Math.floor(limit)))
    .map(({ r, kind, facts }) => ({ at: String(r.at), kind, detail: String(r.detail), facts }));
}

/** At most VIEW_LIST_LIMIT rows, newest first, ties broken by `then`. */
function newest(rows: Row[], then: (a: Row, b: Row) => number): Row[] {
  return rows.sort((a, b) => b.us! - a.us! || then(a, b)).slice(0, VIEW_LIST_LIMIT);
}

/**
 * A time in microseconds as strftime('%Y-%m-%d %H:%M:%S') writes it (seconds truncated, years 1000–9999:
 * toISOString's form there).
 */
export function formatMicros(us: number): string {
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function earliest(rows: readonly Row[]): Row {
  return rows.reduce((min, row) => (row.us! < min.us! ? row : min));
}

/** Ascending, NULL last: the warehouse's default order. */
function compareNullsLast(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareBinary(a, b);
}

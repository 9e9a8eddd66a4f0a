// The customer 360° view (R3), data side: one customer's profile, activity summary, recent timeline and
// score history with reasons, tickets and transactions, read from the warehouse (customer-rows.ts). The CLI
// prints it; the server serves it from tables held in memory and a cache of recent views, both kept while
// the tables they come from are unchanged.

import { InputError } from '../errors.js';
import { GenerationCache, GenerationSlot, perWarehouse } from '../warehouse/generation-cache.js';
import { isWarehouse, type SqlRunner, type Warehouse } from '../warehouse/warehouse.js';
import { type CustomerFacts, loadCustomerFacts } from './customer-facts.js';
import { type CustomerRecord, readCustomerRecord, readViewDate } from './customer-rows.js';
import { customerEvents, type EventSummary, loadEventSummary, NEWEST_EVENTS } from './event-summary.js';
import { type HeldActivity, heldRows, loadHeldActivity } from './held-activity.js';

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
  /** Event type, amount, ticket category and state, cancellation reason, as one line of English. */
  detail: string;
  /** What the detail says, field by field, for a client to write in its own language. */
  facts: TimelineFacts;
}

/** The parts of a timeline item; null where its kind has none. */
export interface TimelineFacts {
  eventType: string | null;
  amount: number | null;
  product: string | null;
  category: string | null;
  resolved: boolean | null;
  satisfaction: number | null;
  reason: string | null;
  voluntary: boolean | null;
}

/** One service ticket. */
export interface TicketItem {
  openedAt: string;
  /** Null while the ticket is open. */
  resolvedAt: string | null;
  category: string | null;
  satisfaction: number | null;
}

/** One purchase. */
export interface TransactionItem {
  at: string;
  amount: number;
  product: string | null;
  paymentMethod: string | null;
}

/** At most this many tickets and transactions, newest first. */
export const VIEW_LIST_LIMIT = 50;

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
  /** Newest first, at most VIEW_LIST_LIMIT. */
  tickets: TicketItem[];
  /** Newest first, at most VIEW_LIST_LIMIT. */
  transactions: TransactionItem[];
  /** Newest first. */
  scores: ScoreHistoryItem[];
}

/** Every table the view reads: a write to any of them means reading a customer again. */
const VIEW_TABLES = ['customers', 'events', 'transactions', 'tickets', 'cancellations', 'scores'];
/** The tables whose newest row sets the view's date (and so the event summary's counts). */
const DATE_TABLES = ['events', 'transactions', 'tickets', 'cancellations'];
/** The server's timeline length; views with another length are read, not cached. */
const DEFAULT_TIMELINE = 15;
/** Views kept per warehouse (about 10 KB each). */
const CACHED_VIEWS = 5_000;

const views = perWarehouse(() => new GenerationCache<CustomerRecord | null>(CACHED_VIEWS));
const eventSummaries = perWarehouse(() => new GenerationSlot<EventSummary>());
const customerFacts = perWarehouse(() => new GenerationSlot<CustomerFacts>());
const heldActivities = perWarehouse(() => new GenerationSlot<HeldActivity>());
/** The tables held by held-activity.ts (their view date depends on all of DATE_TABLES). */
const ACTIVITY_TABLES = DATE_TABLES;
/** The tables held in memory by customer-facts.ts. */
const FACT_TABLES = ['customers', 'scores', 'cancellations'];

/**
 * Reads one customer's view straight from the warehouse (one statement, nothing kept: what the CLI needs for
 * one view); InputError when the id is unknown.
 */
export async function customerView(
  warehouse: SqlRunner,
  customerId: string,
  options: { timeline?: number } = {},
): Promise<CustomerView> {
  const timeline = options.timeline ?? DEFAULT_TIMELINE;
  const record = await readCustomerRecord(warehouse, customerId, await readViewDate(warehouse), timeline);
  if (!record) throw new InputError(`customer "${customerId}" is not in the warehouse`, {});
  return record.view;
}

/**
 * One customer's view and personal fields, or null when the id is unknown: the server's read. From a
 * warehouse, views are made from tables held in memory (event-summary.ts, customer-facts.ts,
 * held-activity.ts), and those with the server's timeline are kept; each is read again after a write to a
 * table it comes from. From a transaction's runner, the view is read from the tables.
 */
export async function customerRecord(
  db: SqlRunner,
  customerId: string,
  options: { timeline?: number } = {},
): Promise<CustomerRecord | null> {
  const timeline = options.timeline ?? DEFAULT_TIMELINE;
  if (!isWarehouse(db)) return readCustomerRecord(db, customerId, await readViewDate(db), timeline);
  const generation = db.generation(VIEW_TABLES);
  const cache = timeline === DEFAULT_TIMELINE ? views(db) : null;
  const cached = cache?.get(customerId, generation);
  if (cached !== undefined) return cached;
  const held = timeline > NEWEST_EVENTS ? undefined : currentHeldTables(db);
  if (!held) {
    // Writes since the tables were held: this view is read from the warehouse (tens of ms) rather than
    // waiting seconds for every table to be read again, which happens once the writes have paused.
    const date = await readViewDate(db);
    const record = await readCustomerRecord(db, customerId, date, timeline);
    if (cache && date !== null) cache.set(customerId, generation, record);
    return record;
  }
  const [summary, facts, activity] = held;
  const record = await readCustomerRecord(db, customerId, summary.asOf, timeline, {
    events: customerEvents(summary, customerId),
    facts: facts.get(customerId),
    activity: {
      kinds: activity.kinds.get(customerId) ?? [],
      openTickets: activity.openTickets.get(customerId) ?? 0,
      rows: heldRows(activity, customerId),
    },
  });
  // With no activity anywhere the view's date is today's, which must not outlive the day: not kept.
  if (cache && summary.asOf !== null) cache.set(customerId, generation, record);
  return record;
}

/**
 * Reads what views are made from into memory, so the first requests after a server starts do not wait for
 * it (about 2 s on the 20,000-customer demo).
 */
export async function warmCustomerViews(warehouse: Warehouse): Promise<void> {
  await heldTables(warehouse);
}

/** The held tables when all are loaded and current; else undefined, and they are read again once writes pause. */
function currentHeldTables(warehouse: Warehouse): [EventSummary, CustomerFacts, HeldActivity] | undefined {
  const summary = eventSummaries(warehouse).ready(warehouse.generation(DATE_TABLES));
  const facts = customerFacts(warehouse).ready(warehouse.generation(FACT_TABLES));
  const activity = heldActivities(warehouse).ready(warehouse.generation(ACTIVITY_TABLES));
  if (summary && facts && activity) return [summary, facts, activity];
  reloadWhenQuiet(warehouse);
  return undefined;
}

/** Quiet time after the last write to the view's tables before they are read into memory again. */
const QUIET_MS = 2_000;
const reloads = perWarehouse(() => ({ timer: null as NodeJS.Timeout | null }));

/**
 * Reads the held tables again once no write has touched them for QUIET_MS: under a steady stream of appends
 * every reload would be stale on arrival, so views are read from the warehouse until the stream pauses.
 */
function reloadWhenQuiet(warehouse: Warehouse): void {
  const state = reloads(warehouse);
  if (state.timer) return;
  const wait = (seen: number) => {
    state.timer = setTimeout(() => {
      const now = warehouse.generation(VIEW_TABLES);
      if (now !== seen) return wait(now);
      heldTables(warehouse).then(
        () => {
          state.timer = null;
        },
        () => {
          state.timer = null; // a closed warehouse, or a failed read: the next stale view tries again
        },
      );
    }, QUIET_MS);
    state.timer.unref();
  };
  wait(warehouse.generation(VIEW_TABLES));
}

/** The tables views are made from, held in memory: each read again only after a write to its tables. */
function heldTables(warehouse: Warehouse): Promise<[EventSummary, CustomerFacts, HeldActivity]> {
  return Promise.all([
    eventSummaries(warehouse).get(warehouse.generation(DATE_TABLES), async () =>
      loadEventSummary(warehouse, await readViewDate(warehouse)),
    ),
    customerFacts(warehouse).get(warehouse.generation(FACT_TABLES), () => loadCustomerFacts(warehouse)),
    heldActivities(warehouse).get(warehouse.generation(ACTIVITY_TABLES), async () =>
      loadHeldActivity(warehouse, await readViewDate(warehouse)),
    ),
  ]);
}

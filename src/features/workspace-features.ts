// The feature set a workspace uses: derived from what its warehouse holds (which sources have rows, which
// event types, which profile columns) and the configured windows, named like the standard set where they agree.
//
// Which features exist is decided once from the whole warehouse; every feature's VALUE is still computed
// from rows before the cutoff only (compile-features.ts), so the choice of columns leaks nothing into a row.

import type { Activity } from '../config/config-schema.js';
import { InputError } from '../errors.js';
import type { SqlRunner } from '../warehouse/warehouse.js';
import {
  type ActivityScope,
  daysSinceLast,
  type Feature,
  type FeatureSet,
  feature,
  lifecycleStage,
  openTickets,
  profile,
  ratio,
  rfmScore,
  tenure,
  trend,
  windowCount,
  windowMean,
  windowSum,
} from './feature-nodes.js';

/** What of the warehouse the feature set depends on. */
export interface WarehouseContents {
  /** Of segment, region, plan: the columns with at least one non-NULL value. */
  readonly profileColumns: readonly string[];
  /** The most frequent event types (up to 100) with their row counts, most frequent first, then by name. */
  readonly eventTypes: readonly { readonly eventType: string; readonly rows: number }[];
  /** Distinct event types in all. */
  readonly distinctEventTypes: number;
  readonly transactions: number;
  readonly tickets: number;
  /** Tickets with a resolved_at. */
  readonly resolvedTickets: number;
  /** Tickets with a resolved_at and a satisfaction score. */
  readonly ratedTickets: number;
}

export interface WorkspaceFeatureOptions {
  /** Window lengths in days (config `features.windows`), whole numbers > 0. */
  readonly windows: readonly number[];
  /** What the lifecycle stage counts as activity (config `churn.activity`); default every event and transaction. */
  readonly activity?: readonly ActivityScope[];
  /** Event types with features of their own, the most frequent first. Default 8. */
  readonly maxEventTypes?: number;
}

/** The parts of the parsed config (`Config`) the workspace set reads. */
export interface WorkspaceFeatureConfig {
  readonly features: { readonly windows: readonly number[] };
  readonly churn?: { readonly activity?: readonly Activity[] };
}

const PROFILE_COLUMNS = ['segment', 'region', 'plan'] as const;
const LISTED_EVENT_TYPES = 100;
const DEFAULT_MAX_EVENT_TYPES = 8;
/** Longest name part taken from an event type: `days_since_last_` + 36 + `_event_99` stays under PostgreSQL's 63. */
const MAX_STEM = 36;
/** Columns of the snapshot table besides the features. */
const RESERVED = ['customer_id', 'cutoff', 'churned', 'churn_type'];
/** Satisfaction is only known once a ticket is resolved: tickets resolved before T (as the standard set). */
const resolvedBeforeCutoff = { op: 'beforeCutoff', column: 'resolved_at' } as const;

/** The workspace's feature set: `describeWarehouse` then `workspaceFeatureSet` with the config's windows. */
export async function workspaceFeatures(
  warehouse: SqlRunner,
  config: WorkspaceFeatureConfig,
): Promise<FeatureSet> {
  const activity = config.churn?.activity?.map(
    (a): ActivityScope =>
      a.source === 'events' && a.event_types
        ? { source: 'events', eventTypes: a.event_types }
        : { source: a.source },
  );
  return workspaceFeatureSet(await describeWarehouse(warehouse), {
    windows: config.features.windows,
    ...(activity ? { activity } : {}),
  });
}

/** Reads which sources, event types and profile columns the warehouse holds. */
export async function describeWarehouse(warehouse: SqlRunner): Promise<WarehouseContents> {
  const [customers] = await warehouse.all<Record<string, number>>(
    `SELECT ${PROFILE_COLUMNS.map((c) => `count("${c}") AS "${c}"`).join(', ')} FROM customers`,
  );
  const eventTypes = await warehouse.all<{ eventType: string; rows: number }>(
    `SELECT event_type AS "eventType", count(*) AS "rows" FROM events
     GROUP BY event_type ORDER BY "rows" DESC, event_type LIMIT ${LISTED_EVENT_TYPES}`,
  );
  const [counts] = await warehouse.all<{
    distinctEventTypes: number;
    transactions: number;
    tickets: number;
    resolvedTickets: number;
    ratedTickets: number;
  }>(
    `SELECT (SELECT count(DISTINCT event_type) FROM events) AS "distinctEventTypes",
       (SELECT count(*) FROM transactions) AS "transactions",
       (SELECT count(*) FROM tickets) AS "tickets",
       (SELECT count(resolved_at) FROM tickets) AS "resolvedTickets",
       (SELECT count(satisfaction) FROM tickets WHERE resolved_at IS NOT NULL) AS "ratedTickets"`,
  );
  return {
    profileColumns: PROFILE_COLUMNS.filter((column) => (customers?.[column] ?? 0) > 0),
    eventTypes: eventTypes.map(({ eventType, rows }) => ({ eventType, rows: Number(rows) })),
    distinctEventTypes: Number(counts?.distinctEventTypes ?? 0),
    transactions: Number(counts?.transactions ?? 0),
    tickets: Number(counts?.tickets ?? 0),
    resolvedTickets: Number(counts?.resolvedTickets ?? 0),
    ratedTickets: Number(counts?.ratedTickets ?? 0),
  };
}

/**
 * The feature set for a warehouse holding `contents`, in this order (W = each window, L = the longest,
 * M = the trend window: 30 if configured, else the window closest to 30, the longer on a tie):
 *   tenure_days; segment, region, plan (those not all NULL);
 *   per event type (the most frequent, at most maxEventTypes; X = featureStem of the type):
 *     X_Wd, days_since_last_X, X_trend_Md; and events_Wd (all types) when there are several types;
 *   transactions: tx_count_Wd, spend_Wd, avg_order_value_Ld, days_since_last_tx, spend_trend_Ld,
 *     frequency_total, monetary_total, recency_score, frequency_score, monetary_score, rfm_score;
 *   tickets: tickets_Ld, open_tickets (if resolutions are recorded), avg_satisfaction_Ld (if resolved
 *     tickets carry scores), days_since_last_ticket;
 *   lifecycle_stage when there is any activity (recent window M, dormant after max(L, 3M) days without
 *     activity, new below max(90, that) days of tenure, so the baseline window lies after signup).
 * With windows [7, 30, 90] every feature the standard set also has gets the standard name and node.
 */
export function workspaceFeatureSet(
  contents: WarehouseContents,
  options: WorkspaceFeatureOptions,
): FeatureSet {
  const windows = normalizeWindows(options.windows);
  const maxEventTypes = options.maxEventTypes ?? DEFAULT_MAX_EVENT_TYPES;
  if (!(Number.isInteger(maxEventTypes) && maxEventTypes >= 0)) {
    throw new InputError(`maxEventTypes=${maxEventTypes} must be a whole number >= 0`, {
      key: 'maxEventTypes',
    });
  }
  return buildFeatureSet(contents, windows, maxEventTypes, options.activity);
}

function buildFeatureSet(
  contents: WarehouseContents,
  windows: readonly number[],
  maxEventTypes: number,
  activityOption: readonly ActivityScope[] | undefined,
): FeatureSet {
  const longest = windows.at(-1)!;
  const trendDays = trendWindow(windows);
  const hasEvents = contents.eventTypes.length > 0;
  const hasTransactions = contents.transactions > 0;

  const head: Feature[] = [
    feature('tenure_days', tenure()),
    ...contents.profileColumns.map((column) => feature(column, profile(column))),
  ];
  const totals: Feature[] =
    contents.distinctEventTypes > 1
      ? windows.map((days) => feature(`events_${days}d`, windowCount('events', days)))
      : [];
  const transactions = hasTransactions ? transactionFeatures(windows, longest) : [];
  const tickets = contents.tickets > 0 ? ticketFeatures(contents, longest) : [];
  const activity = lifecycleActivity(activityOption, hasEvents, hasTransactions);
  const lifecycle: Feature[] = [];
  if (activity.length > 0) {
    const dormantDays = Math.max(longest, 3 * trendDays);
    const node = lifecycleStage(activity, {
      newDays: Math.max(90, dormantDays),
      recentDays: trendDays,
      dormantDays,
    });
    lifecycle.push(feature('lifecycle_stage', node));
  }

  const taken = new Set([
    ...RESERVED,
    ...[...head, ...totals, ...transactions, ...tickets, ...lifecycle].map((f) => f.name),
  ]);
  const events = byFrequency(contents.eventTypes)
    .slice(0, maxEventTypes)
    .flatMap(({ eventType }) => eventFeatures(eventType, windows, trendDays, taken));
  return Object.freeze([...head, ...events, ...totals, ...transactions, ...tickets, ...lifecycle]);
}

/** Windows sorted and deduplicated; an InputError (key features.windows) unless whole numbers > 0, at least one. */
function normalizeWindows(windows: readonly number[]): number[] {
  const fail = (message: string) => {
    throw new InputError(`features.windows: ${message}`, { key: 'features.windows' });
  };
  if (windows.length === 0) fail('at least one window is needed');
  for (const days of windows) {
    if (!(Number.isInteger(days) && days > 0)) fail(`${days} is not a whole number of days > 0`);
  }
  return [...new Set(windows)].sort((a, b) => a - b);
}

/** 30 when configured, else the window closest to 30 days (the longer on a tie). */
function trendWindow(windows: readonly number[]): number {
  let best = windows[0]!;
  for (const days of windows) {
    if (Math.abs(days - 30) <= Math.abs(best - 30)) best = days;
  }
  return best;
}

function byFrequency(eventTypes: WarehouseContents['eventTypes']): WarehouseContents['eventTypes'] {
  return [...eventTypes].sort(
    (a, b) => b.rows - a.rows || (a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0),
  );
}

/** X_Wd, days_since_last_X, X_trend_Md; X is the type's stem, suffixed `_event`, `_event_2` … on a clash. */
function eventFeatures(eventType: string, windows: readonly number[], trendDays: number, taken: Set<string>) {
  const stem = featureStem(eventType);
  const count = (days: number) => windowCount('events', days, { eventType });
  const build = (x: string): Feature[] => [
    ...windows.map((days) => feature(`${x}_${days}d`, count(days))),
    feature(`days_since_last_${x}`, daysSinceLast('events', { eventType })),
    feature(`${x}_trend_${trendDays}d`, trend(count(trendDays))),
  ];
  let features = build(stem);
  for (let attempt = 1; features.some((f) => taken.has(f.name)); attempt++) {
    features = build(attempt === 1 ? `${stem}_event` : `${stem}_event_${attempt}`);
  }
  for (const f of features) taken.add(f.name);
  return features;
}

function transactionFeatures(windows: readonly number[], longest: number): Feature[] {
  const spendLongest = windowSum('transactions', 'amount', longest);
  const countLongest = windowCount('transactions', longest);
  return [
    ...windows.map((days) => feature(`tx_count_${days}d`, windowCount('transactions', days))),
    ...windows.map((days) => feature(`spend_${days}d`, windowSum('transactions', 'amount', days))),
    feature(`avg_order_value_${longest}d`, ratio(spendLongest, countLongest)),
    feature('days_since_last_tx', daysSinceLast('transactions')),
    feature(`spend_trend_${longest}d`, trend(spendLongest)),
    feature('frequency_total', windowCount('transactions', 'all')),
    feature('monetary_total', windowSum('transactions', 'amount', 'all')),
    feature('recency_score', rfmScore('recency')),
    feature('frequency_score', rfmScore('frequency')),
    feature('monetary_score', rfmScore('monetary')),
    feature('rfm_score', rfmScore('total')),
  ];
}

function ticketFeatures(contents: WarehouseContents, longest: number): Feature[] {
  return [
    feature(`tickets_${longest}d`, windowCount('tickets', longest)),
    ...(contents.resolvedTickets > 0 ? [feature('open_tickets', openTickets())] : []),
    ...(contents.ratedTickets > 0
      ? [
          feature(
            `avg_satisfaction_${longest}d`,
            windowMean('tickets', 'satisfaction', longest, { where: resolvedBeforeCutoff }),
          ),
        ]
      : []),
    feature('days_since_last_ticket', daysSinceLast('tickets')),
  ];
}

/** The configured activity on the sources that have rows; if none is left, every source that has rows. */
function lifecycleActivity(
  configured: readonly ActivityScope[] | undefined,
  hasEvents: boolean,
  hasTransactions: boolean,
): ActivityScope[] {
  const present = (scope: ActivityScope) => (scope.source === 'events' ? hasEvents : hasTransactions);
  const chosen = (configured ?? []).filter(present);
  if (chosen.length > 0) return chosen;
  const all: ActivityScope[] = [];
  if (hasEvents) all.push({ source: 'events' });
  if (hasTransactions) all.push({ source: 'transactions' });
  return all;
}

/**
 * An event type as the stem of feature names: ASCII letters and digits lower-cased (camelCase split at
 * the capital, accents dropped), other letters and digits as their hex code point (`登录` → `767b_5f55`),
 * anything else as `_`; runs of `_` collapsed; `event_` in front of a stem that would start with a digit or
 * be empty; at most 36 characters. `Add-To-Cart` → `add_to_cart`, `appOpen` → `app_open`.
 */
export function featureStem(eventType: string): string {
  const parts = eventType
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  let stem = '';
  for (const char of parts) {
    if (/[A-Za-z0-9]/.test(char)) stem += char.toLowerCase();
    else if (/[\p{L}\p{N}]/u.test(char)) stem += `_${char.codePointAt(0)!.toString(16)}_`;
    else stem += '_';
  }
  stem = stem.replace(/_+/g, '_').replace(/^_|_$/g, '');
  if (!/^[a-z]/.test(stem)) stem = stem === '' ? 'event' : `event_${stem}`;
  return stem.slice(0, MAX_STEM).replace(/_$/, '');
}

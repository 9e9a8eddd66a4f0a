// Feature definitions as small immutable nodes. A node says what to compute, never how: the compiler
// (compile-features.ts) turns a list of named nodes into one SQL query per cutoff for any dialect.

/** The activity tables a feature can aggregate, each with the time column that places a row before T. */
export const sourceTables = {
  events: { table: 'events', time: 'ts', alias: 'e' },
  transactions: { table: 'transactions', time: 'ts', alias: 't' },
  tickets: { table: 'tickets', time: 'opened_at', alias: 'k' },
  cancellations: { table: 'cancellations', time: 'cancelled_at', alias: 'x' },
} as const satisfies Record<string, { table: string; time: string; alias: string }>;

export type SourceName = keyof typeof sourceTables;

/** A row condition. `beforeCutoff`/`atOrAfterCutoff` compare a column with the cutoff T. */
export type Predicate =
  | { readonly op: 'eq'; readonly column: string; readonly value: string | number }
  | { readonly op: 'isNull' | 'notNull' | 'beforeCutoff' | 'atOrAfterCutoff'; readonly column: string }
  | { readonly op: 'and' | 'or'; readonly args: readonly Predicate[] };

/** Which rows of a source: events of one type and/or any predicate. */
interface Scope {
  readonly source: SourceName;
  /** Shorthand for `{ op: 'eq', column: 'event_type', value }` (events only). */
  readonly eventType?: string;
  readonly where?: Predicate;
}

/**
 * A time window ending `offsetDays` before T: T − (offsetDays + days) ≤ time < T − offsetDays, lower bound
 * included. `days: 'all'` is all history before T − offsetDays.
 */
interface Window {
  readonly days: number | 'all';
  readonly offsetDays?: number;
}

/** Number of rows in the window. Integer; 0 when none. */
export interface WindowCount extends Scope, Window {
  readonly kind: 'windowCount';
}

/** Sum of `column` over the window. 0 when none. */
export interface WindowSum extends Scope, Window {
  readonly kind: 'windowSum';
  readonly column: string;
}

/** Mean of the non-null values of `column` over the window. NULL when none. */
export interface WindowMean extends Scope, Window {
  readonly kind: 'windowMean';
  readonly column: string;
}

/** (T − latest time before T) in days, as a float. NULL when none. */
export interface DaysSinceLast extends Scope {
  readonly kind: 'daysSinceLast';
}

/** Tickets opened before T and not resolved before T (resolved_at NULL or ≥ T). Integer. */
export interface OpenTickets {
  readonly kind: 'openTickets';
}

/** (value in the window + smoothing) / (value in the window of the same length just before it + smoothing). */
export interface Trend {
  readonly kind: 'trend';
  readonly of: WindowCount | WindowSum;
  readonly smoothing: number;
}

/** numerator / denominator as a float; NULL when the denominator is 0. */
export interface Ratio {
  readonly kind: 'ratio';
  readonly numerator: FeatureNode;
  readonly denominator: FeatureNode;
}

/** (T − signup_at) in days, as a float. */
export interface Tenure {
  readonly kind: 'tenure';
}

/** A column of the customers table as it is. */
export interface Profile {
  readonly kind: 'profile';
  readonly column: string;
}

/**
 * RFM quintile scores over ALL transactions before T, ranked across the customers of the cutoff (signed up
 * before T) who have at least one, into `bins` groups, 1 = lowest, `bins` = highest:
 *   recency:   by the latest transaction time — more recent is higher;
 *   frequency: by the number of transactions;
 *   monetary:  by the sum of amounts;
 *   total:     recency + frequency + monetary (3 … 3·bins), an ordinal a model and an analyst can use.
 * `ties: 'shared'` (default): group = 1 + floor(bins · (rank − 1) / n), n the buyers, rank as RANK() (tied values
 *   share the lowest rank), so equal values always get the same score; groups are equal-sized when values
 *   are distinct, and a large tie (one-time buyers) stays in one group, leaving some scores unused.
 * `ties: 'split'`: NTILE(bins) ordered by the value then customer_id: exactly equal-sized groups, but equal
 *   values can land in neighbouring groups, decided by customer_id.
 * A customer without any transaction before T scores 1 in each part (total 3): below every buyer, yet not
 * NULL, so the scores stay usable where missing values are not (linear models, scorecards).
 */
export interface RfmScore {
  readonly kind: 'rfmScore';
  readonly part: RfmPart;
  readonly bins: number;
  readonly ties: RfmTies;
}

export type RfmTies = 'shared' | 'split';

export type RfmPart = 'recency' | 'frequency' | 'monetary' | 'total';

/** Rows that count as activity: all transactions, or events (of some types only when `eventTypes` is set). */
export interface ActivityScope {
  readonly source: 'events' | 'transactions';
  readonly eventTypes?: readonly string[];
}

/** The values a lifecycle stage takes, in the order the rule tests them. */
export const LIFECYCLE_STAGES = ['new', 'dormant', 'declining', 'growing', 'mature'] as const;
export type LifecycleStageName = (typeof LIFECYCLE_STAGES)[number];

/**
 * A text category from tenure and the activity rows before T. With R = recentDays, D = dormantDays (> R),
 * recent = activity in [T − R, T), baseline = activity in [T − D, T − R), each as a rate per day, the first
 * rule that holds gives the stage:
 *   new        signup_at > T − newDays (tenure < newDays days)
 *   dormant    no activity in [T − D, T)
 *   declining  recent rate ≤ (1 − change) × baseline rate   (change 0.5: down by half or more)
 *   growing    recent rate ≥ (1 + change) × baseline rate   (change 0.5: up by half or more; includes a
 *              customer active only in the recent window)
 *   mature     otherwise (steady)
 * Defaults newDays 90, recentDays 30, dormantDays 90, change 0.5: the last 30 days against the 60 before.
 */
export interface LifecycleStage {
  readonly kind: 'lifecycleStage';
  readonly activity: readonly ActivityScope[];
  readonly newDays: number;
  readonly recentDays: number;
  readonly dormantDays: number;
  readonly change: number;
}

export type FeatureNode =
  | WindowCount
  | WindowSum
  | WindowMean
  | DaysSinceLast
  | OpenTickets
  | Trend
  | Ratio
  | Tenure
  | Profile
  | RfmScore
  | LifecycleStage;

export type FeatureKind = FeatureNode['kind'];

/** A named feature: the output column `name` holds the node's value. */
export interface Feature {
  readonly name: string;
  readonly node: FeatureNode;
}

export type FeatureSet = readonly Feature[];

/** The value type of a feature column. */
export type FeatureType = 'integer' | 'float' | 'text';

/** What type a node's value has (the compiler and readers agree on this). */
export function featureType(node: FeatureNode): FeatureType {
  switch (node.kind) {
    case 'windowCount':
    case 'openTickets':
    case 'rfmScore':
      return 'integer';
    case 'profile':
    case 'lifecycleStage':
      return 'text';
    default:
      return 'float';
  }
}

type ScopeOptions = Pick<Scope, 'eventType' | 'where'> & { offsetDays?: number };

function freeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) freeze(inner);
    Object.freeze(value);
  }
  return value;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Number of rows of `source` in the last `days` days before T. */
export function windowCount(
  source: SourceName,
  days: number | 'all',
  options: ScopeOptions = {},
): WindowCount {
  return freeze(defined({ kind: 'windowCount', source, days, ...options }));
}

/** Sum of `column` over the last `days` days before T. */
export function windowSum(
  source: SourceName,
  column: string,
  days: number | 'all',
  options: ScopeOptions = {},
): WindowSum {
  return freeze(defined({ kind: 'windowSum', source, column, days, ...options }));
}

/** Mean of `column` over the last `days` days before T. */
export function windowMean(
  source: SourceName,
  column: string,
  days: number | 'all',
  options: ScopeOptions = {},
): WindowMean {
  return freeze(defined({ kind: 'windowMean', source, column, days, ...options }));
}

/** Days since the latest row of `source` before T. */
export function daysSinceLast(
  source: SourceName,
  options: Pick<Scope, 'eventType' | 'where'> = {},
): DaysSinceLast {
  return freeze(defined({ kind: 'daysSinceLast', source, ...options }));
}

export function openTickets(): OpenTickets {
  return freeze({ kind: 'openTickets' });
}

/** This window against the previous one of the same length, add-`smoothing` on both sides. */
export function trend(of: WindowCount | WindowSum, smoothing = 1): Trend {
  return freeze({ kind: 'trend', of, smoothing });
}

export function ratio(numerator: FeatureNode, denominator: FeatureNode): Ratio {
  return freeze({ kind: 'ratio', numerator, denominator });
}

export function tenure(): Tenure {
  return freeze({ kind: 'tenure' });
}

export function profile(column: string): Profile {
  return freeze({ kind: 'profile', column });
}

/** An RFM score (1 … bins; `total` is the sum of the three parts) across the customers at the cutoff. */
export function rfmScore(part: RfmPart, bins = 5, ties: RfmTies = 'shared'): RfmScore {
  return freeze({ kind: 'rfmScore', part, bins, ties });
}

/** The lifecycle stage from `activity` (see LifecycleStage for the rule and its defaults). */
export function lifecycleStage(
  activity: readonly ActivityScope[],
  options: Partial<Pick<LifecycleStage, 'newDays' | 'recentDays' | 'dormantDays' | 'change'>> = {},
): LifecycleStage {
  return freeze({
    kind: 'lifecycleStage',
    activity: activity.map((scope) =>
      defined({ source: scope.source, eventTypes: scope.eventTypes ? [...scope.eventTypes] : undefined }),
    ),
    newDays: options.newDays ?? 90,
    recentDays: options.recentDays ?? 30,
    dormantDays: options.dormantDays ?? 90,
    change: options.change ?? 0.5,
  });
}

export function feature(name: string, node: FeatureNode): Feature {
  return freeze({ name, node });
}

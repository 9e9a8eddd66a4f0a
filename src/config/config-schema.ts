// The shape of `churnwatch.yaml`, as zod schemas: sources, churn definition, feature windows, tiers and the
// test-account rule. Keys are snake_case as written in the file; the inferred types mirror the file 1:1.
// Every source is optional but at least one is needed: without `customers`, ingest derives the customers
// from the activity it loads (src/warehouse/derive-customers.ts).

import { z } from 'zod';
import { alertsSchema, DEFAULT_ALERTS } from '../alerts/alerts-config.js';
import { DEFAULT_RETENTION, retentionSchema } from '../retention/retention-config.js';

/** Our fields per source kind; `required` ones must be mapped (or present under their own name). */
export const sourceFields = {
  customers: {
    required: ['customer_id', 'signup_at'],
    optional: ['segment', 'region', 'plan', 'name', 'phone', 'email'],
  },
  events: { required: ['customer_id', 'ts', 'event_type'], optional: ['properties'] },
  transactions: { required: ['customer_id', 'ts', 'amount'], optional: ['product', 'payment_method'] },
  tickets: {
    required: ['customer_id', 'opened_at'],
    optional: ['resolved_at', 'category', 'satisfaction'],
  },
  cancellations: { required: ['customer_id', 'cancelled_at'], optional: ['reason', 'voluntary'] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

export type SourceKind = keyof typeof sourceFields;
export const SOURCE_KINDS = Object.keys(sourceFields) as SourceKind[];

/**
 * Sources whose rows are facts (something happened): several identical lines may be separate facts, so
 * these take the `duplicates` setting. Profiles and tickets are keyed by id instead (a later row replaces).
 */
export const FACT_SOURCES = [
  'events',
  'transactions',
  'cancellations',
] as const satisfies readonly SourceKind[];

const name = z.string().min(1, 'expected a non-empty string');

function columnsSchema(kind: SourceKind) {
  const { required, optional } = sourceFields[kind];
  const shape = Object.fromEntries([...required, ...optional].map((field) => [field, name.optional()]));
  return z.strictObject(shape as Record<string, z.ZodOptional<typeof name>>);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function sourceSchema(kind: SourceKind) {
  return z.strictObject({
    /** A file or a glob (`data/events-*.csv`), relative to the folder of churnwatch.yaml. */
    path: name,
    format: z.enum(['csv', 'ndjson', 'parquet']).default('csv'),
    /** Our field → the column name in the file, where they differ. */
    columns: columnsSchema(kind).default({}),
    /** strptime format of the timestamps (`%d/%m/%Y %H:%M`); default ISO 8601 (a date alone is midnight). */
    timestamp_format: name.optional(),
    /** IANA zone the timestamps are written in (`Asia/Shanghai`); stored as UTC. Default: already UTC. */
    time_zone: name.refine(isTimeZone, 'expected an IANA time zone such as Asia/Shanghai').optional(),
  });
}

/**
 * A fact source also says what a line equal to an earlier one in every column of the file is: `quarantine`
 * (default: an export written twice) or `keep` (a file without an id column that records two identical
 * purchases on one day as two identical lines, as CDNOW does).
 */
function factSourceSchema(kind: (typeof FACT_SOURCES)[number]) {
  return sourceSchema(kind).extend({ duplicates: z.enum(['quarantine', 'keep']).optional() });
}

/** What counts as activity: rows of a source, for events optionally of some types only. */
export const activitySchema = z.union([
  z.strictObject({ source: z.literal('transactions') }),
  z.strictObject({ source: z.literal('events'), event_types: z.array(name).min(1).optional() }),
]);
export type Activity = z.infer<typeof activitySchema>;

const positiveDays = z.number().int('expected a whole number').positive('expected a number > 0');

export const churnSchema = z
  .strictObject({
    kind: z.enum(['contractual', 'non_contractual', 'partial']),
    /** H: the horizon after the cutoff in which churn is looked for. */
    horizon_days: positiveDays,
    /** Non-contractual and partial: the activity that keeps a customer alive. Default: transactions. */
    activity: z
      .array(activitySchema)
      .min(1)
      .default([{ source: 'transactions' }]),
    /** Partial: churned when activity in the horizon < threshold × baseline. */
    partial_threshold: z.number().gt(0).lt(1).optional(),
    /** Partial: the baseline window before the cutoff, in days (default H); scaled to H days. */
    baseline_days: positiveDays.optional(),
    /** Optional: only customers with activity in this many days before the cutoff are labelled. */
    active_within_days: positiveDays.optional(),
  })
  .superRefine((churn, context) => {
    if (churn.kind === 'partial' && churn.partial_threshold === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['partial_threshold'],
        message: 'required when kind is partial (e.g. 0.5)',
      });
    }
  });
export type ChurnConfig = z.infer<typeof churnSchema>;

const probability = z.number().gt(0).lt(1);
const percent = z.number().gt(0).max(100);

export const tiersSchema = z.union([
  z
    .strictObject({ high: probability, medium: probability })
    .refine((t) => t.medium < t.high, { message: 'medium must be below high', path: ['medium'] }),
  z.strictObject({
    top_k_percent: z
      .strictObject({ high: percent, medium: percent })
      .refine((t) => t.high < t.medium, { message: 'medium must be above high', path: ['medium'] }),
  }),
]);

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export const testAccountsSchema = z.strictObject({
  /** Customer ids matching this regular expression are test accounts (RE2 syntax in DuckDB). */
  id_pattern: name.refine(isRegex, 'expected a regular expression').optional(),
  /** A column of the customers file; true/1/yes/y/t there marks a test account. */
  flag_column: name.optional(),
});

/** Each source optional, at least one configured. */
export const sourcesSchema = z
  .strictObject({
    customers: sourceSchema('customers').optional(),
    events: factSourceSchema('events').optional(),
    transactions: factSourceSchema('transactions').optional(),
    tickets: sourceSchema('tickets').optional(),
    cancellations: factSourceSchema('cancellations').optional(),
  })
  .refine((sources) => SOURCE_KINDS.some((kind) => sources[kind] !== undefined), {
    message: `no source configured: name at least one of ${SOURCE_KINDS.join(', ')}`,
  });

export const configSchema = z
  .strictObject({
    version: z.literal(1).default(1),
    sources: sourcesSchema,
    churn: churnSchema,
    features: z.strictObject({ windows: z.array(positiveDays).min(1).default([7, 30, 90]) }).default({
      windows: [7, 30, 90],
    }),
    tiers: tiersSchema.default({ high: 0.8, medium: 0.5 }),
    test_accounts: testAccountsSchema.default({}),
    /** Alert rules, channels and delivery (R15); see src/alerts/alerts-config.ts. */
    alerts: alertsSchema.default(DEFAULT_ALERTS),
    /** Campaign measurement (R19) and the webhooks campaigns send their actions to (R18). */
    retention: retentionSchema.default(DEFAULT_RETENTION),
  })
  .superRefine((config, context) => {
    const alertChannels = new Set(config.alerts.channels.map((channel) => channel.name));
    config.retention.action_webhooks.forEach((hook, index) => {
      if (alertChannels.has(hook.name)) {
        context.addIssue({
          code: 'custom',
          path: ['retention', 'action_webhooks', index, 'name'],
          message: `"${hook.name}" is also the name of a channel in alerts.channels: names must differ`,
        });
      }
    });
    if (config.test_accounts.flag_column !== undefined && config.sources.customers === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['test_accounts', 'flag_column'],
        message: 'names a column of the customers file, but there is no sources.customers',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;
/** A source's settings; `duplicates` exists for the fact sources only. */
export type SourceConfig = z.infer<ReturnType<typeof factSourceSchema>>;
/** What ingest does with a line equal to an earlier one in every column (default `quarantine`). */
export type DuplicatePolicy = NonNullable<SourceConfig['duplicates']>;

// The alert stage (R15): after a scoring run, each customer's new score is compared with their previous one
// (the latest score of an earlier date), the configured rules are applied, and new alerts are written to
// `alerts` together with one outbox message per channel (digest channels aside), in one transaction. Runs
// at the end of scoreWorkspace and scoreCustomers; with no rules it does nothing.

import { randomUUID } from 'node:crypto';
import { TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlParam, SqlRunner, Warehouse } from '../warehouse/warehouse.js';
import type { AlertEvent } from './alert-event.js';
import type { AlertRule, AlertsConfig } from './alerts-config.js';
import { DEFAULT_ALERTS } from './alerts-config.js';
import { firesOnScore, type ScoreChange, type TierName, valueAbove } from './rules.js';

export interface EvaluateAlertsOptions {
  /** The configuration (its `alerts` section; absent = the defaults). */
  config: { alerts?: AlertsConfig };
  /** The scoring date `YYYY-MM-DD` and model version of the scores to look at. */
  scoredAt: string;
  modelVersion: number;
  /** Only these customers (a real-time re-score); default every customer scored at that date. */
  customerIds?: readonly string[];
  /** Epoch ms the alerts are raised at (default now): created_at, and the quiet periods end against it. */
  now?: number;
}

export interface EvaluateAlertsResult {
  /** Score rows compared. */
  compared: number;
  /** Alerts written, and outbox messages written with them. */
  created: number;
  messages: number;
  /** Rule hits not written: an alert for that customer and rule is open, or one closed within the quiet period. */
  duplicates: number;
  quiet: number;
}

/** A new alert before it is written. */
interface AlertDraft {
  id: string;
  rule: AlertRule;
  change: ScoreChange;
  value: number | null;
  reasonsEn: string;
  reasonsZh: string;
  drivers: string;
}

interface ScoreRow {
  customer_id: string;
  segment: string | null;
  probability: number;
  tier: string;
  reasons_en: string;
  reasons_zh: string;
  drivers: string;
  previous_probability: number | null;
  previous_tier: string | null;
}

const DAY_MS = 86_400_000;
/** Rows per INSERT statement. */
const INSERT_BATCH = 200;

/** Applies the alert rules to the scores of `scoredAt` and writes new alerts and their outbox messages. */
export async function evaluateAlerts(
  warehouse: Warehouse,
  options: EvaluateAlertsOptions,
): Promise<EvaluateAlertsResult> {
  const alerts = options.config.alerts ?? DEFAULT_ALERTS;
  const result: EvaluateAlertsResult = { compared: 0, created: 0, messages: 0, duplicates: 0, quiet: 0 };
  if (alerts.rules.length === 0 || options.customerIds?.length === 0) return result;
  const now = options.now ?? Date.now();
  const rows = await scoreChanges(warehouse, options);
  result.compared = rows.length;

  const hits: { rule: AlertRule; row: ScoreRow; change: ScoreChange }[] = [];
  for (const row of rows) {
    const change = toChange(row);
    for (const rule of alerts.rules) if (firesOnScore(rule, change)) hits.push({ rule, row, change });
  }
  if (hits.length === 0) return result;
  const values = await customerValues(warehouse, options.scoredAt, hits);
  const drafts: AlertDraft[] = [];
  for (const { rule, row, change } of hits) {
    const value =
      rule.kind === 'high_value_threshold' ? (values.get(valueKey(rule, row.customer_id)) ?? 0) : null;
    if (!valueAbove(rule, value)) continue;
    drafts.push({
      id: randomUUID(),
      rule,
      change,
      value,
      reasonsEn: row.reasons_en,
      reasonsZh: row.reasons_zh,
      drivers: row.drivers,
    });
  }
  if (drafts.length === 0) return result;

  // The check against existing alerts and the writes are one transaction: nothing slips in between.
  await warehouse.transaction(async (tx) => {
    const blocked = await blockingAlerts(tx, alerts, now);
    const fresh: AlertDraft[] = [];
    for (const draft of drafts) {
      const key = pairKey(draft.rule.name, draft.change.customerId);
      const block = blocked.get(key);
      if (block === 'open') result.duplicates++;
      else if (block === 'quiet') result.quiet++;
      else {
        fresh.push(draft);
        blocked.set(key, 'open'); // two hits of one rule for one customer in a run: one alert
      }
    }
    const messages = fresh.flatMap((draft) =>
      alerts.channels
        // A digest channel gets one summary a day instead (queue-digests.ts), not a message per alert.
        .filter((channel) => channel.digest === undefined)
        .filter((channel) => channel.rules === undefined || channel.rules.includes(draft.rule.name))
        .map((channel) => ({ channel: channel.name, draft })),
    );
    for (let begin = 0; begin < fresh.length; begin += INSERT_BATCH) {
      await insertAlerts(tx, fresh.slice(begin, begin + INSERT_BATCH), options, now);
    }
    for (let begin = 0; begin < messages.length; begin += INSERT_BATCH) {
      await insertMessages(tx, messages.slice(begin, begin + INSERT_BATCH), options, now);
    }
    result.created = fresh.length;
    result.messages = messages.length;
  });
  return result;
}

/** The new scores beside each customer's latest score of an earlier date, with the segment. */
async function scoreChanges(warehouse: Warehouse, options: EvaluateAlertsOptions): Promise<ScoreRow[]> {
  const ids = options.customerIds ?? null;
  const only = ids ? `AND customer_id IN (${ids.map(() => '?').join(', ')})` : '';
  return warehouse.all<ScoreRow>(
    `WITH current AS (
       SELECT customer_id, probability, tier, reasons_en, reasons_zh, drivers FROM scores
       WHERE scored_at = CAST(? AS DATE) AND model_version = ? ${only}
     ), previous AS (
       SELECT s.customer_id, s.probability, s.tier FROM scores AS s
       WHERE s.scored_at < CAST(? AS DATE) AND s.customer_id IN (SELECT customer_id FROM current)
       QUALIFY row_number() OVER (
         PARTITION BY s.customer_id ORDER BY s.scored_at DESC, s.created_at DESC, s.model_version DESC) = 1
     ), segments AS (
       SELECT customer_id, any_value(segment) AS segment FROM customers
       WHERE customer_id IN (SELECT customer_id FROM current) GROUP BY customer_id
     )
     SELECT c.customer_id, g.segment, c.probability, c.tier, c.reasons_en, c.reasons_zh, c.drivers,
       p.probability AS previous_probability, p.tier AS previous_tier
     FROM current AS c LEFT JOIN previous AS p USING (customer_id) LEFT JOIN segments AS g USING (customer_id)
     ORDER BY c.customer_id`,
    [options.scoredAt, options.modelVersion, ...(ids ?? []), options.scoredAt],
  );
}

function toChange(row: ScoreRow): ScoreChange {
  let drivers: string[] = [];
  try {
    const parsed = JSON.parse(row.drivers) as { feature?: unknown }[];
    drivers = parsed.flatMap((d) => (typeof d.feature === 'string' ? [d.feature] : []));
  } catch {
    // A malformed drivers cell only means no reason filter can match.
  }
  return {
    customerId: row.customer_id,
    segment: row.segment,
    tier: asTier(row.tier),
    probability: row.probability,
    previousTier: row.previous_tier === null ? null : asTier(row.previous_tier),
    previousProbability: row.previous_probability,
    drivers,
  };
}

function asTier(text: string): TierName {
  return text === 'high' || text === 'medium' ? text : 'low';
}

/**
 * The value of the customers that hit a high_value_threshold rule: their spend (transactions.amount) in the
 * rule's `value_days` before the scoring date. Keyed by valueKey; computed only for those customers.
 */
async function customerValues(
  warehouse: Warehouse,
  scoredAt: string,
  hits: readonly { rule: AlertRule; row: ScoreRow }[],
): Promise<Map<string, number>> {
  const byDays = new Map<number, Set<string>>();
  for (const { rule, row } of hits) {
    if (rule.kind !== 'high_value_threshold') continue;
    const set = byDays.get(rule.value_days) ?? new Set<string>();
    set.add(row.customer_id);
    byDays.set(rule.value_days, set);
  }
  const values = new Map<string, number>();
  for (const [days, set] of byDays) {
    const ids = [...set];
    const rows = await warehouse.all<{ customer_id: string; value: number }>(
      `SELECT customer_id, sum(amount) AS value FROM transactions
       WHERE ts < CAST(? AS TIMESTAMP) AND ts >= CAST(? AS TIMESTAMP) - to_days(CAST(? AS INTEGER))
         AND customer_id IN (${ids.map(() => '?').join(', ')})
       GROUP BY customer_id`,
      [scoredAt, scoredAt, days, ...ids],
    );
    for (const row of rows) values.set(`${days}\u0000${row.customer_id}`, Number(row.value));
  }
  return values;
}

function valueKey(rule: AlertRule & { kind: 'high_value_threshold' }, customerId: string): string {
  return `${rule.value_days}\u0000${customerId}`;
}

function pairKey(rule: string, customerId: string): string {
  return `${rule}\u0000${customerId}`;
}

/**
 * Rule and customer pairs that may not get a new alert: an open one (new or acknowledged), or one closed
 * less than the rule's quiet period before `now`.
 */
async function blockingAlerts(
  tx: SqlRunner,
  alerts: AlertsConfig,
  now: number,
): Promise<Map<string, 'open' | 'quiet'>> {
  const quietDays = new Map(alerts.rules.map((rule) => [rule.name, rule.quiet_days ?? alerts.quiet_days]));
  const longest = Math.max(0, ...quietDays.values());
  const rows = await tx.all<{ rule: string; customer_id: string; status: string; closed_ms: number | null }>(
    `SELECT rule, customer_id, status, epoch_ms(closed_at) AS closed_ms FROM alerts
     WHERE status <> 'closed' OR closed_at > ${TIMESTAMP_PARAM}`,
    [now - longest * DAY_MS],
  );
  const blocked = new Map<string, 'open' | 'quiet'>();
  for (const row of rows) {
    const key = pairKey(row.rule, row.customer_id);
    if (row.status !== 'closed') blocked.set(key, 'open');
    else if (blocked.get(key) !== 'open') {
      const quiet = (quietDays.get(row.rule) ?? alerts.quiet_days) * DAY_MS;
      if (row.closed_ms !== null && Number(row.closed_ms) > now - quiet) blocked.set(key, 'quiet');
    }
  }
  return blocked;
}

async function insertAlerts(
  tx: SqlRunner,
  batch: readonly AlertDraft[],
  options: EvaluateAlertsOptions,
  now: number,
): Promise<void> {
  const params: SqlParam[] = [];
  for (const d of batch) {
    const c = d.change;
    params.push(
      d.id,
      c.customerId,
      d.rule.name,
      d.rule.kind,
      options.scoredAt,
      options.modelVersion,
      c.tier,
      c.previousTier,
      c.probability,
      c.previousProbability,
      d.value,
      d.reasonsEn,
      d.reasonsZh,
      d.drivers,
      now,
    );
  }
  const row = `(?, ?, ?, ?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ${TIMESTAMP_PARAM})`;
  await tx.run(
    `INSERT INTO alerts (id, customer_id, rule, kind, scored_at, model_version, tier, previous_tier, probability,
       previous_probability, customer_value, reasons_en, reasons_zh, drivers, status, created_at)
     VALUES ${batch.map(() => row).join(', ')}`,
    params,
  );
}

async function insertMessages(
  tx: SqlRunner,
  batch: readonly { channel: string; draft: AlertDraft }[],
  options: EvaluateAlertsOptions,
  now: number,
): Promise<void> {
  const params: SqlParam[] = [];
  for (const { channel, draft } of batch) {
    params.push(randomUUID(), draft.id, channel, JSON.stringify(alertEvent(draft, options, now)), now, now);
  }
  const row = `(?, ?, ?, ?, 'pending', 0, ${TIMESTAMP_PARAM}, ${TIMESTAMP_PARAM})`;
  await tx.run(
    `INSERT INTO outbox (id, alert_id, channel, payload, status, attempts, next_attempt_at, created_at)
     VALUES ${batch.map(() => row).join(', ')}`,
    params,
  );
}

function alertEvent(draft: AlertDraft, options: EvaluateAlertsOptions, now: number): AlertEvent {
  const c = draft.change;
  return {
    type: 'alert.created',
    alert: {
      id: draft.id,
      customerId: c.customerId,
      segment: c.segment,
      rule: draft.rule.name,
      kind: draft.rule.kind,
      tier: c.tier,
      previousTier: c.previousTier,
      probability: c.probability,
      previousProbability: c.previousProbability,
      value: draft.value,
      scoredAt: options.scoredAt,
      modelVersion: options.modelVersion,
      reasons: { en: draft.reasonsEn, 'zh-CN': draft.reasonsZh },
      drivers: [...c.drivers],
      createdAt: new Date(now).toISOString(),
    },
  };
}

// The alerts inbox: listing alerts with the customer's profile and delivery state, acknowledging and closing
// them. Closing ends an alert's de-duplication and starts its rule's quiet period (evaluate-alerts.ts).

import { isoTime, TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import type { AlertRuleKind } from './alerts-config.js';

export type AlertStatus = 'new' | 'acknowledged' | 'closed';

export interface AlertQuery {
  statuses?: AlertStatus[];
  tiers?: string[];
  segment?: string;
  /** A driver feature name, or a word of the reasons (en or zh-CN). */
  reason?: string;
  limit: number;
  offset: number;
}

/** An alert as the inbox shows it; personal fields as stored (the route masks them). */
export interface AlertEntry {
  id: string;
  customerId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  segment: string | null;
  rule: string;
  kind: AlertRuleKind;
  tier: string;
  previousTier: string | null;
  probability: number;
  previousProbability: number | null;
  value: number | null;
  reasons: { en: string; 'zh-CN': string };
  drivers: string[];
  scoredAt: string;
  status: AlertStatus;
  createdAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  closedBy: string | null;
  closedAt: string | null;
  /** Outbox messages of the alert by state. */
  delivery: { pending: number; delivered: number; dead: number };
}

const SELECT = `SELECT a.*, CAST(a.scored_at AS VARCHAR) AS scored_day, c.name, c.phone, c.email, c.segment,
    coalesce(o.pending, 0) AS pending, coalesce(o.delivered, 0) AS delivered, coalesce(o.dead, 0) AS dead
  FROM alerts AS a
  LEFT JOIN (SELECT customer_id, any_value(name) AS name, any_value(phone) AS phone, any_value(email) AS email,
      any_value(segment) AS segment FROM customers GROUP BY customer_id) AS c USING (customer_id)
  LEFT JOIN (SELECT alert_id, count(*) FILTER (WHERE status = 'pending') AS pending,
      count(*) FILTER (WHERE status = 'delivered') AS delivered, count(*) FILTER (WHERE status = 'dead') AS dead
    FROM outbox GROUP BY alert_id) AS o ON o.alert_id = a.id`;

/** Alerts matching `query`, newest first, with the total count. */
export async function listAlerts(
  db: SqlRunner,
  query: AlertQuery,
): Promise<{ total: number; alerts: AlertEntry[] }> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const among = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  among('a.status', query.statuses);
  among('a.tier', query.tiers);
  if (query.segment !== undefined) {
    where.push('c.segment = ?');
    params.push(query.segment);
  }
  if (query.reason !== undefined) {
    where.push(`(list_contains(json_extract_string(a.drivers, '$[*].feature'), ?)
      OR a.reasons_en ILIKE ? OR a.reasons_zh LIKE ?)`);
    const like = `%${query.reason.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    params.push(query.reason, like, like);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM (${SELECT} ${filter})`, params);
  const rows = await db.all<Record<string, SqlCell>>(
    `${SELECT} ${filter} ORDER BY a.created_at DESC, a.probability DESC, a.id LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  return { total: Number(count?.n ?? 0), alerts: rows.map(toEntry) };
}

/** One alert, or null. */
export async function getAlert(db: SqlRunner, id: string): Promise<AlertEntry | null> {
  const [row] = await db.all<Record<string, SqlCell>>(`${SELECT} WHERE a.id = ?`, [id]);
  return row ? toEntry(row) : null;
}

/**
 * Marks a new alert acknowledged by `actor`; an acknowledged one stays as it was (acknowledging twice is
 * harmless). Returns 'closed' for a closed alert (it cannot be acknowledged) and null for an unknown id.
 */
export async function acknowledgeAlert(
  db: SqlRunner,
  id: string,
  actor: string | null,
  now: number,
): Promise<'acknowledged' | 'already' | 'closed' | null> {
  const [row] = await db.all<{ status: string }>('SELECT status FROM alerts WHERE id = ?', [id]);
  if (!row) return null;
  if (row.status === 'closed') return 'closed';
  if (row.status === 'acknowledged') return 'already';
  await db.run(
    `UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ${TIMESTAMP_PARAM}
     WHERE id = ? AND status = 'new'`,
    [actor, now, id],
  );
  return 'acknowledged';
}

/** Closes an open alert; 'already' when it was closed, null for an unknown id. */
export async function closeAlert(
  db: SqlRunner,
  id: string,
  actor: string | null,
  now: number,
): Promise<'closed' | 'already' | null> {
  const [row] = await db.all<{ status: string }>('SELECT status FROM alerts WHERE id = ?', [id]);
  if (!row) return null;
  if (row.status === 'closed') return 'already';
  await db.run(
    `UPDATE alerts SET status = 'closed', closed_by = ?, closed_at = ${TIMESTAMP_PARAM} WHERE id = ?`,
    [actor, now, id],
  );
  return 'closed';
}

function toEntry(row: Record<string, SqlCell>): AlertEntry {
  let drivers: string[] = [];
  try {
    drivers = (JSON.parse(row.drivers as string) as { feature: string }[]).map((d) => d.feature);
  } catch {
    drivers = [];
  }
  const num = (cell: SqlCell) => (cell === null ? null : Number(cell));
  return {
    id: row.id as string,
    customerId: row.customer_id as string,
    name: row.name as string | null,
    phone: row.phone as string | null,
    email: row.email as string | null,
    segment: row.segment as string | null,
    rule: row.rule as string,
    kind: row.kind as AlertRuleKind,
    tier: row.tier as string,
    previousTier: row.previous_tier as string | null,
    probability: Number(row.probability),
    previousProbability: num(row.previous_probability),
    value: num(row.customer_value),
    reasons: { en: row.reasons_en as string, 'zh-CN': row.reasons_zh as string },
    drivers,
    scoredAt: row.scored_day as string,
    status: row.status as AlertStatus,
    createdAt: isoTime(row.created_at) ?? '',
    acknowledgedBy: row.acknowledged_by as string | null,
    acknowledgedAt: isoTime(row.acknowledged_at),
    closedBy: row.closed_by as string | null,
    closedAt: isoTime(row.closed_at),
    delivery: { pending: Number(row.pending), delivered: Number(row.delivered), dead: Number(row.dead) },
  };
}

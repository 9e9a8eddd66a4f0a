// The outbox table: claiming due messages, recording the outcome of an attempt, the retry schedule, and
// listing messages for the dashboard. All state is in the table, so delivery survives a restart.
//
//   pending ──send ok──► delivered
//      │ ▲
//      │ └─ failure, attempts < max: next_attempt_at = now + backoff(attempts)
//      └──── failure, attempts = max ──► dead (dead-letter; the dashboard lists it, an operator may retry)
//
// A claimed message gets `next_attempt_at = now + lease`: if the process dies while sending, the message is
// due again once the lease ends and is sent again (at-least-once; receivers dedupe by the message id).

import { epochMs, isoTime, TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import type { OutboxEvent } from './message-text.js';

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** A message as a channel sends it. */
export interface OutboxMessage {
  id: string;
  alertId: string;
  channel: string;
  event: OutboxEvent;
  /** Attempts made before this one. */
  attempts: number;
}

/** The retry schedule. */
export interface BackoffPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Milliseconds to wait after the `attempt`-th failure (1-based): exponential, capped, with "equal jitter"
 * (half the delay fixed, half random) so that receivers coming back up are not hit by every sender at once:
 *   d = min(maxDelay, baseDelay × 2^(attempt − 1));  wait = d/2 + random × d/2
 * (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + random() * (d / 2));
}

/** Claims up to `limit` pending messages due at `now`, oldest due first, leasing them for `leaseMs`. */
export async function claimDue(
  db: SqlRunner,
  now: number,
  limit: number,
  leaseMs: number,
): Promise<OutboxMessage[]> {
  const rows = await db.all<{
    id: string;
    alert_id: string;
    channel: string;
    payload: string;
    attempts: number;
  }>(
    `UPDATE outbox SET next_attempt_at = ${TIMESTAMP_PARAM}
     WHERE id IN (
       SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ${TIMESTAMP_PARAM}
       ORDER BY next_attempt_at, id LIMIT ?)
     RETURNING id, alert_id, channel, payload, attempts`,
    [now + leaseMs, now, limit],
  );
  return rows
    .map((row) => ({
      id: row.id,
      alertId: row.alert_id,
      channel: row.channel,
      event: JSON.parse(row.payload) as OutboxEvent,
      attempts: Number(row.attempts),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Records a successful attempt. */
export async function markDelivered(db: SqlRunner, id: string, now: number): Promise<void> {
  await db.run(
    `UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ${TIMESTAMP_PARAM},
       last_error = NULL
     WHERE id = ? AND status = 'pending'`,
    [now, id],
  );
}

/** A failed attempt: what went wrong, and whether retrying can help at all. */
export interface Failure {
  error: string;
  /** The receiver refused the message itself: dead at once, whatever attempts are left. */
  permanent: boolean;
}

/**
 * Records a failed attempt: a retry after the backoff, or dead once `maxAttempts` are used or the failure is
 * permanent. Returns the status.
 */
export async function markFailed(
  db: SqlRunner,
  message: OutboxMessage,
  { error, permanent }: Failure,
  now: number,
  policy: BackoffPolicy,
  random?: () => number,
): Promise<OutboxStatus> {
  const attempts = message.attempts + 1;
  const dead = permanent || attempts >= policy.maxAttempts;
  const next = dead ? now : now + backoffDelay(attempts, policy, random);
  await db.run(
    `UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ${TIMESTAMP_PARAM}, last_error = ?
     WHERE id = ? AND status = 'pending'`,
    [dead ? 'dead' : 'pending', attempts, next, error.slice(0, 1000), message.id],
  );
  return dead ? 'dead' : 'pending';
}

/** Puts a dead message back in the queue with a fresh set of attempts; false when it is not dead. */
export async function retryDead(db: SqlRunner, id: string, now: number): Promise<boolean> {
  const changed = await db.run(
    `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ${TIMESTAMP_PARAM}
     WHERE id = ? AND status = 'dead'`,
    [now, id],
  );
  return changed > 0;
}

/** A message as the dashboard lists it. */
export interface OutboxEntry {
  id: string;
  alertId: string;
  customerId: string | null;
  rule: string | null;
  channel: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Messages, newest first, optionally of one status; with the total count. */
export async function listOutbox(
  db: SqlRunner,
  query: { status?: OutboxStatus; channel?: string; limit: number; offset: number },
): Promise<{ total: number; messages: OutboxEntry[] }> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.status) {
    where.push('o.status = ?');
    params.push(query.status);
  }
  if (query.channel) {
    where.push('o.channel = ?');
    params.push(query.channel);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM outbox AS o ${filter}`, params);
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT o.id, o.alert_id, a.customer_id, a.rule, o.channel, o.status, o.attempts, o.next_attempt_at,
       o.last_error, o.created_at, o.delivered_at
     FROM outbox AS o LEFT JOIN alerts AS a ON a.id = o.alert_id ${filter}
     ORDER BY o.created_at DESC, o.id LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  return {
    total: Number(count?.n ?? 0),
    messages: rows.map((row) => ({
      id: row.id as string,
      alertId: row.alert_id as string,
      customerId: row.customer_id as string | null,
      rule: row.rule as string | null,
      channel: row.channel as string,
      status: row.status as OutboxStatus,
      attempts: Number(row.attempts),
      nextAttemptAt: row.status === 'pending' ? isoTime(row.next_attempt_at) : null,
      lastError: row.last_error as string | null,
      createdAt: isoTime(row.created_at) ?? '',
      deliveredAt: isoTime(row.delivered_at),
    })),
  };
}

/** Epoch ms of the earliest pending message's next attempt, or null when none is pending. */
export async function nextDue(db: SqlRunner): Promise<number | null> {
  const [row] = await db.all<{ next: SqlCell }>(
    "SELECT min(next_attempt_at) AS next FROM outbox WHERE status = 'pending'",
  );
  return row ? epochMs(row.next) : null;
}

// The audit log: who did what, when, to what, from where. Entries are only ever appended; writers pass the
// same runner as the change they record, so a change and its entry commit together.

import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import { isoTime, TIMESTAMP_PARAM } from './sql-time.js';

/** What can be recorded; later areas add theirs (unmasked reads, ingests, training runs). */
export type AuditAction =
  | 'login.success'
  | 'login.failure'
  | 'logout'
  | 'password.change'
  | 'user.create'
  | 'user.update'
  | 'user.delete'
  | 'token.create'
  | 'token.revoke'
  | 'admin.bootstrap'
  // Personal fields (name, phone, e-mail) shown unmasked: one customer's view, or a page of the list.
  | 'customer.read-unmasked'
  | 'customers.list-unmasked'
  // Data appended through the API (target: the source), and jobs started (target: the job's kind).
  | 'data.append'
  | 'job.start'
  // Alerts acknowledged or closed in the inbox (target: the alert id), a dead outbox message re-queued.
  | 'alert.ack'
  | 'alert.close'
  | 'alert.retry-delivery'
  // The alert rules rewritten from the dashboard (detail: the rules before and after).
  | 'alert-rules.update'
  // Retention (target: the strategy, feature or campaign): library edits, operators' parameter overrides,
  // cause-tag changes, campaign launches and action exports.
  | 'strategy.create'
  | 'strategy.update'
  | 'strategy.override'
  | 'cause-tag.update'
  | 'campaign.launch'
  | 'campaign.export'
  | 'campaign.dispatch';

/** Who acted: a user, a token, or the system itself (null name). */
export interface Actor {
  /** Username, `token:<name>`, or null for the system. */
  name: string | null;
  role: string | null;
  /** Client address, when the action came over HTTP. */
  ip: string | null;
  /** The acting user's id, for rules such as "an admin cannot delete themselves"; not stored. */
  userId?: string;
}

/** The system as an actor: first start, maintenance. */
export const SYSTEM: Actor = { name: null, role: null, ip: null };

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  actorRole: string | null;
  action: string;
  target: string | null;
  /** Free-form facts as JSON text parsed back, e.g. `{ "reason": "wrong password" }`. */
  detail: Record<string, unknown> | null;
  ip: string | null;
}

/** Appends one entry at time `at` (epoch ms). */
export async function recordAudit(
  db: SqlRunner,
  at: number,
  actor: Actor,
  action: AuditAction,
  target: string | null,
  detail: Record<string, unknown> | null = null,
): Promise<void> {
  await recordAudits(db, [{ at, actor, action, target, detail }]);
}

/** One entry to append: what recordAudit takes. */
export interface NewAuditEntry {
  /** Epoch ms. */
  at: number;
  actor: Actor;
  action: AuditAction;
  target: string | null;
  detail: Record<string, unknown> | null;
}

/** Appends `entries` in one statement (nothing for an empty list). */
export async function recordAudits(db: SqlRunner, entries: readonly NewAuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(() => `(${TIMESTAMP_PARAM}, ?, ?, ?, ?, ?, ?)`).join(', ');
  await db.run(
    `INSERT INTO audit_log (occurred_at, actor, actor_role, action, target, detail, ip) VALUES ${rows}`,
    entries.flatMap((entry) => [
      entry.at,
      entry.actor.name,
      entry.actor.role,
      entry.action,
      entry.target,
      entry.detail === null ? null : JSON.stringify(entry.detail),
      entry.actor.ip,
    ]),
  );
}

export interface AuditQuery {
  /** Newest entries first; at most this many (1–1000). */
  limit: number;
  /** Only entries older than this id: the next page after a page ending at `before`. */
  before?: number;
  action?: string;
  actor?: string;
}

/** Audit entries, newest first, filtered and paged by `query`. */
export async function listAudit(db: SqlRunner, query: AuditQuery): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.before !== undefined) {
    where.push('audit_id < ?');
    params.push(query.before);
  }
  if (query.action !== undefined) {
    where.push('action = ?');
    params.push(query.action);
  }
  if (query.actor !== undefined) {
    where.push('actor = ?');
    params.push(query.actor);
  }
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT audit_id, occurred_at, actor, actor_role, action, target, detail, ip FROM audit_log
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY audit_id DESC LIMIT ?`,
    [...params, query.limit],
  );
  return rows.map((row) => ({
    id: Number(row.audit_id),
    at: isoTime(row.occurred_at) ?? '',
    actor: row.actor as string | null,
    actorRole: row.actor_role as string | null,
    action: row.action as string,
    target: row.target as string | null,
    detail: row.detail === null ? null : (JSON.parse(row.detail as string) as Record<string, unknown>),
    ip: row.ip as string | null,
  }));
}

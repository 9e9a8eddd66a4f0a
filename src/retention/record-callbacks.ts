// Callbacks (R18): the receiving systems report what happened to each action (issued, delivered, opened,
// redeemed, contacted). Idempotent by (action id, status): the first report is kept, a repeat is counted
// as a duplicate and changes nothing, an unknown action id is reported on its row. One transaction per batch.

import { TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlRunner } from '../warehouse/warehouse.js';

/** What can happen to an action, roughly in order (a system may skip steps). */
export const ACTION_STATUSES = ['issued', 'delivered', 'opened', 'redeemed', 'contacted'] as const;

export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface CallbackEvent {
  actionId: string;
  status: ActionStatus;
  /** When it happened (epoch ms); default the time it was received. */
  occurredAt?: number;
  detail?: string;
}

export type CallbackOutcome = 'recorded' | 'duplicate' | 'unknown_action';

export interface CallbackReport {
  recorded: number;
  duplicates: number;
  unknown: number;
  /** One per event, in the order sent. */
  results: { index: number; actionId: string; status: ActionStatus; outcome: CallbackOutcome }[];
}

/** A JSON list of action ids as a table, one `action_id` column (one parameter, however many ids). */
const IDS_SQL = `SELECT unnest(from_json(CAST(? AS JSON), '["VARCHAR"]')) AS action_id`;

const EVENT_JSON_SHAPE = JSON.stringify([
  { action_id: 'VARCHAR', status: 'VARCHAR', occurred_ms: 'BIGINT', detail: 'VARCHAR' },
]);

/** Records a batch of callbacks (pass a transaction's runner so the batch lands whole or not at all). */
export async function recordCallbacks(
  tx: SqlRunner,
  events: readonly CallbackEvent[],
  now: number,
): Promise<CallbackReport> {
  const ids = JSON.stringify([...new Set(events.map((e) => e.actionId))]);
  const known = new Set(
    (
      await tx.all<{ action_id: string }>(
        `SELECT action_id FROM campaign_members WHERE action_id IN (${IDS_SQL})`,
        [ids],
      )
    ).map((row) => row.action_id),
  );
  const seen = new Set(
    (
      await tx.all<{ action_id: string; status: string }>(
        `SELECT action_id, status FROM action_events WHERE action_id IN (${IDS_SQL})`,
        [ids],
      )
    ).map((row) => eventKey(row.action_id, row.status)),
  );
  const report: CallbackReport = { recorded: 0, duplicates: 0, unknown: 0, results: [] };
  const fresh: CallbackEvent[] = [];
  events.forEach((event, index) => {
    let outcome: CallbackOutcome;
    const key = eventKey(event.actionId, event.status);
    if (!known.has(event.actionId)) outcome = 'unknown_action';
    else if (seen.has(key)) outcome = 'duplicate';
    else {
      outcome = 'recorded';
      seen.add(key);
      fresh.push(event);
    }
    report[outcome === 'recorded' ? 'recorded' : outcome === 'duplicate' ? 'duplicates' : 'unknown']++;
    report.results.push({ index, actionId: event.actionId, status: event.status, outcome });
  });
  if (fresh.length > 0) {
    const rows = fresh.map((e) => ({
      action_id: e.actionId,
      status: e.status,
      occurred_ms: e.occurredAt ?? now,
      detail: e.detail ?? null,
    }));
    await tx.run(
      `INSERT INTO action_events (action_id, status, occurred_at, received_at, detail)
       SELECT r.action_id, r.status, make_timestamp(r.occurred_ms * 1000), ${TIMESTAMP_PARAM}, r.detail
       FROM (SELECT unnest(from_json(CAST(? AS JSON), '${EVENT_JSON_SHAPE}')) AS r)`,
      [now, JSON.stringify(rows)],
    );
  }
  return report;
}

function eventKey(actionId: string, status: string): string {
  return `${actionId}\u0000${status}`;
}

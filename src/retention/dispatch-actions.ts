// Sending a campaign's actions to a marketing, SMS or service system's webhook (R18): the treated members'
// actions in batches of `batch_size`, each batch one outbox message for the delivery loop (signed, retried
// with backoff, dead-lettered; src/alerts/deliver.ts). Written in the caller's transaction with a row in
// `campaign_dispatches`, so a campaign's actions go to a webhook once: sending again queues nothing.

import { createHash } from 'node:crypto';
import type { CampaignAction, CampaignActionsEvent } from '../alerts/campaign-actions-event.js';
import { type Actor, recordAudit } from '../security/audit-log.js';
import { isoTime, TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import { treatedActions } from './export-actions.js';
import type { ActionWebhookConfig } from './retention-config.js';

/** A campaign's actions as sent to one webhook, with where their batches are. */
export interface Dispatch {
  campaignId: string;
  webhook: string;
  actions: number;
  batches: number;
  createdAt: string;
  createdBy: string | null;
  /** Batches per outbox state. */
  delivered: number;
  pending: number;
  dead: number;
  /** The last error of a batch not yet delivered, if any. */
  lastError: string | null;
}

/** What `dispatchActions` did: `queued` false when the actions had already gone to this webhook. */
export interface DispatchResult {
  queued: boolean;
  dispatch: Dispatch;
}

/**
 * Queues the treated actions of `campaignId` for `webhook`, or finds them queued before; null when the
 * campaign does not exist. Run it in a transaction: the dispatch row and its messages land together.
 */
export async function dispatchActions(
  tx: SqlRunner,
  campaignId: string,
  webhook: ActionWebhookConfig,
  actor: Actor,
  now: number,
): Promise<DispatchResult | null> {
  const [campaign] = await tx.all<{ id: string; name: string }>(
    'SELECT id, name FROM campaigns WHERE id = ?',
    [campaignId],
  );
  if (!campaign) return null;
  const before = await getDispatch(tx, campaignId, webhook.name);
  if (before) return { queued: false, dispatch: before };
  const actions = (await treatedActions(tx, campaignId)).map(toAction);
  const count = Math.ceil(actions.length / webhook.batch_size);
  for (let index = 0; index < count; index++) {
    const event: CampaignActionsEvent = {
      type: 'campaign.actions',
      campaign: { id: campaign.id, name: campaign.name },
      batch: { index: index + 1, count, actions: actions.length },
      actions: actions.slice(index * webhook.batch_size, (index + 1) * webhook.batch_size),
    };
    await tx.run(
      `INSERT INTO outbox (id, alert_id, channel, payload, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, 'pending', 0, ${TIMESTAMP_PARAM}, ${TIMESTAMP_PARAM})`,
      [batchId(campaignId, webhook.name, index), campaignId, webhook.name, JSON.stringify(event), now, now],
    );
  }
  await tx.run(
    `INSERT INTO campaign_dispatches (campaign_id, webhook, actions, batches, created_at, created_by)
     VALUES (?, ?, ?, ?, ${TIMESTAMP_PARAM}, ?)`,
    [campaignId, webhook.name, actions.length, count, now, actor.name],
  );
  await recordAudit(tx, now, actor, 'campaign.dispatch', campaignId, {
    webhook: webhook.name,
    actions: actions.length,
    batches: count,
  });
  return { queued: true, dispatch: (await getDispatch(tx, campaignId, webhook.name))! };
}

/** The campaign's dispatches, oldest first; null when the campaign does not exist. */
export async function listDispatches(db: SqlRunner, campaignId: string): Promise<Dispatch[] | null> {
  const [campaign] = await db.all('SELECT id FROM campaigns WHERE id = ?', [campaignId]);
  if (!campaign) return null;
  return readDispatches(db, 'd.campaign_id = ?', [campaignId]);
}

async function getDispatch(db: SqlRunner, campaignId: string, webhook: string): Promise<Dispatch | null> {
  const [dispatch] = await readDispatches(db, 'd.campaign_id = ? AND d.webhook = ?', [campaignId, webhook]);
  return dispatch ?? null;
}

async function readDispatches(db: SqlRunner, where: string, params: string[]): Promise<Dispatch[]> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT d.campaign_id, d.webhook, d.actions, d.batches, d.created_at, d.created_by,
       count(*) FILTER (WHERE o.status = 'delivered') AS delivered,
       count(*) FILTER (WHERE o.status = 'pending') AS pending,
       count(*) FILTER (WHERE o.status = 'dead') AS dead,
       max(o.last_error) FILTER (WHERE o.status <> 'delivered') AS last_error
     FROM campaign_dispatches AS d
       LEFT JOIN outbox AS o ON o.alert_id = d.campaign_id AND o.channel = d.webhook
     WHERE ${where}
     GROUP BY ALL ORDER BY d.created_at, d.webhook`,
    params,
  );
  return rows.map((row) => ({
    campaignId: String(row.campaign_id),
    webhook: String(row.webhook),
    actions: Number(row.actions),
    batches: Number(row.batches),
    createdAt: isoTime(row.created_at) ?? '',
    createdBy: row.created_by === null ? null : String(row.created_by),
    delivered: Number(row.delivered),
    pending: Number(row.pending),
    dead: Number(row.dead),
    lastError: row.last_error === null ? null : String(row.last_error),
  }));
}

/** The outbox id of batch `index`: the receiver's idempotency key, the same on every retry. */
function batchId(campaignId: string, webhook: string, index: number): string {
  const hash = createHash('sha256').update(`${campaignId}\u0000${webhook}\u0000${index}`).digest('hex');
  return `bat_${hash.slice(0, 24)}`;
}

function toAction(row: Record<string, SqlCell>): CampaignAction {
  return {
    actionId: String(row.action_id),
    customerId: String(row.customer_id),
    strategyId: String(row.strategy_id),
    actionKind: row.action_kind === null ? null : String(row.action_kind),
    channel: row.channel === null ? null : String(row.channel),
    parameters: JSON.parse(String(row.parameters)) as Record<string, unknown>,
    unitCost: Number(row.unit_cost),
    tier: String(row.tier),
    probability: Number(row.probability),
  };
}

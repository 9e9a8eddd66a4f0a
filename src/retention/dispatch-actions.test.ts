import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignActionsEvent } from '../alerts/campaign-actions-event.js';
import { actionWebhookChannels } from '../alerts/channels/channels.js';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from '../alerts/channels/webhook.js';
import { deliverDue } from '../alerts/deliver.js';
import { type Receiver, startReceiver } from '../alerts/testing/receiver.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { launchCampaign } from './create-campaign.js';
import { dispatchActions, listDispatches } from './dispatch-actions.js';
import { retentionSchema } from './retention-config.js';
import { launchTestCampaign, TEST_ACTOR } from './testing/retention-fixtures.js';

const SECRET = 'crm secret';
const T0 = Date.UTC(2025, 0, 6, 9);
const POLICY = { maxAttempts: 3, baseDelayMs: 10_000, maxDelayMs: 60_000 };
let w: Warehouse;
let campaignId: string;
let treatedActions: string[];
let receiver: Receiver | null = null;

/** The action webhook `crm` at `url`, 5 actions a batch. */
function crm(url = 'http://127.0.0.1:9/actions') {
  return retentionSchema.parse({
    action_webhooks: [{ name: 'crm', url, secret: SECRET, batch_size: 5, timeout_ms: 1000 }],
  }).action_webhooks[0]!;
}

const dispatch = (webhook = crm(), id = campaignId) =>
  w.transaction((tx) => dispatchActions(tx, id, webhook, TEST_ACTOR, T0));

async function outbox(): Promise<{ id: string; status: string; event: CampaignActionsEvent }[]> {
  const rows = await w.all<{ id: string; status: string; payload: string }>(
    'SELECT id, status, payload FROM outbox ORDER BY id',
  );
  return rows.map((row) => ({ id: row.id, status: row.status, event: JSON.parse(row.payload) }));
}

beforeEach(async () => {
  w = await openWarehouse(':memory:');
  ({ campaignId, actionIds: treatedActions } = await launchTestCampaign(w, T0));
  expect(treatedActions).toHaveLength(18);
});
afterEach(async () => {
  await receiver?.close();
  receiver = null;
  w.close();
});

describe('dispatchActions', () => {
  it('queues every treated action once, in batches, with the campaign as the message source', async () => {
    const result = await dispatch();
    expect(result).toMatchObject({
      queued: true,
      dispatch: { campaignId, webhook: 'crm', actions: 18, batches: 4, pending: 4, delivered: 0, dead: 0 },
    });
    const messages = await outbox();
    expect(messages).toHaveLength(4);
    const events = messages.map((m) => m.event).sort((a, b) => a.batch.index - b.batch.index);
    expect(events.map((e) => [e.batch.index, e.batch.count, e.actions.length])).toEqual([
      [1, 4, 5],
      [2, 4, 5],
      [3, 4, 5],
      [4, 4, 3],
    ]);
    // Every treated member's action exactly once, in customer order; no control member, no personal field.
    expect(events.flatMap((e) => e.actions.map((a) => a.actionId))).toEqual(treatedActions);
    const first = events[0]!.actions[0]!;
    expect(Object.keys(first).sort()).toEqual(
      [
        'actionId',
        'actionKind',
        'channel',
        'customerId',
        'parameters',
        'probability',
        'strategyId',
        'tier',
        'unitCost',
      ].sort(),
    );
    expect(first.actionKind).toBe('reengagement');
    expect(typeof first.parameters).toBe('object');
    const sources = await w.all<{ alert_id: string; channel: string }>(
      'SELECT DISTINCT alert_id, channel FROM outbox',
    );
    expect(sources).toEqual([{ alert_id: campaignId, channel: 'crm' }]);
    const [audit] = await w.all<{ action: string; target: string; detail: string }>(
      "SELECT action, target, detail FROM audit_log WHERE action = 'campaign.dispatch'",
    );
    expect(audit?.target).toBe(campaignId);
    expect(JSON.parse(audit!.detail)).toEqual({ webhook: 'crm', actions: 18, batches: 4 });
  });

  it('sends a campaign to a webhook once: a repeat queues nothing, even with another batch size', async () => {
    await dispatch();
    const again = await dispatch(
      retentionSchema.parse({
        action_webhooks: [{ name: 'crm', url: 'http://127.0.0.1:9/x', secret: SECRET, batch_size: 2 }],
      }).action_webhooks[0]!,
    );
    expect(again).toMatchObject({ queued: false, dispatch: { batches: 4, actions: 18 } });
    expect(await outbox()).toHaveLength(4);
    expect(await listDispatches(w, campaignId)).toHaveLength(1);
    expect(await dispatch(crm(), 'no-such-campaign')).toBeNull();
  });

  it('is delivered signed through the outbox, and a receiver that is down ends in the dead letters', async () => {
    receiver = await startReceiver();
    const [channel] = actionWebhookChannels([crm(`${receiver.url}/actions`)]);
    await dispatch(crm(`${receiver.url}/actions`));
    const pass = await deliverDue(w, { channels: [channel!], policy: POLICY, clock: () => T0 });
    expect(pass).toEqual({ delivered: 4, retried: 0, dead: 0 });
    const received = receiver.requests.map((request) => {
      const header = (name: string) => String(request.headers[name.toLowerCase()]);
      expect(
        verifyWebhookSignature(
          SECRET,
          header(WEBHOOK_HEADERS.timestamp),
          request.body,
          header(WEBHOOK_HEADERS.signature),
          T0 / 1000,
        ),
      ).toBe(true);
      const body = JSON.parse(request.body) as CampaignActionsEvent & { id: string };
      expect(body.id).toBe(header(WEBHOOK_HEADERS.id));
      expect(body.type).toBe('campaign.actions');
      return body.actions.map((a) => a.actionId);
    });
    expect(received.flat().sort()).toEqual([...treatedActions].sort());
    expect((await listDispatches(w, campaignId))![0]).toMatchObject({ delivered: 4, pending: 0, dead: 0 });

    // A second campaign to a receiver that answers 503: retried with backoff, then dead, and said so.
    await receiver.close();
    receiver = await startReceiver(() => ({ status: 503, body: 'maintenance' }));
    const down = crm(`${receiver.url}/actions`);
    const later = await w.transaction((tx) =>
      launchCampaign(tx, { name: 'again', mode: 'match', target: {}, budget: null, seed: 2 }, TEST_ACTOR, T0),
    );
    await dispatch(down, later.id);
    let now = T0;
    for (let attempt = 0; attempt < POLICY.maxAttempts; attempt++) {
      await deliverDue(w, { channels: actionWebhookChannels([down]), policy: POLICY, clock: () => now });
      now += POLICY.maxDelayMs;
    }
    const [failed] = (await listDispatches(w, later.id))!;
    expect(failed).toMatchObject({ batches: 4, delivered: 0, pending: 0, dead: 4 });
    expect(failed!.lastError).toMatch(/HTTP 503 maintenance/);
    expect(receiver.requests).toHaveLength(4 * POLICY.maxAttempts);
  });
});

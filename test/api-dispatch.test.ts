// Sending a campaign's actions to a marketing system over the real server on 127.0.0.1: the configured
// action webhooks, a dispatch (once per campaign and webhook), clear errors, and delivery by the same loop
// `churnwatch serve` runs, to a local receiver that checks the signature.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignActionsEvent } from '../src/alerts/campaign-actions-event.js';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from '../src/alerts/channels/webhook.js';
import { startWorkspaceDelivery } from '../src/alerts/serve-delivery.js';
import { type Receiver, startReceiver } from '../src/alerts/testing/receiver.js';
import { addScoredCustomers } from '../src/retention/testing/retention-fixtures.js';
import {
  errorOf,
  signedInClient,
  startTestServer,
  type TestServer,
} from '../src/server/testing/test-server.js';

const PASSWORD = 'dispatch password 1';
const SECRET = 'shared with the CRM';
let server: TestServer;
let receiver: Receiver;
let workspace: string;
let campaignId: string;

interface DispatchBody {
  queued: boolean;
  dispatch: {
    webhook: string;
    actions: number;
    batches: number;
    delivered: number;
    pending: number;
    dead: number;
  };
}

beforeAll(async () => {
  receiver = await startReceiver((request) => {
    const header = (name: string) => String(request.headers[name.toLowerCase()]);
    const signed = verifyWebhookSignature(
      SECRET,
      header(WEBHOOK_HEADERS.timestamp),
      request.body,
      header(WEBHOOK_HEADERS.signature),
      Math.floor(Date.now() / 1000),
    );
    return signed ? { status: 200, body: '{"ok":true}' } : { status: 401, body: 'bad signature' };
  });
  workspace = mkdtempSync(join(tmpdir(), 'churnwatch-dispatch-'));
  writeFileSync(
    join(workspace, 'churnwatch.yaml'),
    [
      'sources:\n  events: { path: data/events.csv }',
      'churn:\n  kind: non_contractual\n  horizon_days: 90',
      'alerts:\n  delivery: { max_attempts: 3, base_delay_seconds: 1, max_delay_seconds: 2, poll_seconds: 1 }',
      `retention:\n  action_webhooks:\n    - { name: crm, url: '${receiver.url}/actions', secret: '${SECRET}', batch_size: 40 }`,
      '',
    ].join('\n'),
  );
  server = await startTestServer({ workspace });
  await addScoredCustomers(
    server.warehouse,
    Array.from({ length: 100 }, (_, i) => ({
      id: `D${String(i).padStart(3, '0')}`,
      probability: 0.85,
      spend: 400,
      drivers: ['spend_trend_90d'],
    })),
  );
  const analyst = (await signedInClient(server, 'analyst', PASSWORD)).client;
  const strategy = await analyst.request('POST', '/api/strategies', {
    json: { templateId: 'ecommerce-coupon' },
  });
  expect(strategy.status, strategy.text).toBe(201);
  const operator = (await signedInClient(server, 'operator', PASSWORD)).client;
  const launched = await operator.request('POST', '/api/campaigns', {
    json: { name: 'To the CRM', seed: 5 },
  });
  expect(launched.status, launched.text).toBe(201);
  campaignId = (launched.body as { id: string }).id;
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('sending a campaign’s actions to an action webhook', () => {
  it('lists the configured webhooks without their secrets', async () => {
    const viewer = (await signedInClient(server, 'viewer', PASSWORD)).client;
    const list = await viewer.request('GET', '/api/action-webhooks');
    expect(list.status, list.text).toBe(200);
    expect(list.body).toEqual({
      webhooks: [{ name: 'crm', host: new URL(receiver.url).host, batchSize: 40 }],
    });
    expect(list.text).not.toContain(SECRET);
  });

  it('answers an unknown webhook with 400 naming the field, an unknown campaign with 404', async () => {
    const operator = (await signedInClient(server, 'operator', PASSWORD)).client;
    const unknown = await operator.request('POST', `/api/campaigns/${campaignId}/dispatches`, {
      json: { webhook: 'erp' },
    });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ code: 'unknown_webhook', where: 'body.webhook' });
    expect(errorOf(unknown).message).toContain('one of crm');
    const missing = await operator.request('POST', '/api/campaigns/nope/dispatches', {
      json: { webhook: 'crm' },
    });
    expect(missing.status).toBe(404);
    expect((await operator.request('GET', '/api/campaigns/nope/dispatches')).status).toBe(404);
    expect(await server.warehouse.all('SELECT * FROM outbox')).toEqual([]);
  });

  it('queues the treated actions once, and the delivery loop hands every one to the receiver', async () => {
    const operator = (await signedInClient(server, 'operator', PASSWORD)).client;
    const sent = await operator.request('POST', `/api/campaigns/${campaignId}/dispatches`, {
      json: { webhook: 'crm' },
    });
    expect(sent.status, sent.text).toBe(200);
    const body = sent.body as DispatchBody;
    expect(body).toMatchObject({
      queued: true,
      dispatch: { webhook: 'crm', actions: 90, batches: 3, pending: 3 },
    });
    const again = await operator.request('POST', `/api/campaigns/${campaignId}/dispatches`, {
      json: { webhook: 'crm' },
    });
    expect((again.body as DispatchBody).queued).toBe(false);

    const loop = startWorkspaceDelivery(server.warehouse, workspace, (line) => {
      throw new Error(line);
    });
    expect(loop).not.toBeNull();
    try {
      await loop!.nextPass();
    } finally {
      await loop!.stop();
    }
    const list = await operator.request('GET', `/api/campaigns/${campaignId}/dispatches`);
    expect(list.status, list.text).toBe(200);
    expect((list.body as { dispatches: DispatchBody['dispatch'][] }).dispatches).toMatchObject([
      { webhook: 'crm', actions: 90, batches: 3, delivered: 3, pending: 0, dead: 0 },
    ]);
    const actions = receiver.requests.flatMap((r) => (JSON.parse(r.body) as CampaignActionsEvent).actions);
    expect(new Set(actions.map((a) => a.actionId)).size).toBe(90);
    const treated = await server.warehouse.all<{ action_id: string }>(
      "SELECT action_id FROM campaign_members WHERE arm = 'treated' ORDER BY customer_id",
    );
    // The batches travel concurrently: the receiver gets every action once, in whatever order they land.
    expect(actions.map((a) => a.actionId).sort()).toEqual(treated.map((t) => t.action_id).sort());
  });

  it('delivers to a webhook added to churnwatch.yaml while the loop runs, without a restart', async () => {
    const erp = await startReceiver();
    const loop = startWorkspaceDelivery(server.warehouse, workspace, (line) => {
      throw new Error(line);
    });
    try {
      await loop!.nextPass();
      const config = join(workspace, 'churnwatch.yaml');
      writeFileSync(
        config,
        `${readFileSync(config, 'utf8')}    - { name: erp, url: '${erp.url}/in', secret: '${SECRET}' }\n`,
      );
      const operator = (await signedInClient(server, 'operator', PASSWORD)).client;
      const sent = await operator.request('POST', `/api/campaigns/${campaignId}/dispatches`, {
        json: { webhook: 'erp' },
      });
      expect(sent.status, sent.text).toBe(200);
      loop!.wake();
      expect(await loop!.nextPass()).toMatchObject({ delivered: 1, dead: 0 });
      expect(erp.requests).toHaveLength(1);
      expect((JSON.parse(erp.requests[0]!.body) as CampaignActionsEvent).actions).toHaveLength(90);
    } finally {
      await loop!.stop();
      await erp.close();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { channelsFromConfig } from './channels/channels.js';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from './channels/webhook.js';
import { backoffPolicy, deliverDue, startDeliveryLoop } from './deliver.js';
import { evaluateAlerts } from './evaluate-alerts.js';
import { backoffDelay, claimDue, listOutbox, retryDead } from './outbox.js';
import { addCustomer, addScore, alertsConfig } from './testing/alert-fixtures.js';
import { type Receiver, startReceiver } from './testing/receiver.js';

const SECRET = 'test secret ☂';
const T0 = Date.UTC(2025, 0, 10, 8, 0, 0);
let warehouse: Warehouse;
let receiver: Receiver | null = null;
let now = T0;
const clock = () => now;

afterEach(async () => {
  await receiver?.close();
  receiver = null;
  warehouse?.close();
  warehouse = undefined as unknown as Warehouse;
});

function section(url: string, delivery: Record<string, number> = {}) {
  return alertsConfig({
    rules: [{ name: 'hi', kind: 'enters_tier', tier: 'high' }],
    channels: [{ name: 'crm', kind: 'webhook', url: `${url}/hook`, secret: SECRET, timeout_ms: 500 }],
    delivery: { max_attempts: 4, base_delay_seconds: 10, max_delay_seconds: 60, ...delivery },
  });
}

/** `n` customers rising low → high, and the alerts (one webhook message each). */
async function seedAlerts(alerts: ReturnType<typeof section>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = `c${String(i).padStart(2, '0')}`;
    await addCustomer(warehouse, id, 'vip');
    await addScore(warehouse, id, '2025-01-01', 0.2);
    await addScore(warehouse, id, '2025-01-08', 0.9);
  }
  const result = await evaluateAlerts(warehouse, {
    config: { alerts },
    scoredAt: '2025-01-08',
    modelVersion: 1,
    now,
  });
  expect(result.messages).toBe(n);
}

async function statuses(): Promise<Record<string, number>> {
  const rows = await warehouse.all<{ status: string; n: number }>(
    'SELECT status, count(*) AS n FROM outbox GROUP BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

describe('backoffDelay', () => {
  const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 10_000 };
  it('doubles per failure, is capped, and jitters within the upper half', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(2000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(4, policy);
      expect(d >= 4000 && d <= 8000).toBe(true);
    }
  });
});

describe('delivery through the webhook channel', () => {
  beforeEach(async () => {
    warehouse = await openWarehouse(':memory:');
    now = T0;
  });

  it('POSTs the alert signed with HMAC-SHA256 over timestamp.body and marks it delivered', async () => {
    receiver = await startReceiver();
    const alerts = section(receiver.url);
    await seedAlerts(alerts, 2);
    const pass = await deliverDue(warehouse, {
      channels: channelsFromConfig(alerts),
      policy: backoffPolicy(alerts.delivery),
      clock,
    });
    expect(pass).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(await statuses()).toEqual({ delivered: 2 });
    for (const request of receiver.requests) {
      const h = request.headers;
      const timestamp = h[WEBHOOK_HEADERS.timestamp.toLowerCase()] as string;
      const signature = h[WEBHOOK_HEADERS.signature.toLowerCase()] as string;
      expect(timestamp).toBe(String(T0 / 1000));
      expect(verifyWebhookSignature(SECRET, timestamp, request.body, signature, T0 / 1000)).toBe(true);
      expect(verifyWebhookSignature('wrong', timestamp, request.body, signature, T0 / 1000)).toBe(false);
      expect(verifyWebhookSignature(SECRET, timestamp, `${request.body} `, signature, T0 / 1000)).toBe(false);
      expect(verifyWebhookSignature(SECRET, timestamp, request.body, signature, T0 / 1000 + 301)).toBe(false);
      const body = JSON.parse(request.body) as { id: string; type: string; alert: { tier: string } };
      expect(h['idempotency-key']).toBe(body.id);
      expect(h[WEBHOOK_HEADERS.id.toLowerCase()]).toBe(body.id);
      expect(body).toMatchObject({ type: 'alert.created', alert: { tier: 'high' } });
    }
    expect(
      await deliverDue(warehouse, {
        channels: channelsFromConfig(alerts),
        policy: backoffPolicy(alerts.delivery),
        clock,
      }),
    ).toEqual({
      delivered: 0,
      retried: 0,
      dead: 0,
    });
  });

  it('retries with backoff while the receiver fails, and delivers once it answers', async () => {
    receiver = await startReceiver((_, index) =>
      index < 2 ? { status: 503, body: 'down' } : { status: 204 },
    );
    const alerts = section(receiver.url);
    await seedAlerts(alerts, 1);
    const options = {
      channels: channelsFromConfig(alerts),
      policy: backoffPolicy(alerts.delivery),
      clock,
      random: () => 1,
    };
    expect((await deliverDue(warehouse, options)).retried).toBe(1);
    const [pending] = (await listOutbox(warehouse, { status: 'pending', limit: 5, offset: 0 })).messages;
    expect(pending).toMatchObject({ attempts: 1, lastError: expect.stringContaining('HTTP 503') });
    expect(pending!.nextAttemptAt).toBe(new Date(T0 + 10_000).toISOString());
    now += 9_000;
    expect(await deliverDue(warehouse, options)).toEqual({ delivered: 0, retried: 0, dead: 0 }); // not due yet
    now += 1_000;
    expect((await deliverDue(warehouse, options)).retried).toBe(1); // 2nd failure: next in 20 s
    now += 20_000;
    expect((await deliverDue(warehouse, options)).delivered).toBe(1);
    expect(receiver.requests.map((r) => r.headers[WEBHOOK_HEADERS.attempt.toLowerCase()])).toEqual([
      '1',
      '2',
      '3',
    ]);
    const ids = new Set(receiver.requests.map((r) => r.headers['idempotency-key']));
    expect(ids.size).toBe(1); // one message, the same key on every attempt
  });

  it('sends a message the receiver refuses (4xx) to the dead letters at once; 429 means later', async () => {
    receiver = await startReceiver((request) =>
      JSON.parse(request.body).alert.customerId === 'c00'
        ? { status: 400, body: 'bad signature' }
        : { status: 429, body: 'slow down' },
    );
    const alerts = section(receiver.url, { max_attempts: 5 });
    await seedAlerts(alerts, 2);
    const options = { channels: channelsFromConfig(alerts), policy: backoffPolicy(alerts.delivery), clock };
    expect(await deliverDue(warehouse, options)).toEqual({ delivered: 0, retried: 1, dead: 1 });
    const [dead] = (await listOutbox(warehouse, { status: 'dead', limit: 5, offset: 0 })).messages;
    expect(dead).toMatchObject({
      customerId: 'c00',
      attempts: 1,
      lastError: expect.stringContaining('HTTP 400'),
    });
    const [pending] = (await listOutbox(warehouse, { status: 'pending', limit: 5, offset: 0 })).messages;
    expect(pending).toMatchObject({ attempts: 1, lastError: expect.stringContaining('HTTP 429') });
  });

  it('marks a message dead after max_attempts failures (timeouts count), and a retry re-queues it', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 2_000 })); // slower than the 500 ms timeout
    const alerts = section(receiver.url, { max_attempts: 3 });
    await seedAlerts(alerts, 1);
    const options = { channels: channelsFromConfig(alerts), policy: backoffPolicy(alerts.delivery), clock };
    for (let attempt = 0; attempt < 3; attempt++) {
      await deliverDue(warehouse, options);
      now += 120_000;
    }
    const dead = await listOutbox(warehouse, { status: 'dead', limit: 5, offset: 0 });
    expect(dead.total).toBe(1);
    expect(dead.messages[0]).toMatchObject({
      attempts: 3,
      lastError: expect.stringContaining('no answer within 500 ms'),
    });
    expect(await deliverDue(warehouse, options)).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(await retryDead(warehouse, dead.messages[0]!.id, now)).toBe(true);
    expect(await statuses()).toEqual({ pending: 1 });
  });

  it('fails a message whose channel is no longer configured, so it ends dead instead of waiting forever', async () => {
    receiver = await startReceiver();
    const alerts = section(receiver.url, { max_attempts: 1 });
    await seedAlerts(alerts, 1);
    expect(
      await deliverDue(warehouse, { channels: [], policy: backoffPolicy(alerts.delivery), clock }),
    ).toEqual({
      delivered: 0,
      retried: 0,
      dead: 1,
    });
  });
});

describe('the delivery loop', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'churnwatch-delivery-'));
    now = T0;
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it('survives a restart: a new loop on the reopened warehouse delivers the rest, each message once', async () => {
    warehouse = await openWarehouse(workspace);
    receiver = await startReceiver();
    const alerts = section(receiver.url);
    await seedAlerts(alerts, 7);
    const options = {
      channels: channelsFromConfig(alerts),
      policy: backoffPolicy(alerts.delivery),
      clock,
      batchSize: 3,
    };
    const first = startDeliveryLoop(warehouse, { ...options, pollMs: 60_000 });
    await first.nextPass();
    await first.stop(); // stopped after one pass of three
    expect(await statuses()).toEqual({ delivered: 3, pending: 4 });
    warehouse.close();

    warehouse = await openWarehouse(workspace); // "the process restarts"
    const second = startDeliveryLoop(warehouse, { ...options, pollMs: 60_000 });
    while ((await statuses()).pending) await second.nextPass();
    await second.stop();
    expect(await statuses()).toEqual({ delivered: 7 });
    const ids = receiver.requests.map((r) => r.headers['idempotency-key']);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });

  it('sends again a message claimed by a process that died before recording the outcome (at-least-once)', async () => {
    warehouse = await openWarehouse(workspace);
    receiver = await startReceiver();
    const alerts = section(receiver.url);
    await seedAlerts(alerts, 1);
    // The dead process claimed the message (lease 2 minutes) and never came back.
    expect(await claimDue(warehouse, now, 10, 120_000)).toHaveLength(1);
    const options = { channels: channelsFromConfig(alerts), policy: backoffPolicy(alerts.delivery), clock };
    expect((await deliverDue(warehouse, options)).delivered).toBe(0); // leased
    now += 120_000;
    expect((await deliverDue(warehouse, options)).delivered).toBe(1);
    expect(await statuses()).toEqual({ delivered: 1 });
  });
});

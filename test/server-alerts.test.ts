// The alerts API against a real server on 127.0.0.1: the inbox with filters and masking, acknowledging and
// closing (audited, by role), and the dead-letter view of the outbox.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../src/alerts/evaluate-alerts.js';
import { addCustomer, addScore, alertsConfig } from '../src/alerts/testing/alert-fixtures.js';
import {
  errorOf,
  signedInClient,
  startTestServer,
  type TestServer,
} from '../src/server/testing/test-server.js';

const PASSWORD = 'alerts password 1';
let server: TestServer;

interface AlertBody {
  id: string;
  customerId: string;
  phone: string | null;
  status: string;
  tier: string;
  acknowledgedBy: string | null;
  delivery: { pending: number; delivered: number; dead: number };
}

/** A client signed in as a new user of `role`, and the user. */
function as(role: 'admin' | 'operator' | 'viewer' | 'analyst') {
  return signedInClient(server, role, PASSWORD);
}

beforeAll(async () => {
  server = await startTestServer();
  const w = server.warehouse;
  await addCustomer(w, 'A1', 'vip');
  await addCustomer(w, 'B2', 'retail');
  await addScore(w, 'A1', '2025-01-01', 0.3);
  await addScore(w, 'A1', '2025-01-08', 0.9, { drivers: ['tickets_open'] });
  await addScore(w, 'B2', '2025-01-01', 0.2);
  await addScore(w, 'B2', '2025-01-08', 0.6);
  const alerts = alertsConfig({
    rules: [{ name: 'rises', kind: 'enters_tier', tier: 'medium' }],
    channels: [{ name: 'crm', kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 's' }],
  });
  await evaluateAlerts(w, {
    config: { alerts },
    scoredAt: '2025-01-08',
    modelVersion: 1,
    now: server.clock.now,
  });
  await w.run(
    "UPDATE outbox SET status = 'dead', attempts = 8, last_error = 'HTTP 503' WHERE alert_id IN (SELECT id FROM alerts WHERE customer_id = 'B2')",
  );
});
afterAll(() => server.close());

describe('GET /api/alerts', () => {
  it('lists alerts with delivery state, filtered by tier, segment and reason', async () => {
    const { client } = await as('viewer');
    const all = await client.request('GET', '/api/alerts');
    expect(all.status).toBe(200);
    const body = all.body as { total: number; alerts: AlertBody[] };
    expect(body.total).toBe(2);
    expect(body.alerts.find((a) => a.customerId === 'B2')!.delivery).toEqual({
      pending: 0,
      delivered: 0,
      dead: 1,
    });
    const ids = async (query: string) =>
      ((await client.request('GET', `/api/alerts?${query}`)).body as { alerts: AlertBody[] }).alerts.map(
        (a) => a.customerId,
      );
    expect(await ids('tier=high')).toEqual(['A1']);
    expect(await ids('segment=retail')).toEqual(['B2']);
    expect(await ids('reason=tickets_open')).toEqual(['A1']);
    expect(await ids('status=closed')).toEqual([]);
    const bad = await client.request('GET', '/api/alerts?status=open');
    expect(bad.status).toBe(400);
  });

  it('masks personal fields for roles that may not read them, and audits unmasked reads', async () => {
    const viewer = await as('viewer');
    const seen = (await viewer.client.request('GET', '/api/alerts')).body as { alerts: AlertBody[] };
    expect(seen.alerts[0]!.phone).toBe('138****5678');
    const admin = await as('admin');
    const clear = (await admin.client.request('GET', '/api/alerts')).body as { alerts: AlertBody[] };
    expect(clear.alerts[0]!.phone).toBe('13812345678');
    const audit = await server.warehouse.all<{ actor: string }>(
      "SELECT actor FROM audit_log WHERE action = 'customers.list-unmasked'",
    );
    expect(audit.map((a) => a.actor)).toContain(admin.user.username);
  });
});

describe('POST /api/alerts/:id/ack and /close', () => {
  it('lets an operator acknowledge (audited, once) and close; a viewer gets 403', async () => {
    const { client, user } = await as('operator');
    const list = (await client.request('GET', '/api/alerts?tier=high')).body as { alerts: AlertBody[] };
    const id = list.alerts[0]!.id;
    const viewer = await as('viewer');
    const denied = await viewer.client.request('POST', `/api/alerts/${id}/ack`);
    expect(denied.status).toBe(403);
    expect(errorOf(denied).code).toBe('forbidden');

    const acked = await client.request('POST', `/api/alerts/${id}/ack`);
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: user.username,
      phone: '13812345678',
    });
    expect((await client.request('POST', `/api/alerts/${id}/ack`)).status).toBe(200);
    const entries = await server.warehouse.all<{ actor: string; target: string }>(
      "SELECT actor, target FROM audit_log WHERE action = 'alert.ack'",
    );
    expect(entries).toEqual([{ actor: user.username, target: id }]);

    expect((await client.request('POST', `/api/alerts/${id}/close`)).body).toMatchObject({
      status: 'closed',
    });
    const again = await client.request('POST', `/api/alerts/${id}/ack`);
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('alert_closed');
    const missing = await client.request('POST', '/api/alerts/nope/ack');
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe('alert_not_found');
  });
});

describe('GET /api/alerts/outbox', () => {
  it('lists dead messages with their last error, and an operator can re-queue one', async () => {
    const { client } = await as('operator');
    const dead = await client.request('GET', '/api/alerts/outbox?status=dead');
    expect(dead.status).toBe(200);
    const body = dead.body as {
      total: number;
      messages: { id: string; customerId: string; lastError: string }[];
    };
    expect(body.total).toBe(1);
    expect(body.messages[0]).toMatchObject({ customerId: 'B2', lastError: 'HTTP 503', channel: 'crm' });
    const retried = await client.request('POST', `/api/alerts/outbox/${body.messages[0]!.id}/retry`);
    expect(retried.status).toBe(200);
    expect(
      ((await client.request('GET', '/api/alerts/outbox?status=dead')).body as { total: number }).total,
    ).toBe(0);
    expect((await client.request('POST', `/api/alerts/outbox/${body.messages[0]!.id}/retry`)).status).toBe(
      404,
    );
  });
});

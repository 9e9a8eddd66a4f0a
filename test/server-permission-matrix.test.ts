// Walks every route of the route table × every role, as a signed-in user and as an API token, and checks
// the answer against the permission matrix: 2xx where the role may, 403 where it may not. A route without a
// sample request here fails, so a new route cannot skip this walk.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionId, launchCampaign } from '../src/retention/create-campaign.js';
import { createStrategy } from '../src/retention/strategy-store.js';
import { insertToken } from '../src/security/api-tokens.js';
import { SYSTEM } from '../src/security/audit-log.js';
import { can, isAction } from '../src/security/permissions.js';
import { ROLES, type Role } from '../src/security/roles.js';
import { createApp } from '../src/server/app.js';
import type { Route } from '../src/server/route.js';
import { apiRoutes } from '../src/server/routes.js';
import { addUser, errorOf, startTestServer, type TestServer } from '../src/server/testing/test-server.js';
import { tempDir } from './cli-helpers.js';

const PASSWORD = 'matrix password 1';
let server: TestServer;
let serial = 0;

/** The rules the matrix writes back: the built-in one, so every write leaves the file as it was. */
const ALERT_RULES = [{ name: 'enters-high', kind: 'enters_tier', tier: 'high' }];

/** A request that succeeds for a principal allowed to make it. */
interface Sample {
  path: string;
  json?: unknown;
}

/** A fresh user of `role` (password PASSWORD), for samples that need a target or a login. */
async function freshUser(role: Role) {
  return addUser(server.warehouse, `user${++serial}`, role, PASSWORD);
}

/** One sample per route id; each call makes its own targets, so routes never depend on one another. */
const samples: Record<string, (role: Role) => Promise<Sample>> = {
  health: async () => ({ path: '/api/health' }),
  openApi: async () => ({ path: '/api/openapi.json' }),
  docs: async () => ({ path: '/api/docs' }),
  login: async (role) => ({
    path: '/api/auth/login',
    json: { username: (await freshUser(role)).username, password: PASSWORD },
  }),
  logout: async () => ({ path: '/api/auth/logout' }),
  me: async () => ({ path: '/api/auth/me' }),
  changePassword: async () => ({
    path: '/api/auth/password',
    json: { currentPassword: PASSWORD, newPassword: 'another password 2' },
  }),
  listUsers: async () => ({ path: '/api/users' }),
  createUser: async () => ({ path: '/api/users', json: { username: `created${++serial}`, role: 'viewer' } }),
  updateUser: async () => ({
    path: `/api/users/${(await freshUser('viewer')).id}`,
    json: { role: 'operator' },
  }),
  deleteUser: async () => ({ path: `/api/users/${(await freshUser('viewer')).id}` }),
  listTokens: async () => ({ path: '/api/tokens' }),
  createToken: async () => ({ path: '/api/tokens', json: { name: `token${++serial}`, role: 'viewer' } }),
  revokeToken: async () => {
    const { token } = await insertToken(
      server.warehouse,
      { name: `victim${++serial}`, role: 'viewer', createdBy: null, expiresAt: null },
      server.clock.now,
    );
    return { path: `/api/tokens/${token.id}` };
  },
  listAudit: async () => ({ path: '/api/audit' }),
  listCustomers: async () => ({ path: '/api/customers?tier=high,medium&sort=value&limit=5' }),
  getCustomer: async () => ({ path: `/api/customers/${await readSideFixture()}` }),
  listSegments: async () => ({ path: '/api/segments' }),
  tierCounts: async () => ({ path: '/api/scores/tiers?period=week' }),
  topReasons: async () => ({ path: '/api/scores/reasons' }),
  churnRates: async () => ({ path: '/api/metrics/churn?segment=vip' }),
  listModels: async () => ({ path: '/api/models' }),
  getModel: async () => {
    await readSideFixture();
    return { path: '/api/models/1' };
  },
  listLoads: async () => ({ path: '/api/data/loads' }),
  quarantineSummary: async () => ({ path: '/api/data/quarantine?limit=5' }),
  inactivityCurve: async () => ({ path: '/api/data/inactivity' }),
  getCustomerScore: async () => ({ path: `/api/customers/${await readSideFixture()}/score` }),
  // Rows of an unknown customer: answered 200 with every row rejected, nothing stored.
  appendEvents: async () => ({
    path: '/api/events',
    json: { rows: [{ customer_id: 'nobody', ts: '2025-01-01T00:00:00Z', event_type: 'visit' }] },
  }),
  appendTransactions: async () => ({
    path: '/api/transactions',
    json: { rows: [{ customer_id: 'nobody', ts: '2025-01-01T00:00:00Z', amount: 1 }] },
  }),
  appendTickets: async () => ({
    path: '/api/tickets',
    json: { rows: [{ customer_id: 'nobody', opened_at: '2025-01-01T00:00:00Z' }] },
  }),
  // The test workspace has no churnwatch.yaml: the job fails at once, touching nothing.
  startJob: async () => ({ path: '/api/jobs', json: { kind: 'ingest' } }),
  listJobs: async () => ({ path: '/api/jobs' }),
  getJob: async () => {
    const { secret } = await insertToken(
      server.warehouse,
      { name: `jobs${++serial}`, role: 'admin', createdBy: null, expiresAt: null },
      server.clock.now,
    );
    const started = await server
      .client()
      .request('POST', '/api/jobs', { json: { kind: 'ingest' }, token: secret });
    return { path: `/api/jobs/${(started.body as { id: string }).id}` };
  },
  listAlerts: async () => ({ path: '/api/alerts?status=new,acknowledged&tier=high&limit=5' }),
  getAlertRules: async () => ({ path: '/api/alerts/rules' }),
  updateAlertRules: async () => ({ path: '/api/alerts/rules', json: { rules: ALERT_RULES } }),
  listOutbox: async () => ({ path: '/api/alerts/outbox?status=dead' }),
  retryOutboxMessage: async () => ({ path: `/api/alerts/outbox/${(await alertFixture()).messageId}/retry` }),
  acknowledgeAlert: async () => ({ path: `/api/alerts/${(await alertFixture()).alertId}/ack` }),
  closeAlert: async () => ({ path: `/api/alerts/${(await alertFixture()).alertId}/close` }),
  listStrategyTemplates: async () => ({ path: '/api/strategies/templates?industry=ecommerce' }),
  listStrategies: async () => ({ path: '/api/strategies?status=active,paused' }),
  getStrategy: async () => ({ path: `/api/strategies/${await strategyFixture()}` }),
  createStrategy: async () => ({ path: '/api/strategies', json: { templateId: 'ecommerce-coupon' } }),
  updateStrategy: async () => ({
    path: `/api/strategies/${await strategyFixture()}`,
    json: { status: 'paused' },
  }),
  listStrategyOverrides: async () => ({ path: `/api/strategies/${await strategyFixture()}/overrides` }),
  setStrategyOverride: async () => ({
    path: `/api/strategies/${await strategyFixture()}/overrides`,
    json: { customerId: 'M001', parameters: { amount: 12 } },
  }),
  listCauseTags: async () => ({ path: '/api/cause-tags' }),
  setCauseTag: async () => ({ path: '/api/cause-tags/recency_days', json: { tag: 'disengaged' } }),
  // Assigning one strategy to the read-side customer: it has no spend, so matching would choose no one.
  previewCampaign: async () => ({ path: '/api/campaigns/preview', json: await campaignSample() }),
  launchCampaign: async () => ({ path: '/api/campaigns', json: await campaignSample() }),
  listCampaigns: async () => ({ path: '/api/campaigns?limit=5' }),
  getCampaign: async () => ({ path: `/api/campaigns/${(await campaignFixture()).campaignId}` }),
  getCampaignResults: async () => ({
    path: `/api/campaigns/${(await campaignFixture()).campaignId}/results`,
  }),
  exportCampaignActions: async () => ({
    path: `/api/campaigns/${(await campaignFixture()).campaignId}/actions.csv`,
  }),
  recordCampaignCallbacks: async () => ({
    path: '/api/campaigns/callbacks',
    json: { events: [{ actionId: (await campaignFixture()).actionId, status: 'delivered' }] },
  }),
  getUplift: async () => ({ path: '/api/uplift' }),
  listActionWebhooks: async () => ({ path: '/api/action-webhooks' }),
  dispatchCampaignActions: async () => ({
    path: `/api/campaigns/${(await campaignFixture()).campaignId}/dispatches`,
    json: { webhook: 'crm' },
  }),
  listCampaignDispatches: async () => ({
    path: `/api/campaigns/${(await campaignFixture()).campaignId}/dispatches`,
  }),
};

/** A new active strategy from the coupon template; returns its id. */
async function strategyFixture(): Promise<string> {
  return (
    await createStrategy(
      server.warehouse,
      { templateId: 'ecommerce-coupon', fields: {} },
      SYSTEM,
      server.clock.now,
    )
  ).id;
}

/** A campaign request that treats the read-side customer with a new strategy. */
async function campaignSample() {
  const customerId = await readSideFixture();
  return {
    name: `walk${++serial}`,
    mode: 'assign',
    strategyIds: [await strategyFixture()],
    target: { customerIds: [customerId] },
    controlShare: 0,
  };
}

/** A launched campaign treating the read-side customer; returns its id and the customer's action id. */
async function campaignFixture(): Promise<{ campaignId: string; actionId: string }> {
  const request = await campaignSample();
  const { id } = await server.warehouse.transaction((tx) =>
    launchCampaign(tx, { ...request, mode: 'assign', budget: null }, SYSTEM, server.clock.now),
  );
  return { campaignId: id, actionId: actionId(id, 'M001') };
}

/** A new alert of the read-side customer with one dead outbox message; returns their ids. */
async function alertFixture(): Promise<{ alertId: string; messageId: string }> {
  const customerId = await readSideFixture();
  const alertId = `alert${++serial}`;
  const messageId = `message${serial}`;
  await server.warehouse.run(
    `INSERT INTO alerts (id, customer_id, rule, kind, scored_at, model_version, tier, probability, reasons_en,
      reasons_zh, drivers, status, created_at) VALUES (?, ?, 'enters-high', 'enters_tier', DATE '2025-01-05', 1,
      'high', 0.9, 'high risk', '高风险', '[]', 'new', TIMESTAMP '2025-01-05 08:00:00')`,
    [alertId, customerId],
  );
  await server.warehouse.run(
    `INSERT INTO outbox (id, alert_id, channel, payload, status, attempts, next_attempt_at, created_at)
     VALUES (?, ?, 'crm', '{}', 'dead', 8, TIMESTAMP '2025-01-05 09:00:00', TIMESTAMP '2025-01-05 08:00:00')`,
    [messageId, alertId],
  );
  return { alertId, messageId };
}

let readSideSeeded = false;

/** A scored customer with personal fields and a registered model (file absent), once; returns the id. */
async function readSideFixture(): Promise<string> {
  if (!readSideSeeded) {
    readSideSeeded = true;
    const w = server.warehouse;
    await w.run(`INSERT INTO customers (customer_id, signup_at, segment, name, phone, email)
      VALUES ('M001', TIMESTAMP '2024-01-01', 'vip', '王芳', '13812345678', 'wang.fang@example.com')`);
    await w.run(`INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en,
      reasons_zh, drivers) VALUES ('M001', DATE '2025-01-05', 1, 0.9, 'high', 'high risk', '高风险',
      '[{"feature":"recency_days","value":40,"contribution":1.2}]')`);
    await w.run(`INSERT INTO model_registry (version, kind, status, file, test_cutoff, train_cutoffs, report)
      VALUES (1, 'gbdt', 'champion', 'models/v1-gbdt.model.json', DATE '2024-12-01', '["2024-11-01"]', '{}')`);
  }
  return 'M001';
}

/** The status a principal of `role` must get, as the matrix says. */
function expected(
  route: Route,
  role: Role,
  kind: 'session' | 'token',
): 'ok' | 'forbidden' | 'session_required' {
  if (kind === 'token' && route.sessionOnly) return 'session_required';
  if (route.access === 'public' || route.access === 'signed-in') return 'ok';
  return can(role, route.access) ? 'ok' : 'forbidden';
}

beforeAll(async () => {
  // A workspace with a churnwatch.yaml: the alert-rule routes read and write it.
  const workspace = tempDir('churnwatch-matrix-');
  writeFileSync(
    join(workspace, 'churnwatch.yaml'),
    'sources:\n  events: { path: data/events.csv }\nchurn:\n  kind: non_contractual\n  horizon_days: 90\n' +
      "retention:\n  action_webhooks:\n    - { name: crm, url: 'http://127.0.0.1:9/actions', secret: s }\n",
  );
  server = await startTestServer({ workspace });
});
afterAll(() => server.close());

describe('the route table', () => {
  it('holds every mounted route, each with a sample here and a known access', () => {
    const app = createApp({ warehouse: server.warehouse, workspace: 'x' });
    const mounted = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    expect(mounted.sort()).toEqual(apiRoutes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of apiRoutes) {
      expect(samples[route.id], `no sample for route ${route.id}: add one to this test`).toBeDefined();
      expect(route.access === 'public' || route.access === 'signed-in' || isAction(route.access)).toBe(true);
    }
    expect(new Set(apiRoutes.map((r) => r.id)).size).toBe(apiRoutes.length);
  });
});

describe.each(ROLES)('role %s', (role) => {
  it('as a signed-in user gets exactly what the matrix allows on every route', async () => {
    const outcomes: string[] = [];
    for (const route of apiRoutes) {
      const user = await freshUser(role);
      const client = server.client();
      expect((await client.login(user.username, PASSWORD)).status).toBe(200);
      const sample = await samples[route.id](role);
      const response = await client.request(route.method, sample.path, { json: sample.json });
      const want = expected(route, role, 'session');
      outcomes.push(`${route.id}: ${response.status}`);
      if (want === 'ok') expect(response.status, `${role} ${route.id}: ${response.text}`).toBeLessThan(300);
      else {
        expect(response.status, `${role} ${route.id}`).toBe(403);
        expect(errorOf(response).code).toBe(want);
      }
    }
    expect(outcomes).toHaveLength(apiRoutes.length);
  });

  it('as an API token gets exactly what the matrix allows on every route', async () => {
    for (const route of apiRoutes) {
      const { secret } = await insertToken(
        server.warehouse,
        { name: `walk${++serial}`, role, createdBy: null, expiresAt: null },
        server.clock.now,
      );
      const sample = await samples[route.id](role);
      const response = await server
        .client()
        .request(route.method, sample.path, { json: sample.json, token: secret });
      const want = expected(route, role, 'token');
      if (want === 'ok') expect(response.status, `${role} ${route.id}: ${response.text}`).toBeLessThan(300);
      else {
        expect(response.status, `${role} ${route.id}`).toBe(403);
        expect(errorOf(response).code).toBe(want);
      }
    }
  });
});

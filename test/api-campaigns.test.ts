// The campaigns API against a real server on 127.0.0.1: preview (writes nothing), launch with a seeded
// hold-out, the CSV export, callbacks from an operator token (idempotent, unknown ids per row) and progress.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addScoredCustomers, type FixtureCustomer } from '../src/retention/testing/retention-fixtures.js';
import { insertToken } from '../src/security/api-tokens.js';
import {
  errorOf,
  signedInClient,
  startTestServer,
  type TestServer,
} from '../src/server/testing/test-server.js';

const PASSWORD = 'campaigns password 1';
let server: TestServer;
let serial = 0;
let coupon: string;
let call: string;

interface CampaignBody {
  id: string;
  treated: number;
  control: number;
  seed: number;
  progress: {
    statuses: Record<string, { count: number; share: number }>;
    coverage: { count: number; share: number };
    completion: { count: number; share: number };
  };
  byStrategy: { strategyId: string; treated: number; control: number }[];
}

/** A client signed in as a new user of `role`. */
async function as(role: 'admin' | 'analyst' | 'operator' | 'viewer') {
  return (await signedInClient(server, role, PASSWORD)).client;
}

/** 100 high-risk customers (even: price-driven, odd: service-driven) and 100 medium-risk ones. */
function population(): FixtureCustomer[] {
  return Array.from({ length: 200 }, (_, i) => ({
    id: `K${String(i).padStart(3, '0')}`,
    probability: i < 100 ? 0.85 : 0.6,
    drivers: [i % 2 === 0 ? 'spend_trend_90d' : 'avg_satisfaction_90d'],
    spend: 300 + i,
    segment: i % 4 === 0 ? 'vip' : 'retail',
  }));
}

beforeAll(async () => {
  server = await startTestServer();
  await addScoredCustomers(server.warehouse, population());
  const analyst = await as('analyst');
  const make = async (templateId: string) =>
    ((await analyst.request('POST', '/api/strategies', { json: { templateId } })).body as { id: string }).id;
  coupon = await make('ecommerce-coupon');
  call = await make('ecommerce-service-call');
});
afterAll(() => server.close());

describe('campaign preview and launch', () => {
  it('previews without writing, then launches the same split with one action per treated customer', async () => {
    const operator = await as('operator');
    const body = { name: 'Spring win-back', seed: 99 };
    const preview = await operator.request('POST', '/api/campaigns/preview', { json: body });
    expect(preview.status, preview.text).toBe(200);
    const plan = preview.body as {
      candidates: number;
      treated: number;
      control: number;
      byStrategy: { strategyId: string; treated: number; control: number }[];
      byTier: { tier: string; candidates: number; treated: number; control: number }[];
      members: { customerId: string; arm: string; strategyId: string }[];
    };
    expect(plan).toMatchObject({ candidates: 200, treated: 180, control: 20 });
    // The default target is the high and medium tiers; the tiers' parts add up to the whole.
    expect(plan.byTier.map((t) => t.tier)).toEqual(['high', 'medium']);
    const sum = (key: 'candidates' | 'treated' | 'control') => plan.byTier.reduce((n, t) => n + t[key], 0);
    expect([sum('candidates'), sum('treated'), sum('control')]).toEqual([200, 180, 20]);
    expect(plan.members).toHaveLength(100);
    expect(await server.warehouse.all('SELECT * FROM campaigns')).toEqual([]);

    const launched = await operator.request('POST', '/api/campaigns', { json: body });
    expect(launched.status, launched.text).toBe(201);
    const campaign = launched.body as CampaignBody;
    expect(campaign).toMatchObject({ treated: 180, control: 20, seed: 99, ranking: 'risk' });
    expect(campaign.byStrategy.map((s) => [s.strategyId, s.treated + s.control]).sort()).toEqual(
      [
        [coupon, 100],
        [call, 100],
      ].sort(),
    );
    // The same seed gives the same control group as the preview, per tier 10%.
    const control = await server.warehouse.all<{ customer_id: string; tier: string }>(
      `SELECT customer_id, tier FROM campaign_members WHERE campaign_id = ? AND arm = 'control' ORDER BY customer_id`,
      [campaign.id],
    );
    expect(control.filter((c) => c.tier === 'high')).toHaveLength(10);
    const previewControl = plan.members.filter((m) => m.arm === 'control').map((m) => m.customerId);
    expect(previewControl.every((id) => control.some((c) => c.customer_id === id))).toBe(true);

    const viewer = await as('viewer');
    const read = await viewer.request('GET', `/api/campaigns/${campaign.id}`);
    expect(read.status).toBe(200);
    const list = await viewer.request('GET', '/api/campaigns');
    expect((list.body as { campaigns: { id: string }[] }).campaigns.map((c) => c.id)).toContain(campaign.id);
    expect((await viewer.request('POST', '/api/campaigns', { json: body })).status).toBe(403);
  });

  it('answers bad requests with a clear 400, and 404 for an unknown campaign', async () => {
    const operator = await as('operator');
    const zero = await operator.request('POST', '/api/campaigns', { json: { name: 'x', budget: 0 } });
    expect(zero.status).toBe(400);
    expect(errorOf(zero)).toMatchObject({ code: 'zero_budget', where: 'body.budget' });
    const empty = await operator.request('POST', '/api/campaigns', {
      json: { name: 'x', target: { segment: 'nobody' } },
    });
    expect(empty.status).toBe(400);
    expect(errorOf(empty).code).toBe('empty_target');
    const unknown = await operator.request('POST', '/api/campaigns/preview', {
      json: { name: 'x', strategyIds: ['nope'] },
    });
    expect(errorOf(unknown)).toMatchObject({ code: 'unknown_strategy', where: 'body.strategyIds[0]' });
    const share = await operator.request('POST', '/api/campaigns', { json: { name: 'x', controlShare: 1 } });
    expect(errorOf(share)).toMatchObject({ code: 'invalid_body', where: 'body.controlShare' });
    expect((await operator.request('GET', '/api/campaigns/nope')).status).toBe(404);
    expect((await operator.request('GET', '/api/campaigns/nope/actions.csv')).status).toBe(404);
  });

  it('keeps within the budget and says how many were left out for it', async () => {
    const operator = await as('operator');
    const preview = await operator.request('POST', '/api/campaigns/preview', {
      json: { name: 'small', budget: 100, target: { tiers: ['high'] } },
    });
    const plan = preview.body as {
      cost: number;
      treated: number;
      control: number;
      unmatched: Record<string, number>;
    };
    expect(plan.treated + plan.control).toBeLessThanOrEqual(12); // costs 8 and 10 per member
    expect(plan.cost).toBeLessThanOrEqual(100);
    expect(plan.unmatched.budget_exhausted).toBeGreaterThan(80);
  });
});

describe('export and callbacks', () => {
  it('exports the actions as CSV and tracks callbacks from an operator token idempotently', async () => {
    const operator = await as('operator');
    const launched = await operator.request('POST', '/api/campaigns', {
      json: { name: 'service calls', strategyIds: [call], target: { tiers: ['high'] }, seed: 5 },
    });
    const campaign = launched.body as CampaignBody;
    expect(campaign).toMatchObject({ treated: 45, control: 5 });

    const csv = await operator.request('GET', `/api/campaigns/${campaign.id}/actions.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['action_id', 'campaign_id', 'customer_id']);
    expect(lines).toHaveLength(46);
    const actionIds = lines.slice(1).map((line) => line.split(',')[0]);
    expect(new Set(actionIds).size).toBe(45);
    expect(
      (await (await as('viewer')).request('GET', `/api/campaigns/${campaign.id}/actions.csv`)).status,
    ).toBe(403);

    const { secret } = await insertToken(
      server.warehouse,
      { name: `sms-gateway${++serial}`, role: 'operator', createdBy: null, expiresAt: null },
      server.clock.now,
    );
    const post = (events: unknown[]) =>
      server.client().request('POST', '/api/campaigns/callbacks', { json: { events }, token: secret });
    // 43 of 45 issued (95.6%), 27 delivered, 14 redeemed.
    const first = await post([
      ...actionIds.slice(0, 43).map((actionId) => ({ actionId, status: 'issued' })),
      ...actionIds
        .slice(0, 27)
        .map((actionId) => ({ actionId, status: 'delivered', occurredAt: '2025-01-06T10:00:00+08:00' })),
      ...actionIds.slice(0, 14).map((actionId) => ({ actionId, status: 'redeemed' })),
      { actionId: 'act_unknown', status: 'issued' },
    ]);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ recorded: 84, duplicates: 0, unknown: 1 });
    const results = (first.body as { results: { index: number; outcome: string }[] }).results;
    expect(results[84]).toMatchObject({ index: 84, outcome: 'unknown_action' });

    const again = await post([{ actionId: actionIds[0], status: 'issued' }]);
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 1, unknown: 0 });

    const progress = ((await operator.request('GET', `/api/campaigns/${campaign.id}`)).body as CampaignBody)
      .progress;
    expect(progress.statuses.issued).toEqual({ count: 43, share: 0.9556 });
    expect(progress.statuses.delivered).toEqual({ count: 27, share: 0.6 });
    expect(progress.statuses.redeemed).toEqual({ count: 14, share: 0.3111 });
    expect(progress.coverage).toEqual({ count: 43, share: 0.9556 });
    expect(progress.completion).toEqual({ count: 14, share: 0.3111 });

    const bad = await post([{ actionId: actionIds[0], status: 'bounced' }]);
    expect(errorOf(bad)).toMatchObject({ code: 'invalid_body', where: 'body.events[0].status' });
    const { secret: analystToken } = await insertToken(
      server.warehouse,
      { name: `analyst${++serial}`, role: 'analyst', createdBy: null, expiresAt: null },
      server.clock.now,
    );
    const refused = await server.client().request('POST', '/api/campaigns/callbacks', {
      json: { events: [{ actionId: actionIds[0], status: 'opened' }] },
      token: analystToken,
    });
    expect(refused.status).toBe(403);
  });
});

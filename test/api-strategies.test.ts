// The strategy library API against a real server on 127.0.0.1: templates, creating (from a template or
// not), editing, pausing and retiring (audited, by role), parameter overrides and cause-tag overrides.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addScoredCustomers } from '../src/retention/testing/retention-fixtures.js';
import {
  errorOf,
  signedInClient,
  startTestServer,
  type TestServer,
} from '../src/server/testing/test-server.js';

const PASSWORD = 'strategies password 1';
let server: TestServer;

interface StrategyBody {
  id: string;
  templateId: string | null;
  status: string;
  version: number;
  unitCost: number;
  channel: string;
  parameters: Record<string, unknown>;
  name: { en: string; 'zh-CN': string };
}

/** A client signed in as a new user of `role`. */
async function as(role: 'admin' | 'analyst' | 'operator' | 'viewer') {
  return (await signedInClient(server, role, PASSWORD)).client;
}

beforeAll(async () => {
  server = await startTestServer();
  await addScoredCustomers(server.warehouse, [
    { id: 'A1', probability: 0.9, drivers: ['open_tickets', 'region_code'] },
  ]);
});
afterAll(() => server.close());

describe('GET /api/strategies/templates', () => {
  it('lists the built-in templates per industry, named in en and zh-CN', async () => {
    const viewer = await as('viewer');
    const all = await viewer.request('GET', '/api/strategies/templates');
    expect(all.status).toBe(200);
    const templates = (
      all.body as { templates: { id: string; industry: string; name: { 'zh-CN': string } }[] }
    ).templates;
    expect(new Set(templates.map((t) => t.industry))).toEqual(
      new Set(['ecommerce', 'finance', 'telecom', 'saas']),
    );
    const saas = await viewer.request('GET', '/api/strategies/templates?industry=saas');
    const saasIds = (saas.body as { templates: { id: string }[] }).templates.map((t) => t.id);
    expect(saasIds).toEqual(['saas-trial-extension', 'saas-onboarding-call']);
    expect(templates.find((t) => t.id === 'saas-trial-extension')?.name['zh-CN']).toBe('延长试用');
  });
});

describe('creating and editing strategies', () => {
  it('lets an analyst create from a template and edit, pause and retire it, each change audited', async () => {
    const analyst = await as('analyst');
    const created = await analyst.request('POST', '/api/strategies', {
      json: {
        templateId: 'ecommerce-discount',
        fields: { unitCost: 18, parameters: { discount: 0.2, validityDays: 7 } },
      },
    });
    expect(created.status, created.text).toBe(201);
    const strategy = created.body as StrategyBody;
    expect(strategy).toMatchObject({
      templateId: 'ecommerce-discount',
      unitCost: 18,
      status: 'active',
      version: 1,
    });

    const edited = await analyst.request('PATCH', `/api/strategies/${strategy.id}`, {
      json: { fields: { channel: 'sms' }, status: 'paused' },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ channel: 'sms', status: 'paused', version: 2 });
    const listed = await analyst.request('GET', '/api/strategies?status=paused');
    expect((listed.body as { strategies: StrategyBody[] }).strategies.map((s) => s.id)).toContain(
      strategy.id,
    );

    const retired = await analyst.request('PATCH', `/api/strategies/${strategy.id}`, {
      json: { status: 'retired' },
    });
    expect(retired.body).toMatchObject({ status: 'retired', version: 3 });
    const revived = await analyst.request('PATCH', `/api/strategies/${strategy.id}`, {
      json: { status: 'active' },
    });
    expect(revived.status).toBe(409);
    expect(errorOf(revived).code).toBe('strategy_retired');

    const admin = await as('admin');
    const audit = await admin.request('GET', '/api/audit?action=strategy.update');
    const entries = (
      audit.body as { entries: { target: string; detail: { changes: Record<string, unknown> } }[] }
    ).entries;
    const mine = entries.filter((e) => e.target === strategy.id);
    expect(mine).toHaveLength(2);
    expect(mine[1].detail.changes).toEqual({
      channel: { from: 'email', to: 'sms' },
      status: { from: 'active', to: 'paused' },
    });
  });

  it('creates a strategy from scratch when every field is given', async () => {
    const admin = await as('admin');
    const response = await admin.request('POST', '/api/strategies', {
      json: {
        fields: {
          name: { en: 'Loyalty points', 'zh-CN': '积分奖励' },
          description: { en: 'Double points for a month.', 'zh-CN': '一个月双倍积分。' },
          industry: 'general',
          actionKind: 'loyalty_bonus',
          channel: 'in_app',
          conditions: { tiers: ['medium'] },
          unitCost: 3,
          savePrior: 0.05,
          parameters: { multiplier: 2, days: 30 },
          budget: 5000,
          priority: 10,
        },
        status: 'paused',
      },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({ templateId: null, status: 'paused', budget: 5000 });
  });

  it('refuses bad input with a clear code and field, and other roles with 403', async () => {
    const analyst = await as('analyst');
    const channel = await analyst.request('POST', '/api/strategies', {
      json: { templateId: 'ecommerce-coupon', fields: { channel: 'pigeon' } },
    });
    expect(channel.status).toBe(400);
    expect(errorOf(channel)).toMatchObject({ code: 'invalid_body', where: 'body.fields.channel' });
    const template = await analyst.request('POST', '/api/strategies', { json: { templateId: 'nope' } });
    expect(errorOf(template)).toMatchObject({ code: 'template_not_found', where: 'body.templateId' });
    const partial = await analyst.request('POST', '/api/strategies', { json: { fields: { unitCost: 1 } } });
    expect(partial.status).toBe(400);
    expect(errorOf(partial)).toMatchObject({ code: 'invalid_strategy', where: 'body.name' });
    const missing = await analyst.request('PATCH', '/api/strategies/nope', { json: { status: 'paused' } });
    expect(missing.status).toBe(404);
    const operator = await as('operator');
    expect(
      (await operator.request('POST', '/api/strategies', { json: { templateId: 'ecommerce-coupon' } }))
        .status,
    ).toBe(403);
  });
});

describe('parameter overrides', () => {
  it('lets an operator override a parameter per strategy and per customer, audited', async () => {
    const analyst = await as('analyst');
    const created = await analyst.request('POST', '/api/strategies', {
      json: { templateId: 'ecommerce-coupon' },
    });
    const id = (created.body as StrategyBody).id;
    const operator = await as('operator');
    const wide = await operator.request('PUT', `/api/strategies/${id}/overrides`, {
      json: { parameters: { amount: 12 } },
    });
    expect(wide.status, wide.text).toBe(200);
    const one = await operator.request('PUT', `/api/strategies/${id}/overrides`, {
      json: { customerId: 'A1', parameters: { amount: 20, validityDays: 30 } },
    });
    expect(
      (one.body as { overrides: { customerId: string | null }[] }).overrides.map((o) => o.customerId),
    ).toEqual([null, 'A1']);
    const typo = await operator.request('PUT', `/api/strategies/${id}/overrides`, {
      json: { parameters: { amout: 1 } },
    });
    expect(typo.status).toBe(400);
    expect(errorOf(typo)).toMatchObject({ code: 'unknown_parameter', where: 'body.parameters.amout' });
    const viewer = await as('viewer');
    const listed = await viewer.request('GET', `/api/strategies/${id}/overrides`);
    expect((listed.body as { overrides: unknown[] }).overrides).toHaveLength(2);
    const admin = await as('admin');
    const audit = await admin.request('GET', '/api/audit?action=strategy.override');
    expect(
      (audit.body as { entries: { target: string }[] }).entries.filter((e) => e.target === id),
    ).toHaveLength(2);
  });
});

describe('cause tags', () => {
  it('shows the mapping of the drivers’ features and lets an analyst override one', async () => {
    const viewer = await as('viewer');
    const before = await viewer.request('GET', '/api/cause-tags');
    expect(before.status).toBe(200);
    const mappings = (before.body as { mappings: { feature: string; tag: string | null }[] }).mappings;
    expect(mappings).toContainEqual(
      expect.objectContaining({ feature: 'open_tickets', tag: 'service_dissatisfied' }),
    );
    expect(mappings).toContainEqual(expect.objectContaining({ feature: 'region_code', tag: null }));
    const analyst = await as('analyst');
    const set = await analyst.request('PUT', '/api/cause-tags/region_code', {
      json: { tag: 'competitor_attracted' },
    });
    expect(set.body).toEqual({
      feature: 'region_code',
      defaultTag: null,
      tag: 'competitor_attracted',
      overridden: true,
    });
    const bad = await analyst.request('PUT', '/api/cause-tags/region_code', { json: { tag: 'bored' } });
    expect(bad.status).toBe(400);
    expect(
      (await viewer.request('PUT', '/api/cause-tags/region_code', { json: { reset: true } })).status,
    ).toBe(403);
  });
});

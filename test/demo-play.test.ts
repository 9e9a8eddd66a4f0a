// The demo's whole loop over the real server (the built `churnwatch serve` on a demo workspace): a strategy
// from a template, a campaign launched on the at-risk customers with a hold-out, "not yet measurable", a play
// job that lives the next two months with the campaign's actions, then the campaign's results — treated
// against control with an interval — next to the simulator's true effect on the same customers, and the
// uplift-model report for the campaign's action kind (too little history for a model yet, and why).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../src/server/testing/test-server.js';
import { buildDemoWorkspace } from './browser/demo-workspace.js';
import { type ServedWorkspace, serveWorkspace } from './browser/serve-cli.js';

const PASSWORD = 'first password of the play test';
let served: ServedWorkspace;
let admin: TestClient;

beforeAll(async () => {
  served = await serveWorkspace(await buildDemoWorkspace(1500, 0), PASSWORD);
  admin = new TestClient(served.url);
  expect((await admin.login('admin', PASSWORD)).status).toBe(200);
  const changed = await admin.request('POST', '/api/auth/password', {
    json: { currentPassword: PASSWORD, newPassword: `${PASSWORD} changed` },
  });
  expect(changed.status, changed.text).toBe(200);
}, 240_000);
afterAll(async () => {
  await served?.stop();
});

async function waitForJob(id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const job = (await admin.request('GET', `/api/jobs/${id}`)).body as {
      status: string;
      error: string | null;
      result: Record<string, unknown> | null;
    };
    if (job.status === 'failed') throw new Error(`job failed: ${job.error}`);
    if (job.status === 'done') return job.result ?? {};
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('job did not finish within 150 s');
}

describe('the demo loop: act, play the following months, measure', () => {
  let campaignId = '';

  it('launches a campaign whose results are not measurable yet', async () => {
    const strategy = await admin.request('POST', '/api/strategies', {
      json: { templateId: 'ecommerce-coupon' },
    });
    expect(strategy.status, strategy.text).toBe(201);
    const strategyId = (strategy.body as { id: string }).id;
    // Everyone at risk gets the coupon but a held-out half: a wide target keeps the groups large enough.
    const launched = await admin.request('POST', '/api/campaigns', {
      json: {
        name: 'Coupon for the at-risk',
        mode: 'assign',
        strategyIds: [strategyId],
        target: { tiers: ['high', 'medium', 'low'] },
        controlShare: 0.5,
        seed: 11,
      },
    });
    expect(launched.status, launched.text).toBe(201);
    campaignId = (launched.body as { id: string }).id;
    const early = await admin.request('GET', `/api/campaigns/${campaignId}/results`);
    expect(early.status, early.text).toBe(200);
    expect(early.body).toMatchObject({
      measurement: { status: 'not_yet_measurable', horizonDays: 30, startsOn: '2026-11-01' },
      truth: null,
    });
  });

  it('plays two months with the actions, then shows the measured effect next to the truth', async () => {
    const started = await admin.request('POST', '/api/jobs', { json: { kind: 'play', months: 2 } });
    expect(started.status, started.text).toBe(201);
    const result = await waitForJob((started.body as { id: string }).id);
    expect(result).toMatchObject({ from: '2026-11-01', to: '2026-12-31', campaigns: [campaignId] });
    expect(result.scoredAt).toBe('2027-01-01');

    const response = await admin.request('GET', `/api/campaigns/${campaignId}/results`);
    expect(response.status, response.text).toBe(200);
    const { measurement, truth } = response.body as {
      measurement: {
        status: string;
        overall: {
          treated: number;
          control: number;
          churn: { difference: number; low: number; high: number };
        };
        strategies: { verdict: string }[];
      };
      truth: { customers: number; effect: number } | null;
    };
    expect(measurement.status).toBe('measured');
    const { overall } = measurement;
    expect(overall.treated + overall.control).toBeGreaterThan(800);
    expect(overall.churn.low).toBeLessThanOrEqual(overall.churn.difference);
    expect(overall.churn.high).toBeGreaterThanOrEqual(overall.churn.difference);
    expect(measurement.strategies).toHaveLength(1);
    // The truth is over the same customers; the coupon helps the price-driven, so on average it helps a bit.
    expect(truth?.customers).toBe(overall.treated + overall.control);
    expect(truth?.effect).toBeLessThan(0);
    expect(truth?.effect).toBeGreaterThan(-0.2);
    // An honest interval is wide enough to hold the truth (this seed's; 40 seeds are checked in the simulator).
    expect(overall.churn.low).toBeLessThanOrEqual(truth!.effect);
    expect(overall.churn.high).toBeGreaterThanOrEqual(truth!.effect);
  });

  it('has an uplift model report for the coupon once the campaign is measured: skipped, naming its counts', async () => {
    const results = (await admin.request('GET', `/api/campaigns/${campaignId}/results`)).body as {
      measurement: {
        overall: { treated: number; control: number; treatedChurned: number; controlChurned: number };
      };
    };
    const response = await admin.request('GET', '/api/uplift');
    expect(response.status, response.text).toBe(200);
    const uplift = response.body as {
      modelVersion: number | null;
      members: number;
      scoredAt: string | null;
      kinds: {
        actionKind: string;
        status: string;
        reason?: string;
        counts: { treated: number; control: number; treatedChurned: number; controlChurned: number };
      }[];
    };
    // The uplift history holds the same members and outcomes the campaign was measured on.
    const { treated, control, treatedChurned, controlChurned } = results.measurement.overall;
    expect(uplift).toMatchObject({
      modelVersion: 1,
      members: treated + control,
      kinds: [{ actionKind: 'coupon', counts: { treated, control, treatedChurned, controlChurned } }],
    });
    expect(uplift.kinds).toHaveLength(1);
    // One month's churn of a 1,500-customer demo leaves fewer than 20 churned in an arm: no model yet, and the
    // reason names the arm that falls short with its counts; nothing is scored by uplift.
    const [coupon] = uplift.kinds;
    expect(Math.min(treatedChurned, controlChurned)).toBeLessThan(20);
    const short =
      treatedChurned < 20 ? ['treated', treated, treatedChurned] : ['control', control, controlChurned];
    expect(coupon).toMatchObject({
      status: 'skipped',
      reason:
        `${short[1]} ${short[0]} members with a measured outcome, ${short[2]} churned; ` +
        'at least 200 and 20 churned per arm are needed',
    });
    expect(uplift.scoredAt).toBeNull();
  });

  it('refuses a play outside a demo and months for other jobs', async () => {
    const months = await admin.request('POST', '/api/jobs', { json: { kind: 'score', months: 2 } });
    expect(months.status).toBe(400);
    const tooMany = await admin.request('POST', '/api/jobs', { json: { kind: 'play', months: 13 } });
    expect(tooMany.status).toBe(400);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../security/audit-log.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { getCampaign } from './campaign-progress.js';
import { actionId, type CampaignRequest, launchCampaign, previewCampaign } from './create-campaign.js';
import { setParameterOverride } from './strategy-overrides.js';
import { createStrategy, updateStrategy } from './strategy-store.js';
import {
  addScoredCustomers,
  type FixtureCustomer,
  retentionFailure,
  TEST_ACTOR,
} from './testing/retention-fixtures.js';
import type { UpliftModels } from './uplift-model.js';

let w: Warehouse;
const now = Date.UTC(2025, 0, 6, 9);

/** 200 at-risk customers: even ids price-driven, odd ids service-driven; a few low-risk ones. */
function population(): FixtureCustomer[] {
  const customers: FixtureCustomer[] = [];
  for (let i = 0; i < 200; i++) {
    customers.push({
      id: `C${String(i).padStart(3, '0')}`,
      probability: i < 80 ? 0.9 : 0.6,
      drivers: [i % 2 === 0 ? 'spend_trend_90d' : 'open_tickets'],
      spend: 100 + i * 5,
      segment: i % 3 === 0 ? 'vip' : 'retail',
    });
  }
  for (let i = 0; i < 20; i++) customers.push({ id: `L${i}`, probability: 0.1, spend: 1000 });
  return customers;
}

const request = (patch: Partial<CampaignRequest> = {}): CampaignRequest => ({
  name: 'January win-back',
  mode: 'match',
  target: {},
  budget: null,
  seed: 11,
  ...patch,
});

async function launch(patch: Partial<CampaignRequest> = {}) {
  return w.transaction((tx) => launchCampaign(tx, request(patch), TEST_ACTOR, now));
}

let coupon: string;
let call: string;

beforeEach(async () => {
  w = await openWarehouse(':memory:');
  await addScoredCustomers(w, population());
  coupon = (await createStrategy(w, { templateId: 'ecommerce-coupon', fields: {} }, TEST_ACTOR, now)).id;
  call = (await createStrategy(w, { templateId: 'ecommerce-service-call', fields: {} }, TEST_ACTOR, now)).id;
});
afterEach(() => w.close());

describe('previewCampaign and launchCampaign', () => {
  it('match each at-risk customer to the strategy for their cause and hold out 10% per tier', async () => {
    const preview = await previewCampaign(w, request(), now);
    // Without tiers the target is the high and medium tiers: the 20 low-risk customers are not candidates.
    expect(preview.candidates).toBe(200);
    expect(preview.members).toHaveLength(200);
    expect(preview.unmatched).toEqual({ no_eligible_strategy: 0, no_positive_value: 0, budget_exhausted: 0 });
    const everyone = await previewCampaign(w, request({ target: { tiers: ['high', 'medium', 'low'] } }), now);
    // Low-risk customers are eligible for neither template (tiers high/medium).
    expect(everyone.unmatched).toEqual({
      no_eligible_strategy: 20,
      no_positive_value: 0,
      budget_exhausted: 0,
    });
    for (const m of preview.members) {
      const even = Number(m.customerId.slice(1)) % 2 === 0;
      expect(m.strategyId, m.customerId).toBe(even ? coupon : call);
    }
    // 80 high and 120 medium: 8 and 12 held out.
    const control = preview.members.filter((m) => m.arm === 'control');
    expect(control.filter((m) => m.tier === 'high')).toHaveLength(8);
    expect(control.filter((m) => m.tier === 'medium')).toHaveLength(12);
    expect(preview.treated).toBe(180);
    const treatedCost = preview.members
      .filter((m) => m.arm === 'treated')
      .reduce((sum, m) => sum + m.unitCost, 0);
    expect(preview.cost).toBe(treatedCost);
    expect(await w.all('SELECT * FROM campaigns')).toEqual([]);

    const { id, plan } = await launch();
    expect(plan.members.map((m) => [m.customerId, m.arm, m.strategyId])).toEqual(
      preview.members.map((m) => [m.customerId, m.arm, m.strategyId]),
    );
    const rows = await w.all<{ customer_id: string; arm: string; action_id: string | null }>(
      'SELECT customer_id, arm, action_id FROM campaign_members WHERE campaign_id = ? ORDER BY customer_id',
      [id],
    );
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(200);
    for (const row of rows) {
      expect(row.action_id).toBe(row.arm === 'treated' ? actionId(id, row.customer_id) : null);
    }
    const detail = await getCampaign(w, id);
    expect(detail).toMatchObject({
      treated: 180,
      control: 20,
      seed: 11,
      controlShare: 0.1,
      createdBy: 'ops1',
    });
    expect(detail!.byStrategy.map((s) => s.treated + s.control).sort()).toEqual([100, 100]);
    const [entry] = await listAudit(w, { limit: 1, action: 'campaign.launch' });
    expect(entry).toMatchObject({
      target: id,
      detail: expect.objectContaining({ treated: 180, control: 20 }),
    });
  });

  it('reproduces the hold-out from the seed and changes it with another seed', async () => {
    const controls = async (seed: number) =>
      (await previewCampaign(w, request({ seed }), now)).members
        .filter((m) => m.arm === 'control')
        .map((m) => m.customerId);
    expect(await controls(5)).toEqual(await controls(5));
    expect(await controls(6)).not.toEqual(await controls(5));
  });

  it('filters the target by tier, segment and cause, and assigns one chosen strategy', async () => {
    const byCause = await previewCampaign(
      w,
      request({ target: { reason: 'service_dissatisfied', tiers: ['high'] } }),
      now,
    );
    expect(byCause.members).toHaveLength(40);
    expect(byCause.members.every((m) => m.strategyId === call && m.tier === 'high')).toBe(true);
    const bySegment = await previewCampaign(w, request({ target: { segment: 'vip' } }), now);
    expect(bySegment.candidates).toBe(67);
    // Assign: the coupon to every listed customer, whatever their cause.
    const assigned = await previewCampaign(
      w,
      request({ mode: 'assign', strategyIds: [coupon], target: { customerIds: ['C001', 'C002', 'L3'] } }),
      now,
    );
    expect(assigned.members.map((m) => [m.customerId, m.strategyId])).toEqual([
      ['L3', coupon],
      ['C002', coupon],
      ['C001', coupon],
    ]);
  });

  it('keeps within the campaign budget and the strategy budget across campaigns', async () => {
    const capped = await previewCampaign(w, request({ budget: 500 }), now);
    // Costs 10 (coupon) and 8 (call) per member, highest net value first, until 500 is used up.
    expect(capped.members.reduce((sum, m) => sum + m.unitCost, 0)).toBeLessThanOrEqual(500);
    expect(capped.unmatched.budget_exhausted).toBeGreaterThan(0);
    const nets = capped.members.map((m) => m.expectedNetValue);
    const left = (await previewCampaign(w, request(), now)).members
      .filter((m) => !capped.members.some((c) => c.customerId === m.customerId))
      .map((m) => m.expectedNetValue);
    expect(Math.min(...nets)).toBeGreaterThanOrEqual(Math.max(...left) - 10);

    await updateStrategy(w, coupon, { fields: { budget: 300 } }, TEST_ACTOR, now);
    const first = await launch({ strategyIds: [coupon] });
    expect(first.plan.members).toHaveLength(30);
    // The first campaign spent 27 treated × 10 = 270: 30 is left, enough for 3 more.
    const second = await previewCampaign(w, request({ strategyIds: [coupon] }), now);
    expect(second.members).toHaveLength(3);
  });

  it('re-estimates save rates from measured outcomes, shrunk towards the prior', async () => {
    await w.run(
      `INSERT INTO strategy_measurements VALUES ('old', ?, 200, 30, 200, 60, TIMESTAMP '2024-12-01')`,
      [coupon],
    );
    const plan = await previewCampaign(w, request({ priorWeight: 200 }), now);
    const share = plan.byStrategy.find((s) => s.strategyId === coupon)!;
    // prior 0.15 (k = 200), measured 1 − 0.15/0.30 = 0.5 from 200 treated → 0.325.
    expect(share.saveRate).toBeCloseTo(0.325, 12);
    expect(plan.byStrategy.find((s) => s.strategyId === call)!.saveRate).toBe(0.2);
  });

  it('applies stored parameter overrides to the members', async () => {
    await setParameterOverride(w, { strategyId: coupon, customerId: null }, { amount: 15 }, TEST_ACTOR, now);
    await setParameterOverride(
      w,
      { strategyId: coupon, customerId: 'C000' },
      { amount: 20 },
      TEST_ACTOR,
      now,
    );
    const plan = await previewCampaign(w, request({ strategyIds: [coupon] }), now);
    const parameters = (id: string) => plan.members.find((m) => m.customerId === id)!.parameters;
    expect(parameters('C000')).toEqual({ amount: 20, validityDays: 14 });
    expect(parameters('C002')).toEqual({ amount: 15, validityDays: 14 });
  });

  it('refuses a zero budget, an empty target, and unknown or paused strategies', async () => {
    expect((await retentionFailure(previewCampaign(w, request({ budget: 0 }), now))).code).toBe(
      'zero_budget',
    );
    const empty = await retentionFailure(launch({ target: { segment: 'nobody' } }));
    expect(empty.code).toBe('empty_target');
    expect(await w.all('SELECT * FROM campaign_members')).toEqual([]);
    const unknown = await retentionFailure(previewCampaign(w, request({ strategyIds: ['nope'] }), now));
    expect([unknown.code, unknown.where]).toEqual(['unknown_strategy', 'body.strategyIds[0]']);
    await updateStrategy(w, call, { fields: {}, status: 'paused' }, TEST_ACTOR, now);
    expect((await retentionFailure(previewCampaign(w, request({ strategyIds: [call] }), now))).code).toBe(
      'strategy_not_active',
    );
    // Paused strategies drop out of matching: the service-driven customers have no strategy now.
    expect((await previewCampaign(w, request(), now)).unmatched.no_eligible_strategy).toBe(100);
  });
  it('ranks by uplift where the action kind has a model, says why elsewhere, and stores the ranking', async () => {
    const counts = { treated: 150, control: 150, treatedChurned: 30, controlChurned: 35 };
    // The call is estimated to help the service-driven customers C101, C103 … by 0.3 and no one else.
    const callUplift = new Map<string, number>();
    for (let i = 0; i < 200; i++) callUplift.set(`C${String(i).padStart(3, '0')}`, i % 2 === 1 ? 0.3 : 0);
    const models: UpliftModels = {
      modelVersion: 1,
      members: 300,
      scoredAt: '2025-01-05',
      kinds: [
        { actionKind: 'coupon', status: 'skipped', reason: '150 treated members …', counts },
        {
          actionKind: 'service_call',
          status: 'trained',
          counts,
          heldOut: 300,
          estimator: 'cause_mix',
          upliftAtK: [],
          qini: { points: [], coefficient: 0 },
          estimators: [],
        },
      ],
      uplift: new Map([['service_call', callUplift]]),
    };
    const plan = await previewCampaign(w, request({ ranking: 'uplift' }), now, models);
    expect(plan.ranking).toBe('uplift');
    const notes = new Map(plan.rankingNotes.map((n) => [n.strategyId, n]));
    expect(notes.get(call)).toEqual({
      strategyId: call,
      actionKind: 'service_call',
      basis: 'uplift',
      reason: null,
    });
    expect(notes.get(coupon)).toMatchObject({ actionKind: 'coupon', basis: 'risk' });
    expect(notes.get(coupon)?.reason).toContain(
      'too little campaign history for coupon: 150 treated members',
    );
    for (const m of plan.members) {
      const serviceDriven = Number(m.customerId.slice(1)) % 2 === 1;
      expect([m.strategyId, m.basis], m.customerId).toEqual(
        serviceDriven ? [call, 'uplift'] : [coupon, 'risk'],
      );
      // uplift × value − unit cost (8 for the call).
      if (serviceDriven) expect(m.expectedNetValue).toBeCloseTo(0.3 * m.value - 8, 9);
    }
    // Without models (or under risk ranking) nothing is priced by uplift, and the notes say why.
    const none = await previewCampaign(w, request({ ranking: 'uplift' }), now);
    expect(none.members.every((m) => m.basis === 'risk' && m.uplift === null)).toBe(true);
    expect(none.rankingNotes.every((n) => n.reason?.startsWith('no uplift models are available'))).toBe(true);
    expect((await previewCampaign(w, request(), now, models)).rankingNotes).toEqual([]);

    const { id } = await w.transaction((tx) =>
      launchCampaign(tx, request({ ranking: 'uplift' }), TEST_ACTOR, now, models),
    );
    expect(await w.all('SELECT ranking FROM campaigns WHERE id = ?', [id])).toEqual([{ ranking: 'uplift' }]);
    const stored = await w.all<{ customer_id: string; uplift: number | null }>(
      "SELECT customer_id, uplift FROM campaign_members WHERE campaign_id = ? AND customer_id IN ('C000', 'C001')",
      [id],
    );
    expect(stored.sort((a, b) => (a.customer_id < b.customer_id ? -1 : 1))).toEqual([
      { customer_id: 'C000', uplift: null },
      { customer_id: 'C001', uplift: 0.3 },
    ]);
  });
});

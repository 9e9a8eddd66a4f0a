import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import { migrate } from '../warehouse/migrations.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { measureCampaign } from './measure-campaign.js';

// A campaign started on 2026-01-01 (its members' scoring date); churn = a cancellation within 30 days.
const definition: ChurnDefinition = { kind: 'contractual', horizonDays: 30 };
const NOW = Date.parse('2026-03-02T00:00:00Z');
let warehouse: Warehouse;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
  await migrate(warehouse);
  await warehouse.run(`INSERT INTO campaigns (id, name, mode, source, budget, control_share, seed, prior_weight,
    treated, control, cost, expected_net_value, created_at, created_by) VALUES ('camp', 'January', 'matcher', '{}',
    NULL, 0.5, 42, 50, 0, 0, 0, 0, TIMESTAMP '2026-01-01 09:00:00', 'operator')`);
});
afterEach(() => warehouse.close());

/**
 * `n` members of `strategy` in `arm`: the first `churned` cancel on 2026-01-10, the last `repurchased` buy for
 * `revenue` on 2026-01-15. Each treated member costs 5.
 */
async function group(
  strategy: string,
  arm: 'treated' | 'control',
  n: number,
  churned: number,
  repurchased: number,
  revenue: number,
): Promise<void> {
  const id = `'${strategy}-${arm}-' || i`;
  await warehouse.run(
    `INSERT INTO customers (customer_id, signup_at) SELECT ${id}, TIMESTAMP '2025-01-01' FROM range(${n}) t(i)`,
  );
  await warehouse.run(`INSERT INTO cancellations (customer_id, cancelled_at)
    SELECT ${id}, TIMESTAMP '2026-01-10' FROM range(${churned}) t(i)`);
  await warehouse.run(`INSERT INTO transactions (customer_id, ts, amount)
    SELECT ${id}, TIMESTAMP '2026-01-15', ${revenue} FROM range(${n - repurchased}, ${n}) t(i)`);
  await warehouse.run(`INSERT INTO campaign_members (campaign_id, customer_id, arm, strategy_id, parameters, tier,
      causes, probability, value, save_rate, unit_cost, expected_net_value, scored_at, model_version, action_id)
    SELECT 'camp', ${id}, '${arm}', '${strategy}', '{}', 'high', '[]', 0.5, 100, 0.1, 5, 0, DATE '2026-01-01', 1,
      ${arm === 'treated' ? id : 'NULL'} FROM range(${n}) t(i)`);
}

describe('measureCampaign', () => {
  beforeEach(async () => {
    // coupon works (30% → 10%); call does nothing; push makes it worse (20% → 25%) on many customers.
    await group('coupon', 'treated', 60, 6, 30, 80);
    await group('coupon', 'control', 60, 18, 15, 80);
    await group('call', 'treated', 60, 15, 20, 50);
    await group('call', 'control', 60, 15, 20, 50);
    await group('push', 'treated', 800, 200, 400, 10);
    await group('push', 'control', 800, 160, 400, 10);
  });

  it('says "not yet measurable" until the horizon has passed in the data', async () => {
    const early = await measureCampaign(warehouse, 'camp', { definition, dataEnd: '2026-01-20', now: NOW });
    expect(early).toEqual({
      status: 'not_yet_measurable',
      campaignId: 'camp',
      startsOn: '2026-01-01',
      horizonDays: 30,
      measurableOn: '2026-01-31',
      treated: 920,
      control: 920,
    });
    const rows = await warehouse.all('SELECT * FROM strategy_measurements');
    expect(rows).toEqual([]);
  });

  it('compares treated with control overall and per strategy, and flags what does not work', async () => {
    const result = await measureCampaign(warehouse, 'camp', { definition, dataEnd: '2026-03-01', now: NOW });
    if (result?.status !== 'measured') throw new Error(`not measured: ${JSON.stringify(result)}`);
    expect(result.unlabelled).toBe(0);
    expect(result.overall).toMatchObject({
      treated: 920,
      control: 920,
      treatedChurned: 221,
      controlChurned: 193,
    });
    const [call, coupon, push] = result.strategies;
    expect(result.strategies.map((s) => [s.strategyId, s.verdict])).toEqual([
      ['call', 'watch'],
      ['coupon', 'keep'],
      ['push', 'retire'],
    ]);
    expect(coupon?.churn).toMatchObject({ treatedRate: 0.1, controlRate: 0.3 });
    expect(coupon?.churn.difference).toBeCloseTo(-0.2, 12);
    expect(coupon?.churn.high).toBeLessThan(0);
    expect(coupon?.repurchase).toMatchObject({ treatedRate: 0.5, controlRate: 0.25 });
    expect(coupon?.value).toMatchObject({ treatedMean: 40, controlMean: 20 });
    expect(coupon?.value.low).toBeGreaterThan(0);
    expect(coupon?.economics).toMatchObject({ totalCost: 300 });
    expect(coupon?.economics.savedCustomers).toBeCloseTo(12, 9);
    expect(coupon?.economics.costPerSaved).toBeCloseTo(25, 9);
    expect(call?.churn.difference).toBe(0);
    expect(push?.economics.churnReductionHigh).toBeLessThan(0.01);
    const saved = await warehouse.all<Record<string, unknown>>(
      `SELECT strategy_id, treated, treated_churned, control, control_churned FROM strategy_measurements
       ORDER BY strategy_id`,
    );
    expect(saved.map((r) => Object.values(r).map(Number).slice(1))).toEqual([
      [60, 15, 60, 15],
      [60, 6, 60, 18],
      [800, 200, 800, 160],
    ]);
  });

  it('answers null for an unknown campaign', async () => {
    expect(await measureCampaign(warehouse, 'nope', { definition, now: NOW })).toBeNull();
  });
});

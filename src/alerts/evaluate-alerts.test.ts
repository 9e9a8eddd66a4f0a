import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { evaluateAlerts } from './evaluate-alerts.js';
import { addCustomer, addScore, alertsConfig } from './testing/alert-fixtures.js';

const NOW = Date.UTC(2025, 0, 10, 8, 0, 0);
const DAY = 86_400_000;
let warehouse: Warehouse;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
});
afterEach(() => warehouse.close());

async function alertRows() {
  return warehouse.all<{
    customer_id: string;
    rule: string;
    tier: string;
    previous_probability: number | null;
  }>('SELECT customer_id, rule, tier, previous_probability FROM alerts ORDER BY rule, customer_id');
}

async function run(section: unknown, now = NOW, customerIds?: string[]) {
  return evaluateAlerts(warehouse, {
    config: { alerts: alertsConfig(section) },
    scoredAt: '2025-01-08',
    modelVersion: 1,
    now,
    ...(customerIds ? { customerIds } : {}),
  });
}

describe('evaluateAlerts', () => {
  beforeEach(async () => {
    // a: low → high; b: medium → high; c: high → high; d: new customer, high; e: low → medium (+0.35)
    for (const [id, segment] of [
      ['a', 'vip'],
      ['b', 'retail'],
      ['c', 'retail'],
      ['d', 'vip'],
      ['e', null],
    ] as const) {
      await addCustomer(warehouse, id, segment);
    }
    await addScore(warehouse, 'a', '2025-01-01', 0.3);
    await addScore(warehouse, 'a', '2025-01-08', 0.85, { drivers: ['tickets_open'] });
    await addScore(warehouse, 'b', '2024-12-25', 0.2); // older than the previous score: ignored
    await addScore(warehouse, 'b', '2025-01-01', 0.6);
    await addScore(warehouse, 'b', '2025-01-08', 0.82);
    await addScore(warehouse, 'c', '2025-01-01', 0.9);
    await addScore(warehouse, 'c', '2025-01-08', 0.95);
    await addScore(warehouse, 'd', '2025-01-08', 0.9);
    await addScore(warehouse, 'e', '2025-01-01', 0.2);
    await addScore(warehouse, 'e', '2025-01-08', 0.55);
  });

  it('raises enters_tier for customers entering or rising into the tier, not those already in it', async () => {
    const result = await run({ rules: [{ name: 'hi', kind: 'enters_tier', tier: 'high' }] });
    expect((await alertRows()).map((r) => r.customer_id)).toEqual(['a', 'b']);
    expect(result).toMatchObject({ compared: 5, created: 2, messages: 0 });
    const medium = await run({ rules: [{ name: 'mid', kind: 'enters_tier', tier: 'medium' }] });
    expect(medium.created).toBe(2); // a (low → high passes medium) and e (low → medium); b was medium already
    const first = await run({
      rules: [{ name: 'first', kind: 'enters_tier', tier: 'high', first_score: true }],
    });
    expect(first.created).toBe(3); // a, b and the newly scored d
  });

  it('raises score_jump when the probability rose by more than the amount', async () => {
    await run({ rules: [{ name: 'jump', kind: 'score_jump', min_increase: 0.3 }] });
    const rows = await alertRows();
    expect(rows.map((r) => r.customer_id)).toEqual(['a', 'e']);
    expect(rows[0]!.previous_probability).toBeCloseTo(0.3);
  });

  it('raises high_value_threshold for valuable customers crossing the probability', async () => {
    await warehouse.run(`INSERT INTO transactions (customer_id, ts, amount) VALUES
      ('a', TIMESTAMP '2024-12-20', 600), ('a', TIMESTAMP '2024-12-28', 600),
      ('b', TIMESTAMP '2024-12-20', 900), ('b', TIMESTAMP '2024-06-01', 5000),
      ('d', TIMESTAMP '2025-01-02', 2000), ('e', TIMESTAMP '2025-01-02', 2000)`);
    await run({
      rules: [
        { name: 'vip', kind: 'high_value_threshold', min_value: 1000, probability: 0.7, value_days: 90 },
      ],
    });
    // a: 1200 in 90 days, 0.3 → 0.85; b: 900 in 90 days (5000 is older); d: first score, 2000; e: 0.55 < 0.7
    expect((await alertRows()).map((r) => r.customer_id)).toEqual(['a', 'd']);
    const value = await warehouse.all<{ customer_value: number }>(
      "SELECT customer_value FROM alerts WHERE customer_id = 'a'",
    );
    expect(value[0]!.customer_value).toBe(1200);
  });

  it('filters by segment, tier and reason', async () => {
    const base = { name: 'jump', kind: 'score_jump', min_increase: 0.1 };
    await run({ rules: [{ ...base, name: 'seg', segments: ['vip'] }] });
    await run({ rules: [{ ...base, name: 'tier', tiers: ['medium'] }] });
    await run({ rules: [{ ...base, name: 'why', reasons: ['tickets_open'] }] });
    const rows = await alertRows();
    expect(rows.map((r) => `${r.rule}:${r.customer_id}`)).toEqual(['seg:a', 'tier:e', 'why:a']);
  });

  it('keeps one open alert per customer and rule, and is quiet for N days after one is closed', async () => {
    const section = { rules: [{ name: 'hi', kind: 'enters_tier', tier: 'high' }], quiet_days: 3 };
    expect((await run(section)).created).toBe(2);
    const again = await run(section);
    expect(again).toMatchObject({ created: 0, duplicates: 2 });
    await warehouse.run(
      "UPDATE alerts SET status = 'closed', closed_at = make_timestamp(CAST(? AS BIGINT) * 1000) WHERE customer_id = 'a'",
      [NOW],
    );
    await warehouse.run("UPDATE alerts SET status = 'acknowledged' WHERE customer_id = 'b'");
    expect(await run(section, NOW + 2 * DAY)).toMatchObject({ created: 0, duplicates: 1, quiet: 1 });
    expect(await run(section, NOW + 3 * DAY + 1)).toMatchObject({ created: 1, duplicates: 1, quiet: 0 });
    const perRule = { rules: [{ name: 'hi', kind: 'enters_tier', tier: 'high', quiet_days: 0 }] };
    expect((await run(perRule, NOW + 4 * DAY)).created).toBe(0); // a's second alert is open now
  });

  it('looks only at the customers given, and does nothing without rules', async () => {
    expect(
      (await run({ rules: [{ name: 'hi', kind: 'enters_tier', tier: 'high' }] }, NOW, ['b'])).created,
    ).toBe(1);
    expect(await run({ rules: [] })).toMatchObject({ compared: 0, created: 0 });
    expect((await alertRows()).map((r) => r.customer_id)).toEqual(['b']);
  });

  it('writes one outbox message per channel that takes the rule, with the alert as payload', async () => {
    const result = await run({
      rules: [
        { name: 'hi', kind: 'enters_tier', tier: 'high' },
        { name: 'jump', kind: 'score_jump', min_increase: 0.3 },
      ],
      channels: [
        { name: 'crm', kind: 'webhook', url: 'http://127.0.0.1:1/hook', secret: 's' },
        { name: 'team', kind: 'wecom', url: 'http://127.0.0.1:1/robot', rules: ['jump'] },
      ],
    });
    // hi: a, b; jump: a, e → 4 alerts; crm gets 4, team gets the 2 jumps
    expect(result).toMatchObject({ created: 4, messages: 6 });
    const messages = await warehouse.all<{
      channel: string;
      status: string;
      attempts: number;
      payload: string;
    }>('SELECT channel, status, attempts, payload FROM outbox ORDER BY channel');
    expect(messages.filter((m) => m.channel === 'team')).toHaveLength(2);
    expect(messages.every((m) => m.status === 'pending' && m.attempts === 0)).toBe(true);
    const event = JSON.parse(messages[0]!.payload) as { type: string; alert: Record<string, unknown> };
    expect(event.type).toBe('alert.created');
    expect(event.alert).toMatchObject({ scoredAt: '2025-01-08', modelVersion: 1 });
    expect(event.alert).not.toHaveProperty('phone');
  });

  it('writes alerts and messages in one transaction: a failing outbox insert leaves no alert', async () => {
    // An outbox that refuses every row stands in for any failure between the two inserts.
    await warehouse.run('DROP TABLE outbox');
    await warehouse.run(`CREATE TABLE outbox (id VARCHAR, alert_id VARCHAR, channel VARCHAR,
      payload VARCHAR CHECK (length(payload) < 10), status VARCHAR, attempts INTEGER,
      next_attempt_at TIMESTAMP, last_error VARCHAR, created_at TIMESTAMP, delivered_at TIMESTAMP)`);
    await expect(
      run({
        rules: [{ name: 'hi', kind: 'enters_tier', tier: 'high' }],
        channels: [{ name: 'crm', kind: 'webhook', url: 'http://127.0.0.1:1/hook', secret: 's' }],
      }),
    ).rejects.toThrow(/CHECK|constraint/i);
    expect(await alertRows()).toEqual([]);
  });
});

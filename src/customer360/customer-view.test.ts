import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejected } from '../testing/thrown.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { customerView } from './customer-view.js';

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  await warehouse.run(`INSERT INTO customers (customer_id, signup_at, segment, region, plan) VALUES ('a1', '2024-01-05 10:00:00', 'vip', 'north', 'gold'),
    ('b2', '2024-02-01 00:00:00', NULL, NULL, NULL)`);
  await warehouse.run(`INSERT INTO events VALUES ('a1', '2024-06-01 09:00:00', 'login', NULL),
    ('a1', '2024-06-20 09:00:00', 'visit', NULL), ('a1', '2024-03-01 09:00:00', 'visit', NULL),
    ('b2', '2024-06-29 23:00:00', 'visit', NULL)`);
  await warehouse.run(`INSERT INTO transactions VALUES ('a1', '2024-06-10 12:00:00', 25.5, 'box', NULL),
    ('a1', '2024-01-10 12:00:00', 99, NULL, NULL)`);
  await warehouse.run(`INSERT INTO tickets VALUES ('a1', '2024-06-15 08:00:00', NULL, 'billing', NULL),
    ('a1', '2024-05-01 08:00:00', '2024-05-02 08:00:00', 'delivery', 4)`);
  await warehouse.run(`INSERT INTO cancellations VALUES ('a1', '2024-06-25 00:00:00', 'price', true)`);
  await warehouse.run(`INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
    VALUES ('a1', '2024-06-01', 1, 0.4, 'low', 'low risk: x', '低风险：x', '[]'),
           ('a1', '2024-06-30', 2, 0.85, 'high', 'high risk: y', '高风险：y', '[]')`);
});

afterAll(() => warehouse.close());

describe('customerView', () => {
  it('joins profile, activity, tickets, cancellation and score history for one customer', async () => {
    const view = await customerView(warehouse, 'a1');
    expect(view.profile).toEqual({
      customerId: 'a1',
      signupAt: '2024-01-05 10:00:00',
      segment: 'vip',
      region: 'north',
      plan: 'gold',
    });
    // The data ends on 2024-06-29: counts are taken at the next midnight.
    expect(view.asOf).toBe('2024-06-30');
    expect(view.activity).toEqual([
      { kind: 'login', last30: 1, last90: 1, amount90: null, latest: '2024-06-01 09:00:00' },
      { kind: 'purchases', last30: 1, last90: 1, amount90: 25.5, latest: '2024-06-10 12:00:00' },
      { kind: 'tickets', last30: 1, last90: 2, amount90: null, latest: '2024-06-15 08:00:00' },
      { kind: 'visit', last30: 1, last90: 1, amount90: null, latest: '2024-06-20 09:00:00' },
    ]);
    expect(view.openTickets).toBe(1);
    expect(view.cancelledAt).toBe('2024-06-25 00:00:00');
    expect(view.timeline.slice(0, 3)).toEqual([
      { at: '2024-06-25 00:00:00', kind: 'cancellation', detail: 'price (voluntary)' },
      { at: '2024-06-20 09:00:00', kind: 'event', detail: 'visit' },
      { at: '2024-06-15 08:00:00', kind: 'ticket', detail: 'billing, open' },
    ]);
    expect(view.timeline).toHaveLength(8);
    expect(view.tickets).toEqual([
      { openedAt: '2024-06-15 08:00:00', resolvedAt: null, category: 'billing', satisfaction: null },
      {
        openedAt: '2024-05-01 08:00:00',
        resolvedAt: '2024-05-02 08:00:00',
        category: 'delivery',
        satisfaction: 4,
      },
    ]);
    expect(view.transactions).toEqual([
      { at: '2024-06-10 12:00:00', amount: 25.5, product: 'box', paymentMethod: null },
      { at: '2024-01-10 12:00:00', amount: 99, product: null, paymentMethod: null },
    ]);
    expect(view.scores.map((s) => [s.scoredAt, s.tier, s.reasons['zh-CN']])).toEqual([
      ['2024-06-30', 'high', '高风险：y'],
      ['2024-06-01', 'low', '低风险：x'],
    ]);
  });

  it('keeps the timeline to the requested length and shows a customer with nothing yet', async () => {
    expect((await customerView(warehouse, 'a1', { timeline: 2 })).timeline).toHaveLength(2);
    const quiet = await customerView(warehouse, 'b2');
    expect(quiet.profile.segment).toBeNull();
    expect(quiet.scores).toEqual([]);
    expect(quiet.cancelledAt).toBeNull();
    expect(quiet.tickets).toEqual([]);
    expect(quiet.transactions).toEqual([]);
  });

  it('lists the newest 50 tickets and transactions of a customer with more', async () => {
    await warehouse.run(
      `INSERT INTO customers (customer_id, signup_at) VALUES ('c3', '2024-01-01 00:00:00')`,
    );
    await warehouse.run(`INSERT INTO transactions SELECT 'c3', TIMESTAMP '2024-01-01' + INTERVAL (i) DAY, i, NULL, 'card'
      FROM range(60) AS r(i)`);
    await warehouse.run(`INSERT INTO tickets SELECT 'c3', TIMESTAMP '2024-01-01' + INTERVAL (i) DAY, NULL, 'login', NULL
      FROM range(55) AS r(i)`);
    const busy = await customerView(warehouse, 'c3');
    expect(busy.transactions).toHaveLength(50);
    expect(busy.transactions[0]).toEqual({
      at: '2024-02-29 00:00:00',
      amount: 59,
      product: null,
      paymentMethod: 'card',
    });
    expect(busy.transactions.at(-1)?.amount).toBe(10);
    expect(busy.tickets).toHaveLength(50);
    expect(busy.tickets[0]?.openedAt).toBe('2024-02-24 00:00:00');
    expect(busy.tickets.at(-1)?.openedAt).toBe('2024-01-06 00:00:00');
  });

  it('an unknown id is an input error naming it', async () => {
    expect((await rejected(() => customerView(warehouse, 'zz'))).message).toMatch(/customer "zz"/);
  });
});

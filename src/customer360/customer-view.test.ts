import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejected } from '../testing/thrown.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { customerRecord, customerView } from './customer-view.js';
import { customerViewSql } from './customer-view-sql.js';

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
    const none = {
      eventType: null,
      amount: null,
      product: null,
      category: null,
      resolved: null,
      satisfaction: null,
      reason: null,
      voluntary: null,
    };
    expect(view.timeline.slice(0, 3)).toEqual([
      {
        at: '2024-06-25 00:00:00',
        kind: 'cancellation',
        detail: 'price (voluntary)',
        facts: { ...none, reason: 'price', voluntary: true },
      },
      { at: '2024-06-20 09:00:00', kind: 'event', detail: 'visit', facts: { ...none, eventType: 'visit' } },
      {
        at: '2024-06-15 08:00:00',
        kind: 'ticket',
        detail: 'billing, open',
        facts: { ...none, category: 'billing', resolved: false },
      },
    ]);
    const purchase = view.timeline.find((item) => item.kind === 'purchase');
    expect(purchase?.facts.amount).toBe(Number(purchase?.detail.split(' ')[0]));
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

describe('customerRecord, the fast and cached form', () => {
  let seeded: Warehouse;
  const ids = Array.from({ length: 40 }, (_, c) => `k${String(c).padStart(2, '0')}`);

  beforeAll(async () => {
    seeded = await openWarehouse(':memory:');
    let state = 11;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const at = (day: number, second: number) =>
      new Date(Date.UTC(2024, 0, 1) + day * 86_400_000 + second * 1000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
    for (const [c, id] of ids.entries()) {
      await seeded.run(
        `INSERT INTO customers (customer_id, signup_at, segment, region, plan, name, phone, email)
         VALUES (?, '2023-05-01 08:00:00', ?, 'north', NULL, ?, ?, NULL)`,
        [id, c % 3 === 0 ? null : 'smb', c % 4 === 0 ? null : `名字${c}`, `1380000${c}`],
      );
      // Events share seconds (ties broken by type), one type is named like a kind of the summary.
      for (let k = 0; k < (c % 7) * 9; k++) {
        const type = ['visit', 'login', 'page_view', 'purchases'][Math.floor(random() * 4)]!;
        await seeded.run('INSERT INTO events VALUES (?, ?, ?, NULL)', [
          id,
          at(Math.floor(random() * 200), k % 3),
          type,
        ]);
      }
      // Purchases share seconds but differ in amount: the SQL form orders (time, amount) and no further.
      for (let k = 0; k < (c % 5) * 14; k++) {
        const amount = [7.125, 10, 0.375, 99.99, -5][k % 5]! + Math.floor(k / 5);
        await seeded.run('INSERT INTO transactions VALUES (?, ?, ?, ?, ?)', [
          id,
          at(Math.floor(random() * 200), 0),
          amount,
          k % 2 === 0 ? 'box' : null,
          k % 3 === 0 ? 'card' : null,
        ]);
      }
      for (let k = 0; k < c % 4; k++) {
        await seeded.run('INSERT INTO tickets VALUES (?, ?, ?, ?, ?)', [
          id,
          at(150 + k, 0),
          k === 0 ? null : at(151 + k, 0),
          k % 2 === 0 ? 'billing' : null,
          k === 2 ? 4.5 : null,
        ]);
      }
      if (c % 6 === 1) {
        await seeded.run('INSERT INTO cancellations VALUES (?, ?, ?, ?)', [
          id,
          at(190, 0),
          'price',
          c % 12 === 1,
        ]);
      }
      for (const version of c % 2 === 0 ? [1, 2] : [1]) {
        await seeded.run(
          `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
           VALUES (?, DATE '2024-07-01', ?, ?, 'low', 'en', '中', '[]')`,
          [id, version, random()],
        );
      }
    }
  });

  afterAll(() => seeded.close());

  it('equals the one-statement form for every customer and timeline length', async () => {
    for (const id of ids) {
      for (const timeline of [15, 3, 40]) {
        const fast = (await customerRecord(seeded, id, { timeline }))!;
        const reference = await customerViewSql(seeded, id, { timeline });
        // Sums of amounts may add in another order: compared to the cent, the rest exactly.
        const amounts = (view: typeof reference) => view.activity.map((a) => a.amount90);
        const rounded = (view: typeof reference) => amounts(view).map((x) => (x === null ? x : x.toFixed(6)));
        expect(rounded(fast.view)).toEqual(rounded(reference));
        const strip = (view: typeof reference) => ({
          ...view,
          activity: view.activity.map((a) => ({ ...a, amount90: null })),
        });
        expect(strip(fast.view), `${id} timeline ${timeline}`).toEqual(strip(reference));
      }
    }
  });

  it('returns the personal fields beside the view, and null for an unknown id', async () => {
    expect((await customerRecord(seeded, 'k01'))?.personal).toEqual({
      name: '名字1',
      phone: '13800001',
      email: null,
    });
    expect(await customerRecord(seeded, 'nobody')).toBeNull();
  });

  it('shows a write at once: new events, purchases and a new profile', async () => {
    const before = (await customerRecord(seeded, 'k05'))!;
    await seeded.run(`INSERT INTO events VALUES ('k05', '2024-07-18 10:00:00', 'visit', NULL)`);
    const withEvent = (await customerRecord(seeded, 'k05'))!;
    expect(withEvent.view.timeline[0]).toMatchObject({
      at: '2024-07-18 10:00:00',
      kind: 'event',
      detail: 'visit',
      facts: { eventType: 'visit', amount: null },
    });
    expect(withEvent.view).not.toEqual(before.view);
    await seeded.run(`INSERT INTO transactions VALUES ('k05', '2024-07-19 10:00:00', 12.5, 'kit', NULL)`);
    expect((await customerRecord(seeded, 'k05'))!.view.transactions[0]).toEqual({
      at: '2024-07-19 10:00:00',
      amount: 12.5,
      product: 'kit',
      paymentMethod: null,
    });
    await seeded.run(
      `INSERT INTO customers (customer_id, signup_at, name) VALUES ('k99', '2024-02-02 00:00:00', 'New')`,
    );
    expect((await customerRecord(seeded, 'k99'))?.personal.name).toBe('New');
    expect(await customerRecord(seeded, 'k99')).toEqual(await customerRecord(seeded, 'k99'));
  });
});

describe('customerRecord in a warehouse with no activity at all', () => {
  it('shows the profile and scores, dated today, as the one-statement form does', async () => {
    const empty = await openWarehouse(':memory:');
    try {
      await empty.run(`INSERT INTO customers (customer_id, signup_at) VALUES ('z1', '2024-01-01 00:00:00')`);
      await empty.run(`INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en,
        reasons_zh, drivers) VALUES ('z1', DATE '2025-01-01', 1, 0.5, 'low', 'a', '乙', '[]')`);
      const fast = await customerRecord(empty, 'z1');
      expect(fast?.view.activity).toEqual([]);
      expect(fast?.view.scores).toHaveLength(1);
      expect(fast?.view).toEqual(await customerViewSql(empty, 'z1'));
    } finally {
      empty.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { hasLatestScoresTable, refreshLatestScoresTable } from './latest-scores-table.js';
import { type ListCustomersParams, listCustomers } from './list-customers.js';

const everyone: ListCustomersParams = {
  searchPersonal: true,
  sort: 'probability',
  order: 'desc',
  limit: 50,
  offset: 0,
};

describe('latest_scores, the materialised list input', () => {
  let warehouse: Warehouse;

  beforeEach(async () => {
    warehouse = await openWarehouse(':memory:');
    await warehouse.run(
      `INSERT INTO customers (customer_id, signup_at, segment, region, plan, name) VALUES
         ('A', TIMESTAMP '2024-01-01', 'consumer', 'north', 'basic', 'Ann'),
         ('B', TIMESTAMP '2024-01-01', 'business', 'south', 'plus', 'Bo'),
         ('C', TIMESTAMP '2024-01-01', 'consumer', 'south', 'plus', NULL)`,
    );
    // A has an older score too; C has none (not in the list).
    await warehouse.run(
      `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
       VALUES ('A', DATE '2025-01-01', 1, 0.1, 'low', 'old', '旧', '[]'),
              ('A', DATE '2025-02-01', 1, 0.8, 'high', 'fewer visits', '访问减少', '[{"feature":"visits_30d"}]'),
              ('B', DATE '2025-02-01', 1, 0.3, 'medium', 'tickets', '工单', '[{"feature":"tickets_90d"}]')`,
    );
    // Value = spend in the 90 days before the score: A's 10 + 5 count, the day of the score and 2024 do not.
    await warehouse.run(
      `INSERT INTO transactions (customer_id, ts, amount) VALUES
         ('A', TIMESTAMP '2025-01-15', 10), ('A', TIMESTAMP '2025-01-31 23:00', 5),
         ('A', TIMESTAMP '2025-02-01', 100), ('A', TIMESTAMP '2024-06-01', 100), ('B', TIMESTAMP '2025-01-20', 7.125)`,
    );
  });

  afterEach(() => warehouse.close());

  it('is absent until a scoring run builds it, and the list reads live meanwhile', async () => {
    expect(await hasLatestScoresTable(warehouse)).toBe(false);
    const page = await listCustomers(warehouse, everyone);
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => [r.id, r.probability, r.value, r.scoredAt])).toEqual([
      ['A', 0.8, 15, '2025-02-01'],
      ['B', 0.3, 7.13, '2025-02-01'],
    ]);
  });

  it('gives the same pages as the live query once built', async () => {
    const cases: ListCustomersParams[] = [
      everyone,
      { ...everyone, sort: 'value', order: 'asc' },
      { ...everyone, sort: 'id', order: 'asc', limit: 1, offset: 1 },
      { ...everyone, tiers: ['high'] },
      { ...everyone, reason: 'tickets_90d' },
      { ...everyone, search: 'an' },
      { ...everyone, offset: 10 },
      { ...everyone, sort: 'value', after: { key: 15, id: 'A' } },
    ];
    const live = await Promise.all(cases.map((params) => listCustomers(warehouse, params)));
    await refreshLatestScoresTable(warehouse);
    expect(await hasLatestScoresTable(warehouse)).toBe(true);
    const [table] = await warehouse.all<{ n: number }>('SELECT count(*) AS n FROM latest_scores');
    expect(table?.n).toBe(2);
    for (const [i, params] of cases.entries()) {
      expect(await listCustomers(warehouse, params)).toEqual(live[i]);
    }
    expect(live[6]).toEqual({ total: 2, rows: [] });
  });

  it('is not used once scores or transactions change after it was built', async () => {
    await refreshLatestScoresTable(warehouse);
    await warehouse.run(
      `INSERT INTO transactions (customer_id, ts, amount) VALUES ('B', TIMESTAMP '2025-01-21', 3)`,
    );
    const afterSpend = await listCustomers(warehouse, { ...everyone, sort: 'id', order: 'asc' });
    expect(afterSpend.rows.map((r) => r.value)).toEqual([15, 10.13]);

    await warehouse.run(
      `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
       VALUES ('C', DATE '2025-02-01', 1, 0.5, 'medium', 'x', 'x', '[]')`,
    );
    const afterScore = await listCustomers(warehouse, everyone);
    expect(afterScore.total).toBe(3);

    await refreshLatestScoresTable(warehouse);
    expect(await listCustomers(warehouse, everyone)).toEqual(afterScore);
  });

  it('leaves out customers who cancelled on or after their latest score, built or live', async () => {
    await refreshLatestScoresTable(warehouse);
    // B cancels after being scored; A cancelled once before its latest score (it came back): A stays.
    await warehouse.run(
      `INSERT INTO cancellations (customer_id, cancelled_at) VALUES
         ('B', TIMESTAMP '2025-02-10'), ('A', TIMESTAMP '2025-01-20')`,
    );
    const live = await listCustomers(warehouse, everyone);
    expect(live.rows.map((r) => r.id)).toEqual(['A']);
    await refreshLatestScoresTable(warehouse);
    expect(await listCustomers(warehouse, everyone)).toEqual(live);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { duckdbDialect, withCapabilities } from '../warehouse/sql-dialect.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { analyzeInactivity, compileInactivitySql, saveInactivityCurve } from './analyze-inactivity.js';

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  const tx = [
    ['x', '01-01'],
    ['x', '01-11'], // came back after exactly 10 days; then 20 days open until the end
    ['y', '01-01'], // never came back: 30 days open
    ['w', '01-01'],
    ['w', '01-04'],
    ['w', '01-31'], // came back after 27 days
  ];
  await warehouse.run(
    `INSERT INTO transactions (customer_id, ts, amount) VALUES ${tx.map(([c, d]) => `('${c}', TIMESTAMP '2025-${d} 00:00:00', 1)`).join(', ')}`,
  );
  await warehouse.run(
    "INSERT INTO events (customer_id, ts, event_type) VALUES ('v', TIMESTAMP '2025-01-02 00:00:00', 'visit')",
  );
});
afterAll(() => warehouse.close());

const expected = (k: number): [number, number] => {
  if (k <= 10) return [3, 2];
  if (k <= 20) return [3, 1];
  if (k <= 27) return [2, 1];
  return [1, 0];
};

describe('analyzeInactivity', () => {
  it('counts, per gap length, customers inactive that long and those who came back', async () => {
    const curve = await analyzeInactivity(warehouse, {
      source: { source: 'transactions' },
      maxGapDays: 31,
      dataEnd: '2025-01-31',
      minCustomers: 1,
    });
    expect(curve.activity).toBe('transactions');
    expect(curve.points.map((p) => [p.gapDays, p.inactiveCustomers, p.returnedCustomers])).toEqual(
      Array.from({ length: 30 }, (_, i) => [i + 1, ...expected(i + 1)]).concat([[31, 0, 0]]),
    );
    expect(curve.points[0]!.returnShare).toBeCloseTo(2 / 3, 12);
    expect(curve.points[30]!.returnShare).toBeNull();
    expect(curve.suggestedHorizonDays).toBe(28);
    expect(curve.rule).toMatch(/fewer than 10%/);
  });

  it('suggests nothing when too few customers are inactive that long', async () => {
    const curve = await analyzeInactivity(warehouse, {
      source: [{ source: 'transactions' }, { source: 'events', eventTypes: ['visit'] }],
      maxGapDays: 30,
      dataEnd: '2025-01-31',
    });
    expect(curve.activity).toBe('transactions + events(visit)');
    expect(curve.points[0]!.inactiveCustomers).toBe(4);
    expect(curve.suggestedHorizonDays).toBeNull();
  });

  it('takes the data end from the warehouse by default, and runs without FILTER', async () => {
    const sql = compileInactivitySql([{ source: 'transactions' }], 30, {
      dialect: withCapabilities(duckdbDialect, { aggregateFilter: false }),
    });
    expect(sql).not.toContain('FILTER');
    const rows = await warehouse.all<{ gap_days: number; inactive: number; returned: number }>(sql);
    expect(rows.map((r) => [r.gap_days, r.inactive, r.returned])).toEqual(
      Array.from({ length: 30 }, (_, i) => [i + 1, ...expected(i + 1)]),
    );
  });

  it('saves the curve as the inactivity_curve table, replacing the previous one', async () => {
    const curve = await analyzeInactivity(warehouse, { source: { source: 'transactions' }, maxGapDays: 5 });
    await saveInactivityCurve(warehouse, curve, new Date('2025-02-01T00:00:00Z'));
    await saveInactivityCurve(warehouse, curve, new Date('2025-02-01T00:00:00Z'));
    const rows = await warehouse.all('SELECT * FROM inactivity_curve ORDER BY gap_days');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      gap_days: 1,
      inactive_customers: 3,
      returned_customers: 2,
      return_share: 2 / 3,
      activity: 'transactions',
      computed_at: new Date('2025-02-01T00:00:00Z'),
    });
  });

  it('rejects a bad maxGapDays', async () => {
    await expect(
      analyzeInactivity(warehouse, { source: { source: 'transactions' }, maxGapDays: 0 }),
    ).rejects.toThrow(InputError);
  });
});

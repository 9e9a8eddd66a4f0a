import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import { migrate } from '../warehouse/migrations.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { getCohortRetention } from './cohort-retention.js';
import { annualise, getCustomerChurn } from './customer-churn.js';
import { getRevenueRetention } from './revenue-retention.js';

// Every figure below is worked out by hand from these few rows; the data ends on 2026-06-30.
const DATA_END = '2026-06-30 23:59:59';
const contractual: ChurnDefinition = { kind: 'contractual', horizonDays: 30 };
const lapse: ChurnDefinition = {
  kind: 'nonContractual',
  horizonDays: 30,
  activity: [{ source: 'transactions' }],
};

let warehouse: Warehouse;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
  await migrate(warehouse);
});
afterEach(() => warehouse.close());

async function customers(rows: [string, string, string?][]): Promise<void> {
  for (const [id, signup, segment] of rows) {
    await warehouse.run('INSERT INTO customers (customer_id, signup_at, segment) VALUES (?, ?, ?)', [
      id,
      signup,
      segment ?? 'consumer',
    ]);
  }
}

async function cancellations(rows: [string, string][]): Promise<void> {
  for (const [id, at] of rows) {
    await warehouse.run('INSERT INTO cancellations (customer_id, cancelled_at) VALUES (?, ?)', [id, at]);
  }
}

async function transactions(rows: [string, string, number][]): Promise<void> {
  for (const [id, at, amount] of rows) {
    await warehouse.run('INSERT INTO transactions (customer_id, ts, amount) VALUES (?, ?, ?)', [
      id,
      at,
      amount,
    ]);
  }
}

describe('customer churn, contractual', () => {
  beforeEach(async () => {
    await customers([
      ['a', '2026-01-10'],
      ['b', '2026-01-20'],
      ['c', '2026-02-05'],
      ['d', '2025-12-01'],
      ['e', '2026-03-01', 'smb'],
    ]);
    await cancellations([
      ['a', '2026-03-15'],
      ['c', '2026-02-20'],
      ['d', '2026-01-31'],
      ['e', '2026-05-02'],
    ]);
  });

  it('counts the customers lost in a month over those at its start; the open month is null', async () => {
    const churn = await getCustomerChurn(warehouse, contractual, { dataEnd: DATA_END });
    expect(churn.months.map((m) => [m.month, m.customersAtStart, m.lost, m.newCustomers, m.rate])).toEqual([
      // d signed up in December, but the data (here, the first cancellation) starts in January.
      ['2026-01-01', 1, 1, 2, 1],
      ['2026-02-01', 2, 0, 1, 0],
      ['2026-03-01', 2, 1, 1, 0.5],
      ['2026-04-01', 2, 0, 0, 0],
      ['2026-05-01', 2, 1, 0, 0.5],
      ['2026-06-01', 1, null, 0, null],
    ]);
    expect(churn.months[2]?.annualised).toBeCloseTo(1 - 0.5 ** 12, 12);
    expect(churn.trailingMonths).toBe(5);
    expect(churn.trailingMonthlyRate).toBeCloseTo(0.4, 12);
    expect(churn.trailingAnnualised).toBeCloseTo(annualise(0.4), 12);
  });

  it('limits everything to one segment', async () => {
    const churn = await getCustomerChurn(warehouse, contractual, { dataEnd: DATA_END, segment: 'smb' });
    expect(churn.months.map((m) => [m.month, m.customersAtStart, m.lost])).toEqual([
      ['2026-03-01', 0, 0],
      ['2026-04-01', 1, 0],
      ['2026-05-01', 1, 1],
      ['2026-06-01', 0, null],
    ]);
    const none = await getCustomerChurn(warehouse, contractual, { dataEnd: DATA_END, segment: 'nobody' });
    expect(none).toEqual({
      months: [],
      trailingMonthlyRate: null,
      trailingAnnualised: null,
      trailingMonths: 0,
    });
  });
});

describe('lapse-based churn, revenue retention and cohorts', () => {
  beforeEach(async () => {
    await customers([
      ['a', '2026-01-10'],
      ['b', '2026-01-20'],
      ['f', '2026-02-01'],
    ]);
    await transactions([
      ['a', '2026-01-15', 100],
      ['a', '2026-02-10', 100],
      ['a', '2026-03-05', 50],
      ['b', '2026-01-25', 200],
      ['b', '2026-02-25', 200],
      ['b', '2026-03-25', 300],
      ['b', '2026-04-25', 200],
      ['b', '2026-05-25', 200],
      ['b', '2026-06-25', 200],
    ]);
  });

  it('dates a loss at the last activity once H quiet days have passed; months settle H days late', async () => {
    const churn = await getCustomerChurn(warehouse, lapse, { dataEnd: DATA_END });
    expect(churn.months.map((m) => [m.month, m.customersAtStart, m.lost, m.rate])).toEqual([
      ['2026-01-01', 0, 0, null],
      ['2026-02-01', 2, 0, 0],
      ['2026-03-01', 2, 1, 0.5],
      ['2026-04-01', 1, 0, 0],
      // b is active; whether a May customer lapsed is known only 30 days after May ends.
      ['2026-05-01', 1, null, null],
      ['2026-06-01', 1, null, null],
    ]);
  });

  it('reports net and gross revenue retention against the month before, complete months only', async () => {
    const months = await getRevenueRetention(warehouse, lapse, { dataEnd: DATA_END });
    expect(months.map((m) => m.month)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
    ]);
    const [jan, feb, mar, apr, may] = months;
    expect(jan).toMatchObject({
      revenue: 300,
      baseRevenue: 0,
      netRevenueRetention: null,
      revenueChurn: null,
    });
    expect(feb).toMatchObject({ revenue: 300, baseRevenue: 300, lostRevenue: 0, netRevenueRetention: 1 });
    expect(feb?.revenueChurn).toBeCloseTo(0, 12);
    expect(mar).toMatchObject({ revenue: 350, baseRevenue: 300, lostRevenue: 100 });
    expect(mar?.netRevenueRetention).toBeCloseTo(350 / 300, 12);
    expect(mar?.grossRevenueRetention).toBeCloseTo(250 / 300, 12);
    expect(mar?.revenueChurn).toBeCloseTo(50 / 300, 12);
    expect(apr?.netRevenueRetention).toBeCloseTo(200 / 350, 12);
    expect(apr?.grossRevenueRetention).toBeCloseTo(200 / 350, 12);
    expect(apr?.lostRevenue).toBe(0);
    expect(may?.netRevenueRetention).toBe(1);
    expect(months.every((m) => m.annualNetRevenueRetention === null)).toBe(true);
  });

  it('follows each signup cohort month by month while the months are final', async () => {
    const cohorts = await getCohortRetention(warehouse, lapse, { dataEnd: DATA_END });
    expect(cohorts).toEqual([
      { cohort: '2026-01-01', customers: 2, retained: [1, 1, 0.5, 0.5] },
      { cohort: '2026-02-01', customers: 1, retained: [0, 0, 0] },
    ]);
    const newest = await getCohortRetention(warehouse, lapse, { dataEnd: DATA_END, limit: 1 });
    expect(newest.map((c) => c.cohort)).toEqual(['2026-02-01']);
    await expect(getCohortRetention(warehouse, lapse, { limit: 0 })).rejects.toThrow('limit=0');
  });
});

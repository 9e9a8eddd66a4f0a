import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.js';
import { InputError } from '../errors.js';
import { postgresDialect } from '../warehouse/postgres-dialect.js';
import { duckdbDialect, withCapabilities } from '../warehouse/sql-dialect.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { type ChurnDefinition, churnDefinitionFromConfig } from './churn-definition.js';
import { compileLabelQuery } from './compile-labels.js';
import { createLabelTable, labelsAt } from './labels-at.js';

const T = '2025-04-01';
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  const customers = ['a', 'b', 'c', 'd', 'f', 'g', 'p1', 'p2', 'p3']
    .map((id) => `('${id}', TIMESTAMP '2025-01-01 00:00:00')`)
    .concat(["('e', TIMESTAMP '2025-04-01 00:00:00')", "('z', TIMESTAMP '2025-05-20 00:00:00')"]);
  await warehouse.run(`INSERT INTO customers (customer_id, signup_at) VALUES ${customers.join(', ')}`);
  const tx = [
    ['a', '2025-04-01 00:00:00'], // exactly at T: inside the horizon
    ['b', '2025-05-01 00:00:00'], // exactly at T + H: outside
    ['c', '2025-04-30 23:59:59'],
    ['d', '2025-03-31 23:59:59'], // before T: does not count
    ['e', '2025-04-02 00:00:00'],
    ['z', '2025-06-01 00:00:00'], // the data's end
    ...['03-05', '03-10', '03-15', '03-20', '04-10'].map((d) => ['p1', `2025-${d} 00:00:00`]),
    ...['03-05', '03-10', '03-15', '03-20', '04-10', '04-11'].map((d) => ['p2', `2025-${d} 00:00:00`]),
    ['p3', '2025-04-10 00:00:00'],
  ];
  await warehouse.run(
    `INSERT INTO transactions (customer_id, ts, amount) VALUES ${tx.map(([c, t]) => `('${c}', TIMESTAMP '${t}', 1)`).join(', ')}`,
  );
  await warehouse.run(`INSERT INTO events (customer_id, ts, event_type) VALUES
    ('g', TIMESTAMP '2025-04-05 00:00:00', 'login'), ('d', TIMESTAMP '2025-04-05 00:00:00', 'visit')`);
  await warehouse.run(`INSERT INTO cancellations (customer_id, cancelled_at, voluntary) VALUES
    ('a', TIMESTAMP '2025-04-01 00:00:00', true),
    ('b', TIMESTAMP '2025-05-01 00:00:00', true),
    ('c', TIMESTAMP '2025-04-20 00:00:00', false),
    ('c', TIMESTAMP '2025-04-25 00:00:00', true),
    ('d', TIMESTAMP '2025-04-10 00:00:00', NULL),
    ('f', TIMESTAMP '2025-03-15 00:00:00', true)`);
});
afterAll(() => warehouse.close());

const churned = async (definition: ChurnDefinition, cutoff = T, dataEnd?: string) =>
  Object.fromEntries(
    (await labelsAt(warehouse, definition, cutoff, dataEnd ? { dataEnd } : {})).rows.map((r) => [
      r.customer_id,
      r.churned,
    ]),
  );

const transactions = [{ source: 'transactions' }] as const;

describe('labelsAt', () => {
  it('non-contractual: activity at T is inside the horizon, at T + H outside', async () => {
    expect(await churned({ kind: 'nonContractual', horizonDays: 30, activity: transactions })).toEqual({
      // e signed up at T and f cancelled before T: not active at T, not labelled
      a: 0,
      b: 1,
      c: 0,
      d: 1,
      g: 1,
      p1: 0,
      p2: 0,
      p3: 0,
    });
  });

  it('non-contractual on events of given types', async () => {
    const labels = await churned({
      kind: 'nonContractual',
      horizonDays: 30,
      activity: [{ source: 'events', eventTypes: ['login'] }],
    });
    expect(labels['g']).toBe(0);
    expect(labels['d']).toBe(1); // a visit is not a login
  });

  it('contractual: cancellations in [T, T + H), voluntary and involuntary kept apart', async () => {
    const table = await labelsAt(warehouse, { kind: 'contractual', horizonDays: 30 }, T);
    expect(table.cutoff).toBe('2025-04-01 00:00:00');
    expect(table.rows.filter((r) => ['a', 'b', 'c', 'd', 'g'].includes(r.customer_id))).toEqual([
      { customer_id: 'a', churned: 1, churn_type: 'voluntary' },
      { customer_id: 'b', churned: 0, churn_type: null },
      { customer_id: 'c', churned: 1, churn_type: 'involuntary' }, // the first cancellation in the horizon
      { customer_id: 'd', churned: 1, churn_type: null },
      { customer_id: 'g', churned: 0, churn_type: null },
    ]);
    expect(table.rows.map((r) => r.customer_id)).not.toContain('f');
  });

  it('partial: below threshold × baseline; an exact tie is not churn; no baseline, no label', async () => {
    const partial = { kind: 'partial', horizonDays: 30, activity: transactions, threshold: 0.5 } as const;
    // Baseline [T − 30 d, T): d has one (03-31 23:59:59) and none after; a, b, c, g, p3 have none.
    expect(await churned(partial)).toEqual({ d: 1, p1: 1, p2: 0 });
    // A 60-day baseline is scaled to 30 days: p1 has 4 in 60 days → 2 per 30, threshold 1, horizon 1.
    expect((await churned({ ...partial, baselineDays: 60 }))['p1']).toBe(0);
  });

  it('is NULL while the horizon has not fully passed', async () => {
    const definition = { kind: 'nonContractual', horizonDays: 30, activity: transactions } as const;
    // data ends 2025-06-01: T + 30 d = 2025-06-01 has passed, 2025-06-02 has not.
    expect(Object.values(await churned(definition, '2025-05-02')).every((v) => v !== null)).toBe(true);
    expect(Object.values(await churned(definition, '2025-05-03')).every((v) => v === null)).toBe(true);
    expect(Object.values(await churned(definition, T, '2025-04-30')).every((v) => v === null)).toBe(true);
  });

  it('only customers active recently when activeWithinDays is set', async () => {
    const labels = await churned({
      kind: 'nonContractual',
      horizonDays: 30,
      activity: transactions,
      activeWithinDays: 7,
    });
    expect(labels).toEqual({ d: 1 });
    expect(await churned({ kind: 'contractual', horizonDays: 30, activeWithinDays: 7 })).toEqual({ d: 1 });
  });

  it('gives the same labels without FILTER, and writes a table', async () => {
    const definition = { kind: 'partial', horizonDays: 30, activity: transactions, threshold: 0.5 } as const;
    const portable = withCapabilities(duckdbDialect, { aggregateFilter: false });
    const sql = compileLabelQuery(definition, T, { dialect: portable });
    expect(sql).not.toContain('FILTER');
    expect(await warehouse.all(sql)).toEqual((await labelsAt(warehouse, definition, T)).rows);
    expect(compileLabelQuery(definition, T, { dialect: postgresDialect })).toContain(
      'CAST(coalesce(m.horizon_activity, 0) AS DOUBLE PRECISION) * 30 < 0.5 * m.baseline_activity * 30',
    );
    expect(await createLabelTable(warehouse, 'labels_test', definition, T)).toBe(3);
  });

  it('reads the churn section of the config, and rejects bad numbers', () => {
    const config = parseConfig(`
sources: { customers: { path: c.csv } }
churn: { kind: partial, horizon_days: 30, partial_threshold: 0.4, activity: [{ source: events, event_types: [login] }] }
`);
    expect(churnDefinitionFromConfig(config.churn)).toEqual({
      kind: 'partial',
      horizonDays: 30,
      threshold: 0.4,
      activity: [{ source: 'events', eventTypes: ['login'] }],
    });
    expect(() => compileLabelQuery({ kind: 'contractual', horizonDays: 0 }, T)).toThrow(InputError);
    expect(() =>
      compileLabelQuery({ kind: 'partial', horizonDays: 30, activity: transactions, threshold: 2 }, T),
    ).toThrow('threshold=2 must be in (0, 1)');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { postgresDialect } from '../warehouse/postgres-dialect.js';
import { type Dialect, duckdbDialect, withCapabilities } from '../warehouse/sql-dialect.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { compileFeatureQuery, featureColumns } from './compile-features.js';
import { computeFeatures } from './compute-features.js';
import {
  daysSinceLast,
  type FeatureNode,
  feature,
  lifecycleStage,
  openTickets,
  profile,
  ratio,
  rfmScore,
  tenure,
  trend,
  windowCount,
  windowMean,
  windowSum,
} from './feature-nodes.js';
import { standardFeatures } from './standard-features.js';

const T = "TIMESTAMP '2025-04-01 00:00:00'";
const portable = withCapabilities(duckdbDialect, { aggregateFilter: false });

/** The measure lines of the source CTEs and the feature's SELECT expression, for a one-feature set. */
function compiled(
  node: FeatureNode,
  dialect: Dialect = duckdbDialect,
): { measures: string[]; select: string } {
  const sql = compileFeatureQuery([feature('f', node)], '2025-04-01', { dialect });
  const measures = [...sql.matchAll(/^ {4}(.*) AS (m\d+),?$/gm)].map((m) => `${m[2]}: ${m[1]}`);
  const select = /^ {2}(.*) AS "f"$/m.exec(sql)?.[1] ?? '';
  return { measures, select };
}

describe('compileFeatureQuery: the exact SQL of each kind', () => {
  it('windowCount', () => {
    const node = windowCount('events', 30, { eventType: 'visit' });
    expect(compiled(node)).toEqual({
      measures: [`m1: count(*) FILTER (WHERE "event_type" = 'visit' AND "ts" >= ${T} - INTERVAL '30' DAY)`],
      select: 'coalesce(e."m1", 0)',
    });
    expect(compiled(node, postgresDialect)).toEqual(compiled(node));
    expect(compiled(node, portable).measures).toEqual([
      `m1: count(CASE WHEN "event_type" = 'visit' AND "ts" >= ${T} - INTERVAL '30' DAY THEN 1 END)`,
    ]);
    expect(compiled(windowCount('transactions', 'all'))).toEqual({
      measures: ['m1: count(*)'],
      select: 'coalesce(t."m1", 0)',
    });
  });

  it('windowSum, with an offset window', () => {
    const node = windowSum('transactions', 'amount', 90, { offsetDays: 90 });
    const filter = `"ts" >= ${T} - INTERVAL '180' DAY AND "ts" < ${T} - INTERVAL '90' DAY`;
    expect(compiled(node)).toEqual({
      // Summed as exact decimals: a parallel double sum is not the same from run to run.
      measures: [`m1: CAST(sum(CAST("amount" AS DECIMAL(38, 10))) FILTER (WHERE ${filter}) AS DOUBLE)`],
      select: 'coalesce(t."m1", 0)',
    });
    expect(compiled(node, portable).measures).toEqual([
      `m1: CAST(sum(CASE WHEN ${filter} THEN CAST("amount" AS DECIMAL(38, 10)) END) AS DOUBLE)`,
    ]);
  });

  it('windowMean with a cutoff predicate', () => {
    const node = windowMean('tickets', 'satisfaction', 90, {
      where: { op: 'beforeCutoff', column: 'resolved_at' },
    });
    expect(compiled(node)).toEqual({
      measures: [
        `m1: avg("satisfaction") FILTER (WHERE "opened_at" >= ${T} - INTERVAL '90' DAY AND "resolved_at" < ${T})`,
      ],
      select: 'k."m1"',
    });
  });

  it('daysSinceLast: DuckDB date_diff, PostgreSQL EXTRACT(EPOCH …)', () => {
    const node = daysSinceLast('events', { eventType: 'login' });
    expect(compiled(node)).toEqual({
      measures: [`m1: max("ts") FILTER (WHERE "event_type" = 'login')`],
      select: `CAST(date_diff('second', e."m1", ${T}) AS DOUBLE) / 86400`,
    });
    expect(compiled(node, postgresDialect).select).toBe(
      `CAST(EXTRACT(EPOCH FROM (${T} - e."m1")) AS DOUBLE PRECISION) / 86400`,
    );
  });

  it('openTickets', () => {
    expect(compiled(openTickets())).toEqual({
      measures: [`m1: count(*) FILTER (WHERE ("resolved_at" IS NULL OR "resolved_at" >= ${T}))`],
      select: 'coalesce(k."m1", 0)',
    });
  });

  it('trend: this window against the previous one, sharing measures', () => {
    const node = trend(windowCount('events', 30, { eventType: 'visit' }));
    expect(compiled(node)).toEqual({
      measures: [
        `m1: count(*) FILTER (WHERE "event_type" = 'visit' AND "ts" >= ${T} - INTERVAL '30' DAY)`,
        `m2: count(*) FILTER (WHERE "event_type" = 'visit' AND "ts" >= ${T} - INTERVAL '60' DAY AND "ts" < ${T} - INTERVAL '30' DAY)`,
      ],
      select: 'CAST(coalesce(e."m1", 0) + 1 AS DOUBLE) / (coalesce(e."m2", 0) + 1)',
    });
    expect(compiled(node, postgresDialect).select).toBe(
      'CAST(coalesce(e."m1", 0) + 1 AS DOUBLE PRECISION) / (coalesce(e."m2", 0) + 1)',
    );
  });

  it('ratio: NULL when the denominator is 0', () => {
    const node = ratio(windowSum('transactions', 'amount', 90), windowCount('transactions', 90));
    expect(compiled(node).select).toBe(
      'CAST(coalesce(t."m1", 0) AS DOUBLE) / nullif(coalesce(t."m2", 0), 0)',
    );
  });

  it('tenure and profile come from the customers at the cutoff', () => {
    expect(compiled(tenure())).toEqual({
      measures: [],
      select: `CAST(date_diff('second', c."signup_at", ${T}) AS DOUBLE) / 86400`,
    });
    expect(compiled(profile('segment'))).toEqual({ measures: [], select: 'c."segment"' });
  });

  it('rfmScore: ranked within the customers with a transaction, ties shared or split; 1 without one', () => {
    const buyers = 'PARTITION BY (coalesce(t."m1", 0) = 0)';
    const shared = (order: string, double = 'DOUBLE') =>
      'CASE WHEN coalesce(t."m1", 0) = 0 THEN 1 ELSE 1 + CAST(floor(CAST(5 * (rank() OVER ' +
      `(${buyers} ORDER BY ${order}) - 1) AS ${double}) / count(*) OVER (${buyers})) AS BIGINT) END`;
    const split = (order: string, tieBreak = 'c."customer_id"') =>
      `CASE WHEN coalesce(t."m1", 0) = 0 THEN 1 ELSE ntile(5) OVER (${buyers} ORDER BY ${order}, ${tieBreak}) END`;
    expect(compiled(rfmScore('recency'))).toEqual({
      measures: ['m1: count(*)', 'm2: max("ts")'],
      select: shared('t."m2"'),
    });
    expect(compiled(rfmScore('frequency')).select).toBe(shared('coalesce(t."m1", 0)'));
    expect(compiled(rfmScore('monetary'))).toEqual({
      measures: ['m1: count(*)', 'm2: CAST(sum(CAST("amount" AS DECIMAL(38, 10))) AS DOUBLE)'],
      select: shared('coalesce(t."m2", 0)'),
    });
    expect(compiled(rfmScore('recency'), postgresDialect).select).toBe(shared('t."m2"', 'DOUBLE PRECISION'));
    expect(compiled(rfmScore('recency', 5, 'split')).select).toBe(split('t."m2"'));
    expect(compiled(rfmScore('recency', 5, 'split'), postgresDialect).select).toBe(
      split('t."m2"', 'c."customer_id" COLLATE "C"'),
    );
    const total = compiled(rfmScore('total'));
    expect(total.measures).toEqual([
      'm1: count(*)',
      'm2: max("ts")',
      'm3: CAST(sum(CAST("amount" AS DECIMAL(38, 10))) AS DOUBLE)',
    ]);
    expect(total.select).toBe(
      `(${shared('t."m2"')} + ${shared('coalesce(t."m1", 0)')} + ${shared('coalesce(t."m3", 0)')})`,
    );
    expect(compiled(rfmScore('recency', 3, 'split')).select).toContain('ntile(3) OVER');
  });

  it('lifecycleStage: new, dormant, declining, growing, mature from summed activity counts', () => {
    const node = lifecycleStage([
      { source: 'events', eventTypes: ['login', 'logout'] },
      { source: 'transactions' },
    ]);
    const types = `("event_type" = 'login' OR "event_type" = 'logout')`;
    const recent = `"ts" >= ${T} - INTERVAL '30' DAY`;
    const baseline = `"ts" >= ${T} - INTERVAL '90' DAY AND "ts" < ${T} - INTERVAL '30' DAY`;
    expect(compiled(node).measures).toEqual([
      `m1: count(*) FILTER (WHERE ${recent} AND ${types})`, // events_measures
      `m3: count(*) FILTER (WHERE ${baseline} AND ${types})`,
      `m2: count(*) FILTER (WHERE ${recent})`, // transactions_measures
      `m4: count(*) FILTER (WHERE ${baseline})`,
    ]);
    const r = '(coalesce(e."m1", 0) + coalesce(t."m2", 0))';
    const b = '(coalesce(e."m3", 0) + coalesce(t."m4", 0))';
    expect(compiled(node).select).toBe(
      [
        `CASE WHEN c."signup_at" > ${T} - INTERVAL '90' DAY THEN 'new'`,
        `WHEN ${r} + ${b} = 0 THEN 'dormant'`,
        `WHEN ${r} * 60 <= 0.5 * ${b} * 30 THEN 'declining'`,
        `WHEN ${r} * 60 >= 1.5 * ${b} * 30 THEN 'growing'`,
        "ELSE 'mature' END",
      ].join(' '),
    );
    expect(compiled(node, postgresDialect)).toEqual(compiled(node));
    const custom = lifecycleStage([{ source: 'transactions' }], {
      newDays: 180,
      recentDays: 14,
      dormantDays: 56,
      change: 0.25,
    });
    expect(compiled(custom).select).toBe(
      [
        `CASE WHEN c."signup_at" > ${T} - INTERVAL '180' DAY THEN 'new'`,
        `WHEN (coalesce(t."m1", 0)) + (coalesce(t."m2", 0)) = 0 THEN 'dormant'`,
        `WHEN (coalesce(t."m1", 0)) * 42 <= 0.75 * (coalesce(t."m2", 0)) * 14 THEN 'declining'`,
        `WHEN (coalesce(t."m1", 0)) * 42 >= 1.25 * (coalesce(t."m2", 0)) * 14 THEN 'growing'`,
        "ELSE 'mature' END",
      ].join(' '),
    );
  });

  it('writes one whole query: customers before T, one scan per source, left joins, ordered', () => {
    const sql = compileFeatureQuery(
      [feature('tenure_days', tenure()), feature('tx_count_90d', windowCount('transactions', 90))],
      '2025-04-01T00:00:00',
      { dialect: postgresDialect },
    );
    expect(sql).toBe(
      [
        'WITH customer_base AS (',
        `  SELECT * FROM "customers" WHERE "signup_at" < ${T}`,
        '),',
        'transactions_measures AS (',
        '  SELECT "customer_id",',
        `    count(*) FILTER (WHERE "ts" >= ${T} - INTERVAL '90' DAY) AS m1`,
        '  FROM "transactions"',
        `  WHERE "ts" < ${T}`,
        '  GROUP BY "customer_id"',
        ')',
        'SELECT c."customer_id",',
        `  CAST(EXTRACT(EPOCH FROM (${T} - c."signup_at")) AS DOUBLE PRECISION) / 86400 AS "tenure_days",`,
        '  coalesce(t."m1", 0) AS "tx_count_90d"',
        'FROM customer_base AS c',
        'LEFT JOIN transactions_measures AS t ON t."customer_id" = c."customer_id"',
        'ORDER BY c."customer_id"',
      ].join('\n'),
    );
  });

  it('the standard set has the reference columns in order, and each measure once', () => {
    expect(featureColumns(standardFeatures).map((c) => c.name)).toHaveLength(32);
    const sql = compileFeatureQuery(standardFeatures, '2025-04-01');
    const measures = [...sql.matchAll(/^ {4}(.*) AS m\d+,?$/gm)].map((m) => m[1]);
    expect(new Set(measures).size).toBe(measures.length);
    expect(measures).toHaveLength(27);
  });
});

describe('compileFeatureQuery: validation', () => {
  it('names the feature and the parameter', () => {
    const run =
      (node: FeatureNode, name = 'bad') =>
      () =>
        compileFeatureQuery([feature(name, node)], '2025-04-01');
    expect(run(windowCount('events', 0))).toThrow('feature "bad": days=0 must be a positive whole number');
    expect(run(windowCount('tickets', 7, { eventType: 'visit' }))).toThrow(
      'eventType is for source "events"',
    );
    expect(run(trend(windowCount('events', 'all')))).toThrow("a trend needs a window of days, not 'all'");
    expect(run(tenure(), 'customer_id')).toThrow('the name is used twice');
    expect(run(tenure(), 'x; DROP')).toThrow(InputError);
    expect(run(rfmScore('recency', 1))).toThrow('feature "bad": bins=1 must be a whole number from 2 to 100');
    expect(run(rfmScore('recency', 5, 'random' as never))).toThrow('ties="random" must be shared or split');
    const stage = (
      options: Parameters<typeof lifecycleStage>[1],
      activity = [{ source: 'events' as const }],
    ) => run(lifecycleStage(activity, options));
    expect(stage({ recentDays: 30, dormantDays: 30 })).toThrow(
      'dormantDays=30 must be greater than recentDays=30',
    );
    expect(stage({ newDays: 0 })).toThrow('newDays=0 must be a whole number > 0');
    expect(stage({ change: 1 })).toThrow('change=1 must be between 0 and 1');
    expect(stage({}, [])).toThrow('activity needs at least one source');
    expect(stage({}, [{ source: 'transactions', eventTypes: ['x'] } as never])).toThrow(
      'activity eventTypes must be a non-empty list, for source "events"',
    );
    expect(() => compileFeatureQuery([], '2025-02-30')).toThrow('cutoff "2025-02-30" is not a date');
  });

  it('types RFM scores as integers and the lifecycle stage as text', () => {
    expect(
      featureColumns([feature('r', rfmScore('total')), feature('s', lifecycleStage([{ source: 'events' }]))]),
    ).toEqual([
      { name: 'customer_id', type: 'text' },
      { name: 'r', type: 'integer' },
      { name: 's', type: 'text' },
    ]);
  });

  it('builds immutable nodes', () => {
    const node = trend(windowCount('events', 30, { eventType: 'visit' }));
    expect(Object.isFrozen(node) && Object.isFrozen(node.of)).toBe(true);
    expect(node).toEqual({
      kind: 'trend',
      smoothing: 1,
      of: { kind: 'windowCount', source: 'events', days: 30, eventType: 'visit' },
    });
  });
});

describe('window bounds on hand-made rows', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openWarehouse(':memory:');
    await warehouse.run(`INSERT INTO customers (customer_id, signup_at, segment) VALUES
      ('a', TIMESTAMP '2025-01-01 00:00:00', 'basic'),
      ('b', TIMESTAMP '2025-03-31 12:00:00', NULL),
      ('late', TIMESTAMP '2025-04-01 00:00:00', 'basic')`);
    await warehouse.run(`INSERT INTO events (customer_id, ts, event_type) VALUES
      ('a', TIMESTAMP '2025-03-25 00:00:00', 'visit'),
      ('a', TIMESTAMP '2025-03-24 23:59:59', 'visit'),
      ('a', TIMESTAMP '2025-03-02 00:00:00', 'visit'),
      ('a', TIMESTAMP '2025-03-01 23:59:59', 'visit'),
      ('a', TIMESTAMP '2025-04-01 00:00:00', 'visit'),
      ('a', TIMESTAMP '2025-03-31 00:00:00', 'login'),
      ('late', TIMESTAMP '2025-03-30 00:00:00', 'visit')`);
    await warehouse.run(`INSERT INTO transactions (customer_id, ts, amount) VALUES
      ('a', TIMESTAMP '2025-03-30 00:00:00', 10.5), ('a', TIMESTAMP '2025-01-01 00:00:00', 4.5)`);
    await warehouse.run(`INSERT INTO tickets (customer_id, opened_at, resolved_at, satisfaction) VALUES
      ('a', TIMESTAMP '2025-03-01 00:00:00', TIMESTAMP '2025-04-01 00:00:00', 1),
      ('a', TIMESTAMP '2025-03-02 00:00:00', TIMESTAMP '2025-03-03 00:00:00', 4),
      ('a', TIMESTAMP '2025-03-03 00:00:00', NULL, NULL)`);
  });
  afterAll(() => warehouse.close());

  const features = [
    feature('segment', profile('segment')),
    feature('tenure_days', tenure()),
    feature('visit_7d', windowCount('events', 7, { eventType: 'visit' })),
    feature('visit_30d', windowCount('events', 30, { eventType: 'visit' })),
    feature('visit_trend_30d', trend(windowCount('events', 30, { eventType: 'visit' }))),
    feature('days_since_last_visit', daysSinceLast('events', { eventType: 'visit' })),
    feature('spend_30d', windowSum('transactions', 'amount', 30)),
    feature('aov_30d', ratio(windowSum('transactions', 'amount', 30), windowCount('transactions', 30))),
    feature('monetary_total', windowSum('transactions', 'amount', 'all')),
    feature('open_tickets', openTickets()),
    feature(
      'satisfaction_90d',
      windowMean('tickets', 'satisfaction', 90, { where: { op: 'beforeCutoff', column: 'resolved_at' } }),
    ),
  ];
  const expected = [
    {
      customer_id: 'a',
      segment: 'basic',
      tenure_days: 90,
      visit_7d: 1, // 03-25 00:00:00 is T − 7 d: included; 04-01 00:00:00 is T: excluded
      visit_30d: 3, // 03-02 00:00:00 is T − 30 d: included
      visit_trend_30d: 4 / 2, // previous window [T − 60 d, T − 30 d) holds 03-01 23:59:59
      days_since_last_visit: 7,
      spend_30d: 10.5,
      aov_30d: 10.5,
      monetary_total: 15,
      open_tickets: 2, // resolved exactly at T is still open at T
      satisfaction_90d: 4, // the score given at T is not known yet
    },
    {
      customer_id: 'b',
      segment: null,
      tenure_days: 0.5,
      visit_7d: 0,
      visit_30d: 0,
      visit_trend_30d: 1,
      days_since_last_visit: null,
      spend_30d: 0,
      aov_30d: null,
      monetary_total: 0,
      open_tickets: 0,
      satisfaction_90d: null,
    },
  ];

  for (const [name, dialect] of [
    ['DuckDB', duckdbDialect],
    ['DuckDB without FILTER', portable],
  ] as const) {
    it(`includes T − k days, excludes T, and leaves out customers signed up at T (${name})`, async () => {
      const table = await computeFeatures(warehouse, '2025-04-01', { features, dialect });
      expect(table.cutoff).toBe('2025-04-01 00:00:00');
      expect(table.rows).toEqual(expected);
    });
  }
});

describe('compileFeatureQuery: a customer filter', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openWarehouse(':memory:');
    await warehouse.run(`INSERT INTO customers (customer_id, signup_at, segment)
      SELECT 'c' || i, TIMESTAMP '2025-01-01 00:00:00', 'basic' FROM range(1, 9) AS r(i)`);
    await warehouse.run(`INSERT INTO events (customer_id, ts, event_type)
      SELECT 'c' || (i % 8 + 1), TIMESTAMP '2025-03-01 00:00:00' + INTERVAL (i) HOUR, 'visit' FROM range(40) AS r(i)`);
    await warehouse.run(`INSERT INTO transactions (customer_id, ts, amount)
      SELECT 'c' || (i % 5 + 1), TIMESTAMP '2025-02-01 00:00:00' + INTERVAL (i) DAY, i FROM range(12) AS r(i)`);
  });
  afterAll(() => warehouse.close());

  const plain = [
    feature('visit_30d', windowCount('events', 30, { eventType: 'visit' })),
    feature('spend_90d', windowSum('transactions', 'amount', 90)),
  ];
  const ranked = [
    ...plain,
    feature('rfm', rfmScore('total')),
    feature('m_score', rfmScore('monetary', 3, 'split')),
  ];
  const only = ['c2', 'c7', "o'brien"];

  it('pushes the filter into the customers scan and every source scan, in both dialects', () => {
    for (const dialect of [duckdbDialect, postgresDialect]) {
      const sql = compileFeatureQuery(plain, '2025-04-01', { dialect, customerIds: only });
      const filter = `"customer_id" IN ('c2', 'c7', 'o''brien')`;
      expect(sql.split(filter)).toHaveLength(4); // customers, events, transactions
      expect(sql).toContain(`WHERE "signup_at" < ${T} AND ${filter}`);
      expect(sql).toContain(`WHERE "ts" < ${T} AND ${filter}`);
    }
  });

  it('with ranks keeps the customers and transactions scans whole and filters last', () => {
    const sql = compileFeatureQuery(ranked, '2025-04-01', { customerIds: only });
    const filter = `"customer_id" IN ('c2', 'c7', 'o''brien')`;
    expect(sql).toContain(`WHERE "signup_at" < ${T}\n)`);
    expect(sql).toMatch(/FROM "events"\n {2}WHERE "ts" < .* AND "customer_id" IN/);
    expect(sql).toMatch(/FROM "transactions"\n {2}WHERE "ts" < TIMESTAMP '2025-04-01 00:00:00'\n/);
    expect(sql).toContain(`) AS "population"\nWHERE ${filter}`);
  });

  for (const [name, features] of [
    ['plain', plain],
    ['ranked', ranked],
  ] as const) {
    it(`gives the same rows as the whole query, for those customers only (${name})`, async () => {
      const all = await warehouse.all(compileFeatureQuery(features, '2025-04-01'));
      const some = await warehouse.all(compileFeatureQuery(features, '2025-04-01', { customerIds: only }));
      expect(some).toEqual(all.filter((row) => only.includes(String(row.customer_id))));
      expect(some).toHaveLength(2);
    });
  }

  it('refuses an empty list', () => {
    expect(() => compileFeatureQuery(plain, '2025-04-01', { customerIds: [] })).toThrow(InputError);
  });
});

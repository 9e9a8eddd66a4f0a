// The workspace feature set: which features a warehouse's contents and the config's windows give, their
// names (standard where the standard set has the feature, sanitised event types), RFM scores and lifecycle
// stages on hand-computed examples, agreement with the standard set and no leakage on the golden data.

import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import { buildSnapshots } from '../snapshots/build-snapshots.js';
import { loadCsv } from '../warehouse/load-csv.js';
import { duckdbDialect, withCapabilities } from '../warehouse/sql-dialect.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { computeFeatures } from './compute-features.js';
import { feature, type LifecycleStage, lifecycleStage, rfmScore } from './feature-nodes.js';
import { standardFeatures } from './standard-features.js';
import {
  describeWarehouse,
  featureStem,
  type WarehouseContents,
  workspaceFeatureSet,
  workspaceFeatures,
} from './workspace-features.js';

const portable = withCapabilities(duckdbDialect, { aggregateFilter: false });
const names = (features: readonly { name: string }[]) => features.map((f) => f.name);

const TRANSACTION_NAMES = [
  'tx_count_7d',
  'tx_count_30d',
  'tx_count_90d',
  'spend_7d',
  'spend_30d',
  'spend_90d',
  'avg_order_value_90d',
  'days_since_last_tx',
  'spend_trend_90d',
  'frequency_total',
  'monetary_total',
  'recency_score',
  'frequency_score',
  'monetary_score',
  'rfm_score',
];
const eventNames = (x: string) => [
  `${x}_7d`,
  `${x}_30d`,
  `${x}_90d`,
  `days_since_last_${x}`,
  `${x}_trend_30d`,
];

/** What make_events-like data holds: three event types, transactions, tickets with resolutions and scores. */
const standardLike: WarehouseContents = {
  profileColumns: ['segment', 'region'],
  eventTypes: [
    { eventType: 'page_view', rows: 300 },
    { eventType: 'visit', rows: 200 },
    { eventType: 'login', rows: 100 },
  ],
  distinctEventTypes: 3,
  transactions: 50,
  tickets: 10,
  resolvedTickets: 8,
  ratedTickets: 5,
};
const STANDARD_LIKE_NAMES = [
  'tenure_days',
  'segment',
  'region',
  ...eventNames('page_view'),
  ...eventNames('visit'),
  ...eventNames('login'),
  'events_7d',
  'events_30d',
  'events_90d',
  ...TRANSACTION_NAMES,
  'tickets_90d',
  'open_tickets',
  'avg_satisfaction_90d',
  'days_since_last_ticket',
  'lifecycle_stage',
];
const transactionsOnly: WarehouseContents = {
  profileColumns: [],
  eventTypes: [],
  distinctEventTypes: 0,
  transactions: 10,
  tickets: 0,
  resolvedTickets: 0,
  ratedTickets: 0,
};

describe('featureStem', () => {
  it('turns any event type into an identifier part', () => {
    expect(featureStem('app_open')).toBe('app_open');
    expect(featureStem('Add-To-Cart')).toBe('add_to_cart');
    expect(featureStem('appOpen')).toBe('app_open');
    expect(featureStem('  page view (web) ')).toBe('page_view_web');
    expect(featureStem('Café visit')).toBe('cafe_visit');
    expect(featureStem('登录')).toBe('event_767b_5f55');
    expect(featureStem('app-登录')).toBe('app_767b_5f55');
    expect(featureStem('3d.view')).toBe('event_3d_view');
    expect(featureStem('')).toBe('event');
    expect(featureStem('!!!')).toBe('event');
    expect(featureStem('x'.repeat(80))).toBe('x'.repeat(36));
    expect(featureStem(`${'a'.repeat(35)}-b`)).toBe('a'.repeat(35));
  });
});

describe('workspaceFeatureSet', () => {
  it('gives standard-like data every standard feature, same name and same node', () => {
    const set = workspaceFeatureSet(standardLike, { windows: [7, 30, 90] });
    expect(names(set)).toEqual(STANDARD_LIKE_NAMES);
    const byName = new Map(set.map((f) => [f.name, f.node]));
    for (const f of standardFeatures) expect(byName.get(f.name), f.name).toEqual(f.node);
    expect(byName.get('rfm_score')).toEqual(rfmScore('total'));
    expect(byName.get('lifecycle_stage')).toEqual(
      lifecycleStage([{ source: 'events' }, { source: 'transactions' }], {
        newDays: 90,
        recentDays: 30,
        dormantDays: 90,
        change: 0.5,
      }),
    );
  });

  it('gives a transactions-only warehouse no event, ticket or profile features', () => {
    expect(names(workspaceFeatureSet(transactionsOnly, { windows: [7, 30, 90] }))).toEqual([
      'tenure_days',
      ...TRANSACTION_NAMES,
      'lifecycle_stage',
    ]);
    const customersOnly = { ...transactionsOnly, transactions: 0, profileColumns: ['plan'] };
    expect(names(workspaceFeatureSet(customersOnly, { windows: [30] }))).toEqual(['tenure_days', 'plan']);
  });

  it('uses the configured windows: sorted, deduplicated, the trend window closest to 30', () => {
    const set = workspaceFeatureSet(
      { ...standardLike, eventTypes: [{ eventType: 'visit', rows: 5 }], distinctEventTypes: 1 },
      { windows: [180, 14, 60, 14] },
    );
    expect(names(set)).toEqual([
      'tenure_days',
      'segment',
      'region',
      'visit_14d',
      'visit_60d',
      'visit_180d',
      'days_since_last_visit',
      'visit_trend_14d', // |14 − 30| < |60 − 30|; one event type: no events_* totals
      'tx_count_14d',
      'tx_count_60d',
      'tx_count_180d',
      'spend_14d',
      'spend_60d',
      'spend_180d',
      'avg_order_value_180d',
      'days_since_last_tx',
      'spend_trend_180d',
      'frequency_total',
      'monetary_total',
      'recency_score',
      'frequency_score',
      'monetary_score',
      'rfm_score',
      'tickets_180d',
      'open_tickets',
      'avg_satisfaction_180d',
      'days_since_last_ticket',
      'lifecycle_stage',
    ]);
    const stage = set.at(-1)!.node as LifecycleStage;
    expect([stage.recentDays, stage.dormantDays, stage.newDays]).toEqual([14, 180, 180]);
    const short = workspaceFeatureSet(transactionsOnly, { windows: [20, 40] });
    expect(names(short)).toContain('spend_trend_40d');
    const shortStage = short.at(-1)!.node as LifecycleStage;
    expect([shortStage.recentDays, shortStage.dormantDays, shortStage.newDays]).toEqual([40, 120, 120]);
    const close = workspaceFeatureSet(transactionsOnly, { windows: [30, 45] }).at(-1)!.node as LifecycleStage;
    expect([close.recentDays, close.dormantDays, close.newDays]).toEqual([30, 90, 90]);
  });

  it('rejects windows that are not whole numbers of days, naming the key', () => {
    for (const windows of [[], [0], [7, 1.5], [-30]]) {
      expect(() => workspaceFeatureSet(standardLike, { windows })).toThrow(InputError);
    }
    expect(() => workspaceFeatureSet(standardLike, { windows: [0] })).toThrow(
      'features.windows: 0 is not a whole number of days > 0',
    );
  });

  it('keeps the most frequent event types, sanitises their names and resolves clashes', () => {
    const eventTypes = [
      { eventType: 'App Open', rows: 90 },
      { eventType: 'add-to-cart', rows: 80 },
      { eventType: '登录', rows: 70 },
      { eventType: 'spend', rows: 70 }, // same count: by name, 'spend' < '登录'; clashes with spend_7d
      { eventType: 'Add_To_Cart', rows: 60 }, // the same stem as the more frequent add-to-cart
      { eventType: 'events', rows: 50 }, // clashes with the totals events_7d …
      { eventType: 'e7', rows: 40 },
      { eventType: 'e8', rows: 30 },
      { eventType: 'e9', rows: 20 },
      { eventType: 'e10', rows: 10 },
    ];
    const contents = { ...transactionsOnly, eventTypes: [...eventTypes].reverse(), distinctEventTypes: 10 };
    const set = workspaceFeatureSet(contents, { windows: [7, 30, 90] });
    const stems = names(set)
      .filter((name) => name.startsWith('days_since_last_') && name !== 'days_since_last_tx')
      .map((name) => name.slice('days_since_last_'.length));
    expect(stems).toEqual([
      'app_open',
      'add_to_cart',
      'spend_event',
      'event_767b_5f55',
      'add_to_cart_event',
      'events_event',
      'e7',
      'e8',
    ]);
    expect(names(set)).toContain('spend_event_trend_30d');
    expect(names(set)).toContain('events_30d');
    const spendEvent = set.find((f) => f.name === 'spend_event_30d')!;
    expect(spendEvent.node).toMatchObject({ kind: 'windowCount', source: 'events', eventType: 'spend' });
    expect(names(workspaceFeatureSet(contents, { windows: [30], maxEventTypes: 2 }))).toContain(
      'add_to_cart_30d',
    );
    expect(names(workspaceFeatureSet(contents, { windows: [30], maxEventTypes: 2 }))).not.toContain('e7_30d');
  });

  it('counts the configured activity for the lifecycle stage, on the sources that have rows', () => {
    const loginOnly = [{ source: 'events' as const, eventTypes: ['login'] }];
    const stage = (contents: WarehouseContents, activity: typeof loginOnly | [{ source: 'transactions' }]) =>
      (workspaceFeatureSet(contents, { windows: [7, 30, 90], activity }).at(-1)!.node as LifecycleStage)
        .activity;
    expect(stage(standardLike, loginOnly)).toEqual(loginOnly);
    // Configured on transactions, but only events have rows: every source with rows.
    const eventsOnly = { ...standardLike, transactions: 0 };
    expect(stage(eventsOnly, [{ source: 'transactions' }])).toEqual([{ source: 'events' }]);
  });
});

describe('workspaceFeatures on a warehouse', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await openWarehouse(':memory:');
  });
  afterEach(() => warehouse.close());

  it('reads a transactions-only warehouse (cdnow-like) and computes its features', async () => {
    await warehouse.run(`INSERT INTO customers (customer_id, signup_at) VALUES
      ('1', TIMESTAMP '1997-01-01 00:00:00'), ('2', TIMESTAMP '1997-01-12 00:00:00')`);
    await warehouse.run(`INSERT INTO transactions (customer_id, ts, amount) VALUES
      ('1', TIMESTAMP '1997-01-01 00:00:00', 11.77), ('2', TIMESTAMP '1997-01-12 00:00:00', 12.0),
      ('2', TIMESTAMP '1997-01-12 00:00:00', 77.0), ('2', TIMESTAMP '1997-03-30 00:00:00', 20.0)`);
    expect(await describeWarehouse(warehouse)).toEqual({
      profileColumns: [],
      eventTypes: [],
      distinctEventTypes: 0,
      transactions: 4,
      tickets: 0,
      resolvedTickets: 0,
      ratedTickets: 0,
    });
    const set = await workspaceFeatures(warehouse, { features: { windows: [7, 30, 90] } });
    expect(names(set)).toEqual(['tenure_days', ...TRANSACTION_NAMES, 'lifecycle_stage']);
    const table = await computeFeatures(warehouse, '1997-04-01', { features: set });
    expect(table.rows).toEqual([
      {
        customer_id: '1',
        tenure_days: 90,
        tx_count_7d: 0,
        tx_count_30d: 0,
        tx_count_90d: 1,
        spend_7d: 0,
        spend_30d: 0,
        spend_90d: 11.77,
        avg_order_value_90d: 11.77,
        days_since_last_tx: 90,
        spend_trend_90d: 12.77,
        frequency_total: 1,
        monetary_total: 11.77,
        recency_score: 1,
        frequency_score: 1,
        monetary_score: 1,
        rfm_score: 3,
        lifecycle_stage: 'declining', // tenure 90 is not new; one purchase at T − 90 d, none since
      },
      {
        customer_id: '2',
        tenure_days: 79,
        tx_count_7d: 1,
        tx_count_30d: 1,
        tx_count_90d: 3,
        spend_7d: 20,
        spend_30d: 20,
        spend_90d: 109,
        avg_order_value_90d: 109 / 3,
        days_since_last_tx: 2,
        spend_trend_90d: 110,
        frequency_total: 3,
        monetary_total: 109,
        recency_score: 3, // two buyers, ranks 1 and 2: 1 + floor(5 · (rank − 1) / 2) = 1, 3
        frequency_score: 3,
        monetary_score: 3,
        rfm_score: 9,
        lifecycle_stage: 'new',
      },
    ]);
  });

  it('takes the windows and the activity from the parsed config, and sanitised event types', async () => {
    await warehouse.run(`INSERT INTO customers (customer_id, signup_at, region) VALUES
      ('a', TIMESTAMP '2024-01-01 00:00:00', 'east')`);
    await warehouse.run(`INSERT INTO events (customer_id, ts, event_type) VALUES
      ('a', TIMESTAMP '2025-03-30 00:00:00', 'app_open'), ('a', TIMESTAMP '2025-03-29 00:00:00', 'app_open'),
      ('a', TIMESTAMP '2025-03-28 00:00:00', 'Add-To-Cart'), ('a', TIMESTAMP '2025-04-02 00:00:00', 'Add-To-Cart'),
      ('a', TIMESTAMP '2025-02-01 00:00:00', 'login')`);
    const config = {
      features: { windows: [14, 28] },
      churn: { activity: [{ source: 'events' as const, event_types: ['login'] }] },
    };
    const set = await workspaceFeatures(warehouse, config);
    expect(names(set)).toEqual([
      'tenure_days',
      'region',
      'add_to_cart_14d', // 2 rows, as app_open: by name
      'add_to_cart_28d',
      'days_since_last_add_to_cart',
      'add_to_cart_trend_28d',
      'app_open_14d',
      'app_open_28d',
      'days_since_last_app_open',
      'app_open_trend_28d',
      'login_14d',
      'login_28d',
      'days_since_last_login',
      'login_trend_28d',
      'events_14d',
      'events_28d',
      'lifecycle_stage',
    ]);
    const [row] = (await computeFeatures(warehouse, '2025-04-01', { features: set })).rows;
    expect(row).toMatchObject({
      add_to_cart_14d: 1,
      days_since_last_add_to_cart: 4,
      app_open_14d: 2,
      login_28d: 0,
      events_28d: 3,
      // Counting logins only (the churn activity): none in the last 28 days, one in the 56 before.
      lifecycle_stage: 'declining',
    });
  });
});

describe('RFM scores on a hand-computed example', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openWarehouse(':memory:');
    await warehouse.run(`INSERT INTO customers (customer_id, signup_at)
      SELECT id, TIMESTAMP '2024-01-01 00:00:00' FROM (VALUES ('a'), ('b'), ('c'), ('d'), ('e'), ('f'), ('g')) v(id)
      UNION ALL SELECT 'late', TIMESTAMP '2025-04-01 00:00:00'`);
    await warehouse.run(`INSERT INTO transactions (customer_id, ts, amount) VALUES
      ('a', TIMESTAMP '2025-03-30 00:00:00', 10), ('a', TIMESTAMP '2025-03-01 00:00:00', 20),
      ('a', TIMESTAMP '2025-01-01 00:00:00', 30), ('a', TIMESTAMP '2025-04-02 00:00:00', 1000),
      ('b', TIMESTAMP '2025-03-20 00:00:00', 100),
      ('c', TIMESTAMP '2025-02-01 00:00:00', 5), ('c', TIMESTAMP '2025-02-02 00:00:00', 5),
      ('d', TIMESTAMP '2025-03-31 00:00:00', 1),
      ('e', TIMESTAMP '2025-01-15 00:00:00', 50), ('e', TIMESTAMP '2025-02-15 00:00:00', 50),
      ('e', TIMESTAMP '2025-03-15 00:00:00', 50), ('e', TIMESTAMP '2025-03-16 00:00:00', 50),
      ('f', TIMESTAMP '2025-03-20 00:00:00', 100),
      ('g', TIMESTAMP '2025-04-01 00:00:00', 500),
      ('late', TIMESTAMP '2025-03-31 00:00:00', 1)`);
  });
  afterAll(() => warehouse.close());

  // Six buyers before T (g's purchase is at T; late signs up at T), by each part's value, lowest first:
  //   recency   (latest):  c 02-02, e 03-16, b 03-20, f 03-20, a 03-30, d 03-31
  //   frequency (count):   b 1, d 1, f 1, c 2, a 3, e 4
  //   monetary  (sum):     d 1, c 10, a 60, b 100, f 100, e 200   (a's 1000 is at T + 1 d)
  // shared: score = 1 + floor(5 · (rank − 1) / 6) with rank 1, 2, 3, 3, 5, 6 → 1, 1, 2, 2, 4, 5 (ties alike);
  // split:  NTILE(5) over 6 rows, groups of 2, 1, 1, 1, 1 → 1, 1, 2, 3, 4, 5, ties in customer_id order.
  const expected = {
    shared: {
      a: [4, 4, 2],
      b: [2, 1, 3],
      c: [1, 3, 1],
      d: [5, 1, 1],
      e: [1, 5, 5],
      f: [2, 1, 3],
      g: [1, 1, 1],
    },
    split: {
      a: [4, 4, 2],
      b: [2, 1, 3],
      c: [1, 3, 1],
      d: [5, 1, 1],
      e: [1, 5, 5],
      f: [3, 2, 4],
      g: [1, 1, 1],
    },
  }; // g: no transaction before T
  const features = (ties: 'shared' | 'split') => [
    feature('r', rfmScore('recency', 5, ties)),
    feature('f', rfmScore('frequency', 5, ties)),
    feature('m', rfmScore('monetary', 5, ties)),
    feature('rfm', rfmScore('total', 5, ties)),
    feature('r3', rfmScore('recency', 3, ties)),
  ];

  for (const ties of ['shared', 'split'] as const) {
    for (const [name, dialect] of [
      ['DuckDB', duckdbDialect],
      ['DuckDB without FILTER', portable],
    ] as const) {
      it(`scores 1–5 by quintile, ties ${ties}, 1 without transactions (${name})`, async () => {
        const table = await computeFeatures(warehouse, '2025-04-01', { features: features(ties), dialect });
        expect(table.columns.slice(1).map((c) => c.type)).toEqual(Array(5).fill('integer'));
        expect(
          table.rows.map((row) => [row['customer_id'], [row['r'], row['f'], row['m']], row['rfm']]),
        ).toEqual(Object.entries(expected[ties]).map(([id, s]) => [id, s, s[0]! + s[1]! + s[2]!]));
        // Three groups: shared 1 + floor(3 · (rank − 1) / 6) = 1, 1, 2, 2, 3, 3; split c e | b f | a d.
        expect(table.rows.map((row) => row['r3'])).toEqual([3, 2, 1, 3, 1, 2, 1]);
      });
    }
  }
});

describe('lifecycle stages on a hand-built example', () => {
  let warehouse: Warehouse;
  // T = 2025-04-01: recent = [03-02, 04-01), baseline = [01-01, 03-02) (60 days), new below tenure 90 d.
  const recent = (id: string, n: number, table = 'events') =>
    Array.from({ length: n }, (_, i) =>
      table === 'events'
        ? `('${id}', TIMESTAMP '2025-03-${String(10 + i).padStart(2, '0')} 00:00:00', 'visit')`
        : `('${id}', TIMESTAMP '2025-03-${String(10 + i).padStart(2, '0')} 00:00:00', 1)`,
    );
  const baseline = (id: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) => `('${id}', TIMESTAMP '2025-01-${String(10 + i).padStart(2, '0')} 00:00:00', 'visit')`,
    );
  const expected: Record<string, string> = {
    new_busy: 'new', // signed up 2025-02-01: new whatever the activity
    edge_tenure: 'dormant', // signed up at T − 90 d exactly: tenure 90 is not new; no activity
    dormant: 'dormant', // last visit 1 s before T − 90 d; the visit at T does not count
    edge_dormant: 'declining', // one visit at T − 90 d exactly: baseline 1, recent 0
    declining: 'declining', // recent 1 vs baseline 4: 1/30 ≤ 0.5 · 4/60
    mature: 'mature', // recent 2 vs baseline 4: the same rate
    growing: 'growing', // recent 3 vs baseline 4: 3/30 ≥ 1.5 · 4/60
    returning: 'growing', // recent 1, baseline 0
    mixed: 'mature', // recent 1 purchase + 1 visit vs baseline 4 visits: sources add up
    login_only: 'growing', // one login in the recent window
  };
  beforeAll(async () => {
    warehouse = await openWarehouse(':memory:');
    const signups = Object.keys(expected).map((id) => {
      const at =
        { new_busy: '2025-02-01 00:00:00', edge_tenure: '2025-01-01 00:00:00' }[id] ?? '2024-01-01 00:00:00';
      return `('${id}', TIMESTAMP '${at}')`;
    });
    await warehouse.run(`INSERT INTO customers (customer_id, signup_at) VALUES ${signups.join(', ')}`);
    const events = [
      ...recent('new_busy', 1),
      "('dormant', TIMESTAMP '2024-12-31 23:59:59', 'visit')",
      "('dormant', TIMESTAMP '2025-04-01 00:00:00', 'visit')",
      "('edge_dormant', TIMESTAMP '2025-01-01 00:00:00', 'visit')",
      ...recent('declining', 1),
      ...baseline('declining', 4),
      ...recent('mature', 2),
      ...baseline('mature', 4),
      ...recent('growing', 3),
      ...baseline('growing', 4),
      ...recent('returning', 1),
      ...recent('mixed', 1),
      ...baseline('mixed', 4),
      "('login_only', TIMESTAMP '2025-03-10 00:00:00', 'login')",
      "('login_only', TIMESTAMP '2025-03-11 00:00:00', 'logout')",
    ];
    await warehouse.run(`INSERT INTO events (customer_id, ts, event_type) VALUES ${events.join(', ')}`);
    await warehouse.run(
      `INSERT INTO transactions (customer_id, ts, amount) VALUES ${recent('mixed', 1, 'transactions').join(', ')}`,
    );
  });
  afterAll(() => warehouse.close());

  const features = [
    feature('stage', lifecycleStage([{ source: 'events' }, { source: 'transactions' }])),
    feature('stage_events', lifecycleStage([{ source: 'events', eventTypes: ['visit'] }])),
    feature('stage_logins', lifecycleStage([{ source: 'events', eventTypes: ['login', 'logout'] }])),
  ];

  for (const [name, dialect] of [
    ['DuckDB', duckdbDialect],
    ['DuckDB without FILTER', portable],
  ] as const) {
    it(`applies the rule in order: new, dormant, declining, growing, mature (${name})`, async () => {
      const table = await computeFeatures(warehouse, '2025-04-01', { features, dialect });
      expect(table.columns.slice(1).map((c) => c.type)).toEqual(['text', 'text', 'text']);
      const stages = Object.fromEntries(table.rows.map((row) => [row['customer_id'], row['stage']]));
      expect(stages).toEqual(expected);
      const visitsOnly = Object.fromEntries(
        table.rows.map((row) => [row['customer_id'], row['stage_events']]),
      );
      expect(visitsOnly).toEqual({ ...expected, mixed: 'declining', login_only: 'dormant' }); // 1 recent vs 4; no visits
      const logins = Object.fromEntries(table.rows.map((row) => [row['customer_id'], row['stage_logins']]));
      expect(logins).toEqual(
        Object.fromEntries(
          Object.keys(expected).map((id) => [
            id,
            { new_busy: 'new', login_only: 'growing' }[id] ?? 'dormant',
          ]),
        ),
      );
    });
  }
});

describe('on the golden data (../shared/golden/features)', () => {
  const golden = (name: string) =>
    fileURLToPath(new URL(`../../../shared/golden/features/${name}`, import.meta.url));
  const SOURCES = ['customers', 'events', 'transactions', 'tickets'] as const;
  const load = async (): Promise<Warehouse> => {
    const warehouse = await openWarehouse(':memory:');
    for (const table of SOURCES) await loadCsv(warehouse, table, golden(`${table}.csv`));
    return warehouse;
  };
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await load();
  });
  afterAll(() => warehouse.close());

  it('derives the standard-like set, whose standard columns equal the standard set value for value', async () => {
    const set = await workspaceFeatures(warehouse, { features: { windows: [7, 30, 90] } });
    expect(names(set)).toEqual(STANDARD_LIKE_NAMES);
    const ours = await computeFeatures(warehouse, '2025-04-01', { features: set });
    const standard = await computeFeatures(warehouse, '2025-04-01');
    const shared = names(standardFeatures);
    const pick = (row: Record<string, unknown>) =>
      Object.fromEntries(shared.map((name) => [name, row[name]]));
    expect(ours.rows.map(pick)).toEqual(standard.rows.map(pick));
    const stages = new Set(ours.rows.map((row) => row['lifecycle_stage']));
    expect(stages).toEqual(new Set(['new', 'dormant', 'declining', 'growing', 'mature']));
  });

  it('leaks nothing: the workspace set at T is identical whether or not data at or after T exists', async () => {
    const set = await workspaceFeatures(warehouse, { features: { windows: [7, 30, 90] } });
    const T = "TIMESTAMP '2024-10-15 00:00:00'";
    const leaky = await load();
    try {
      const withFuture = await computeFeatures(leaky, '2024-10-15', { features: set });
      const removed = await leaky.transaction(async (tx) => {
        let rows = 0;
        rows += await tx.run(`DELETE FROM events WHERE ts >= ${T}`);
        rows += await tx.run(`DELETE FROM transactions WHERE ts >= ${T}`);
        rows += await tx.run(`DELETE FROM tickets WHERE opened_at >= ${T}`);
        rows += await tx.run(`DELETE FROM customers WHERE signup_at >= ${T}`);
        // What was known at T: a ticket resolved later was still open, without a score.
        rows += await tx.run(
          `UPDATE tickets SET resolved_at = NULL, satisfaction = NULL WHERE resolved_at >= ${T}`,
        );
        return rows;
      });
      expect(removed).toBeGreaterThan(10_000);
      const withoutFuture = await computeFeatures(leaky, '2024-10-15', { features: set });
      expect(withoutFuture).toEqual(withFuture);
      // The RFM ranks and the stages are really computed (not constant), so the comparison means something.
      expect(new Set(withFuture.rows.map((row) => row['rfm_score'])).size).toBe(13);
    } finally {
      leaky.close();
    }
  });

  it('writes the set into snapshots as computeFeatures gives it (RFM integers, the stage as text)', async () => {
    const set = await workspaceFeatures(warehouse, { features: { windows: [7, 30, 90] } });
    const definition: ChurnDefinition = {
      kind: 'nonContractual',
      horizonDays: 90,
      activity: [{ source: 'transactions' }],
    };
    const [counts] = await buildSnapshots(warehouse, { features: set, definition, cutoffs: ['2025-01-01'] });
    const rows = await warehouse.all<Record<string, unknown>>('SELECT * FROM snapshots ORDER BY customer_id');
    expect(rows).toHaveLength(counts!.customers);
    const features = await computeFeatures(warehouse, '2025-01-01', { features: set });
    const byId = new Map(features.rows.map((row) => [row['customer_id'], row]));
    for (const { cutoff, churned, churn_type, ...rest } of rows) {
      expect(rest).toEqual(byId.get(rest['customer_id'] as string));
    }
  });
});

// The read side of the API against a real server over a small warehouse written with SQL: the at-risk list
// (filters, sort, paging, bad parameters), the customer 360 view (masking per role, audit of unmasked reads,
// unknown customer), tier counts over time, top reasons, the model registry and the data pages.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../src/security/audit-log.js';
import type { Role } from '../src/security/roles.js';
import {
  addUser,
  errorOf,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../src/server/testing/test-server.js';

const PASSWORD = 'read api password 1';
let server: TestServer;
const clients = {} as Record<Role, TestClient>;

interface ListBody {
  total: number;
  limit: number;
  offset: number;
  nextCursor: string | null;
  customers: {
    id: string;
    name: string | null;
    phone: string | null;
    email: string | null;
    segment: string | null;
    probability: number;
    tier: string;
    reasons: { en: string; 'zh-CN': string };
    drivers: string[];
    value: number;
    scoredAt: string;
    modelVersion: number;
  }[];
}

const drivers = (...features: string[]) =>
  JSON.stringify(features.map((feature, i) => ({ feature, value: 1, contribution: 1 - i / 10 })));

/** Five customers, four scored on two dates (v1 then v2 on the second date), some purchases, loads, a curve. */
async function seed(): Promise<void> {
  const w = server.warehouse;
  await w.run(`INSERT INTO customers (customer_id, signup_at, segment, region, plan, name, phone, email) VALUES
    ('C001', TIMESTAMP '2023-05-01', 'vip', '华东', 'plus', '王芳', '13812345678', 'wang.fang@example.com'),
    ('C002', TIMESTAMP '2023-06-01', 'consumer', '华北', 'basic', '李伟', '13987654321', 'li.wei@163.com'),
    ('C003', TIMESTAMP '2023-07-01', 'consumer', '华东', 'basic', 'John Smith', NULL, NULL),
    ('C004', TIMESTAMP '2023-08-01', 'consumer', '华南', 'basic', '赵敏', '13500001111', NULL),
    ('C005', TIMESTAMP '2023-09-01', 'vip', '华南', 'plus', '陈静', '18600002222', 'chen.jing@qq.com')`);
  const score = (id: string, date: string, version: number, p: number, tier: string, features: string[]) =>
    `('${id}', DATE '${date}', ${version}, ${p}, '${tier}', '${tier} risk: ${features.join(', ')}',
      '${tier === 'high' ? '高' : tier === 'medium' ? '中' : '低'}风险：${features.length}项', '${drivers(...features)}')`;
  await w.run(`INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh,
      drivers) VALUES
    ${score('C001', '2025-01-04', 1, 0.5, 'medium', ['recency_days'])},
    ${score('C002', '2025-01-04', 1, 0.2, 'low', ['tenure_days'])},
    ${score('C003', '2025-01-04', 1, 0.85, 'high', ['recency_days'])},
    ${score('C005', '2025-01-04', 1, 0.3, 'low', ['tenure_days'])},
    ${score('C001', '2025-01-05', 1, 0.1, 'low', ['tenure_days'])},
    ${score('C001', '2025-01-05', 2, 0.92, 'high', ['recency_days', 'visits_trend_30'])},
    ${score('C002', '2025-01-05', 2, 0.55, 'medium', ['open_tickets', 'no purchase'])},
    ${score('C003', '2025-01-05', 2, 0.1, 'low', ['tenure_days'])},
    ${score('C005', '2025-01-05', 2, 0.81, 'high', ['recency_days'])}`);
  await w.run(`INSERT INTO transactions (customer_id, ts, amount) VALUES
    ('C001', TIMESTAMP '2024-12-01', 60), ('C001', TIMESTAMP '2024-11-20', 40), ('C001', TIMESTAMP '2024-06-01', 500),
    ('C002', TIMESTAMP '2024-12-20', 300), ('C005', TIMESTAMP '2024-10-15', 50), ('C005', TIMESTAMP '2025-01-06', 999)`);
  await w.run(
    `INSERT INTO tickets (customer_id, opened_at, category) VALUES ('C002', TIMESTAMP '2024-12-28', 'billing')`,
  );
  await w.run(`INSERT INTO model_registry (version, kind, status, file, test_cutoff, train_cutoffs, roc_auc, pr_auc,
      log_loss, brier, report) VALUES
    (1, 'logistic', 'retired', 'models/v1-logistic.model.json', DATE '2024-11-01', '["2024-09-01"]', 0.7, 0.2, 0.3, 0.1,
      '{"results":[{"model":"logistic","roc_auc":0.7}]}'),
    (2, 'gbdt', 'champion', 'models/v2-gbdt.model.json', DATE '2024-12-01', '["2024-10-01","2024-11-01"]', 0.8, 0.3,
      0.25, 0.08, '{"results":[{"model":"gbdt","roc_auc":0.8}],"test":{"roc":[[0,0],[1,1]]}}')`);
  await w.run(`INSERT INTO load_log (load_id, source, file, file_hash, settings_hash, loaded_at, rows_read, rows_loaded,
      rows_quarantined) VALUES
    (1, 'customers', 'data/customers.csv', 'h1', 's1', TIMESTAMP '2025-01-05 08:00:00', 7, 5, 2),
    (2, 'transactions', 'data/transactions.csv', 'h2', 's1', TIMESTAMP '2025-01-05 08:00:01', 7, 6, 1)`);
  await w.run(`INSERT INTO quarantine (load_id, source, file, line, customer_id, reason, detail, raw) VALUES
    (1, 'customers', 'data/customers.csv', 7, 'test_01', 'test_account', NULL,
      '{"customer_id":"test_01","name":"测试账号","phone":"13800000000","email":"qa@example.com"}'),
    (1, 'customers', 'data/customers.csv', 8, 'C001', 'duplicate', 'same id as line 2', '{"customer_id":"C001"}'),
    (2, 'transactions', 'data/transactions.csv', 5, 'C002', 'negative_amount', 'amount -3', '{"amount":"-3"}')`);
  const curve = [
    [7, 400, 200, 0.5],
    [14, 300, 60, 0.2],
    [30, 200, 16, 0.08],
    [60, 20, 1, 0.05],
  ];
  await w.run(
    `INSERT INTO inactivity_curve (gap_days, inactive_customers, returned_customers, return_share, activity,
      computed_at) VALUES ${curve.map((p) => `(${p.join(', ')}, 'transactions', TIMESTAMP '2025-01-05 09:00:00')`).join(', ')}`,
  );
}

beforeAll(async () => {
  server = await startTestServer();
  await seed();
  for (const role of ['admin', 'analyst', 'operator', 'viewer'] as const) {
    await addUser(server.warehouse, `${role}1`, role, PASSWORD);
    clients[role] = server.client();
    expect((await clients[role].login(`${role}1`, PASSWORD)).status).toBe(200);
  }
});
afterAll(() => server.close());

async function list(role: Role, query = ''): Promise<ListBody> {
  const response = await clients[role].request('GET', `/api/customers${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body as ListBody;
}

const ids = (body: ListBody) => body.customers.map((c) => c.id);

describe('GET /api/customers', () => {
  it('lists the latest score of every scored customer, riskiest first, with value and both languages', async () => {
    const body = await list('analyst');
    expect(body.total).toBe(4);
    expect(ids(body)).toEqual(['C001', 'C005', 'C002', 'C003']);
    const first = body.customers[0]!;
    expect(first).toMatchObject({
      probability: 0.92,
      tier: 'high',
      modelVersion: 2,
      scoredAt: '2025-01-05',
      segment: 'vip',
      drivers: ['recency_days', 'visits_trend_30'],
      // Only the 90 days before the score: the June purchase is out.
      value: 100,
    });
    expect(first.reasons.en).toContain('recency_days');
    expect(first.reasons['zh-CN']).toContain('高风险');
  });

  it('filters by tier, segment, reason (driver or word), probability range and id prefix', async () => {
    expect(ids(await list('viewer', '?tier=high'))).toEqual(['C001', 'C005']);
    expect(ids(await list('viewer', '?tier=high,medium&segment=consumer'))).toEqual(['C002']);
    expect(ids(await list('viewer', '?reason=open_tickets'))).toEqual(['C002']);
    expect(ids(await list('viewer', '?reason=PURCHASE'))).toEqual(['C002']);
    expect(ids(await list('viewer', '?reason=visits_trend_30'))).toEqual(['C001']);
    const range = await list('viewer', '?minProbability=0.5&maxProbability=0.9');
    expect(ids(range)).toEqual(['C005', 'C002']);
    expect(range.total).toBe(2);
    expect(ids(await list('viewer', '?search=c00'))).toHaveLength(4);
    expect(ids(await list('viewer', '?search=C005'))).toEqual(['C005']);
  });

  it('searches names and phones only for roles that see them unmasked', async () => {
    expect(ids(await list('operator', '?search=王'))).toEqual(['C001']);
    expect(ids(await list('admin', '?search=13987'))).toEqual(['C002']);
    expect(ids(await list('viewer', '?search=王'))).toEqual([]);
    expect(ids(await list('analyst', '?search=13987'))).toEqual([]);
  });

  it('sorts by value and by id, both ways', async () => {
    expect(ids(await list('viewer', '?sort=value'))).toEqual(['C002', 'C001', 'C005', 'C003']);
    expect(ids(await list('viewer', '?sort=value&order=asc'))).toEqual(['C003', 'C005', 'C001', 'C002']);
    expect(ids(await list('viewer', '?sort=id'))).toEqual(['C001', 'C002', 'C003', 'C005']);
    expect(ids(await list('viewer', '?sort=id&order=desc'))).toEqual(['C005', 'C003', 'C002', 'C001']);
    expect(ids(await list('viewer', '?sort=probability&order=asc'))).toEqual([
      'C003',
      'C002',
      'C005',
      'C001',
    ]);
  });

  it('pages by offset and by cursor, with the total of every match', async () => {
    const first = await list('viewer', '?limit=3');
    expect(ids(first)).toEqual(['C001', 'C005', 'C002']);
    expect(first.total).toBe(4);
    expect(first.nextCursor).not.toBeNull();
    const next = await list('viewer', `?limit=3&cursor=${first.nextCursor}`);
    expect(ids(next)).toEqual(['C003']);
    expect(next.total).toBe(4);
    expect(next.nextCursor).toBeNull();
    expect(ids(await list('viewer', '?limit=3&offset=3'))).toEqual(['C003']);
    // Keyset paging by value walks every row once.
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await list('viewer', `?sort=value&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(page));
      cursor = page.customers.length === 0 ? null : page.nextCursor;
    }
    expect(seen).toEqual(['C002', 'C001', 'C005', 'C003']);
  });

  it('masks personal fields for analysts and viewers, not for operators and admins', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const c001 = (await list(role, '?search=C001')).customers[0]!;
      expect(c001).toMatchObject({ name: '王*', phone: '138****5678', email: 'w***@example.com' });
      const c003 = (await list(role, '?search=C003')).customers[0]!;
      expect(c003).toMatchObject({ name: 'J*** S****', phone: null, email: null });
    }
    for (const role of ['operator', 'admin'] as const) {
      const c001 = (await list(role, '?search=C001')).customers[0]!;
      expect(c001).toMatchObject({ name: '王芳', phone: '13812345678', email: 'wang.fang@example.com' });
    }
  });

  it('audits unmasked pages with the ids shown, and masked pages not at all', async () => {
    const before = await listAudit(server.warehouse, { limit: 1000, action: 'customers.list-unmasked' });
    await list('viewer', '?tier=high');
    await list('operator', '?tier=high');
    const after = await listAudit(server.warehouse, { limit: 1000, action: 'customers.list-unmasked' });
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({
      actor: 'operator1',
      actorRole: 'operator',
      target: '2 customers',
      detail: { customerIds: ['C001', 'C005'] },
    });
  });

  it('answers 400 naming the parameter for bad query values', async () => {
    const cases: [string, string][] = [
      ['?limit=500', 'query.limit'],
      ['?limit=0', 'query.limit'],
      ['?offset=-1', 'query.offset'],
      ['?tier=urgent', 'query.tier'],
      ['?sort=name', 'query.sort'],
      ['?order=up', 'query.order'],
      ['?minProbability=2', 'query.minProbability'],
      ['?minProbability=abc', 'query.minProbability'],
      ['?minProbability=0.9&maxProbability=0.5', 'query.maxProbability'],
      ['?color=red', 'query.color'],
      ['?cursor=garbage', 'query.cursor'],
    ];
    for (const [query, where] of cases) {
      const response = await clients.viewer.request('GET', `/api/customers${query}`);
      expect(response.status, query).toBe(400);
      expect(errorOf(response), query).toMatchObject({ code: 'invalid_query', where });
    }
    const page = await list('viewer', '?limit=1');
    const mismatch = await clients.viewer.request('GET', `/api/customers?sort=id&cursor=${page.nextCursor}`);
    expect(errorOf(mismatch)).toMatchObject({ code: 'invalid_query', where: 'query.cursor' });
  });
});

describe('GET /api/customers/:customerId', () => {
  interface ViewBody {
    profile: Record<string, unknown>;
    personalMasked: boolean;
    openTickets: number;
    scores: { scoredAt: string; modelVersion: number; tier: string }[];
    activity: { kind: string; last90: number }[];
    tickets: { openedAt: string; resolvedAt: string | null; category: string | null }[];
    transactions: { at: string; amount: number; product: string | null }[];
  }

  it('shows the 360 view with personal fields masked for a viewer, and writes no audit entry', async () => {
    const before = await listAudit(server.warehouse, { limit: 1000, action: 'customer.read-unmasked' });
    const response = await clients.viewer.request('GET', '/api/customers/C002');
    expect(response.status, response.text).toBe(200);
    const view = response.body as ViewBody;
    expect(view.profile).toMatchObject({
      customerId: 'C002',
      segment: 'consumer',
      name: '李*',
      phone: '139****4321',
      email: 'l***@163.com',
    });
    expect(view.personalMasked).toBe(true);
    expect(view.openTickets).toBe(1);
    expect(view.scores.map((s) => `${s.scoredAt} v${s.modelVersion} ${s.tier}`)).toEqual([
      '2025-01-05 v2 medium',
      '2025-01-04 v1 low',
    ]);
    const after = await listAudit(server.warehouse, { limit: 1000, action: 'customer.read-unmasked' });
    expect(after).toHaveLength(before.length);
  });

  it('shows operators the fields unmasked and records who read whom', async () => {
    const response = await clients.operator.request('GET', '/api/customers/C001');
    expect(response.status).toBe(200);
    const view = response.body as ViewBody;
    expect(view.profile).toMatchObject({
      name: '王芳',
      phone: '13812345678',
      email: 'wang.fang@example.com',
    });
    expect(view.personalMasked).toBe(false);
    const [entry] = await listAudit(server.warehouse, { limit: 1, action: 'customer.read-unmasked' });
    expect(entry).toMatchObject({ actor: 'operator1', actorRole: 'operator', target: 'C001' });
    expect(entry?.ip).toBe('127.0.0.1');
  });

  it('lists the customer’s tickets and transactions, newest first', async () => {
    const c002 = (await clients.viewer.request('GET', '/api/customers/C002')).body as ViewBody;
    expect(c002.tickets).toEqual([
      { openedAt: '2024-12-28 00:00:00', resolvedAt: null, category: 'billing', satisfaction: null },
    ]);
    const c001 = (await clients.viewer.request('GET', '/api/customers/C001')).body as ViewBody;
    expect(c001.tickets).toEqual([]);
    expect(c001.transactions.map((t) => [t.at, t.amount])).toEqual([
      ['2024-12-01 00:00:00', 60],
      ['2024-11-20 00:00:00', 40],
      ['2024-06-01 00:00:00', 500],
    ]);
  });

  it('answers 404 for an unknown customer', async () => {
    const response = await clients.admin.request('GET', '/api/customers/NOPE');
    expect(response.status).toBe(404);
    expect(errorOf(response)).toMatchObject({ code: 'customer_not_found', where: 'path customerId' });
  });
});

describe('GET /api/segments', () => {
  it('lists the distinct segments with their customer counts, sorted, for every role', async () => {
    for (const role of ['viewer', 'admin'] as const) {
      const response = await clients[role].request('GET', '/api/segments');
      expect(response.status, response.text).toBe(200);
      expect(response.body).toEqual({
        segments: [
          { segment: 'consumer', customers: 3 },
          { segment: 'vip', customers: 2 },
        ],
      });
    }
  });

  it('needs a session', async () => {
    const response = await server.client().request('GET', '/api/segments');
    expect(response.status).toBe(401);
  });
});

describe('GET /api/scores', () => {
  interface TierBody {
    period: string;
    points: {
      period: string;
      scoredAt: string;
      modelVersion: number;
      high: number;
      medium: number;
      low: number;
    }[];
  }

  it('counts tiers per date with the newest model of the date, and per month the last date in it', async () => {
    const day = (await clients.viewer.request('GET', '/api/scores/tiers')).body as TierBody;
    expect(day.points).toEqual([
      { period: '2025-01-04', scoredAt: '2025-01-04', modelVersion: 1, high: 1, medium: 1, low: 2, total: 4 },
      { period: '2025-01-05', scoredAt: '2025-01-05', modelVersion: 2, high: 2, medium: 1, low: 1, total: 4 },
    ]);
    const month = (await clients.viewer.request('GET', '/api/scores/tiers?period=month')).body as TierBody;
    expect(month.points).toEqual([
      { period: '2025-01-01', scoredAt: '2025-01-05', modelVersion: 2, high: 2, medium: 1, low: 1, total: 4 },
    ]);
    const week = (await clients.viewer.request('GET', '/api/scores/tiers?period=week&segment=vip'))
      .body as TierBody;
    // 2025-01-04 is a Saturday, 2025-01-05 a Sunday: one week, from Monday 2024-12-30.
    expect(week.points).toEqual([
      { period: '2024-12-30', scoredAt: '2025-01-05', modelVersion: 2, high: 2, medium: 0, low: 0, total: 2 },
    ]);
    const bad = await clients.viewer.request('GET', '/api/scores/tiers?period=year');
    expect(errorOf(bad)).toMatchObject({ code: 'invalid_query', where: 'query.period' });
  });

  it('ranks the main reasons of the high and medium tiers now', async () => {
    const response = await clients.viewer.request('GET', '/api/scores/reasons');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      tiers: ['high', 'medium'],
      customers: 3,
      reasons: [
        { feature: 'recency_days', main: 2, anywhere: 2 },
        { feature: 'open_tickets', main: 1, anywhere: 1 },
        { feature: 'no purchase', main: 0, anywhere: 1 },
        { feature: 'visits_trend_30', main: 0, anywhere: 1 },
      ],
    });
    const high = (await clients.viewer.request('GET', '/api/scores/reasons?tier=high&limit=1')).body;
    expect(high).toEqual({
      tiers: ['high'],
      customers: 2,
      reasons: [{ feature: 'recency_days', main: 2, anywhere: 2 }],
    });
  });
});

describe('GET /api/metrics/churn', () => {
  interface ChurnBody {
    definition: { kind: string; horizonDays: number };
    customerChurn: { months: { month: string; customersAtStart: number; lost: number | null }[] };
    revenueRetention: { month: string; revenue: number; netRevenueRetention: number | null }[];
    cohorts: { cohort: string; customers: number; retained: number[] }[];
  }

  it('reports monthly churn, revenue retention and cohorts by the default lapse definition', async () => {
    const response = await clients.viewer.request('GET', '/api/metrics/churn');
    expect(response.status, response.text).toBe(200);
    const body = response.body as ChurnBody;
    // No churnwatch.yaml: no activity for 90 days. The data runs from 2024-06-01 to 2025-01-06; C003 and C004
    // never bought, so they count as lost at signup (2023), before the data starts.
    expect(body.definition).toEqual({ kind: 'nonContractual', horizonDays: 90 });
    expect(body.customerChurn.months.map((m) => [m.month, m.customersAtStart, m.lost])).toEqual([
      ['2024-06-01', 3, 0],
      ['2024-07-01', 3, 0],
      ['2024-08-01', 3, 0],
      ['2024-09-01', 3, 0],
      ['2024-10-01', 3, null],
      ['2024-11-01', 3, null],
      ['2024-12-01', 3, null],
      ['2025-01-01', 3, null],
    ]);
    expect(body.revenueRetention.map((m) => [m.month, m.revenue, m.netRevenueRetention])).toEqual([
      ['2024-06-01', 500, null],
      ['2024-10-01', 50, null],
      ['2024-11-01', 40, 0],
      ['2024-12-01', 360, 1.5],
    ]);
    expect(body.cohorts.map((c) => [c.cohort, c.customers, c.retained[0]])).toEqual([
      ['2023-05-01', 1, 1],
      ['2023-06-01', 1, 1],
      ['2023-07-01', 1, 0],
      ['2023-08-01', 1, 0],
      ['2023-09-01', 1, 1],
    ]);
    expect(body.cohorts[0]?.retained).toEqual(new Array(17).fill(1));
  });

  it('limits the figures to one segment and refuses unknown parameters', async () => {
    const vip = (await clients.viewer.request('GET', '/api/metrics/churn?segment=vip')).body as ChurnBody;
    expect(vip.customerChurn.months[0]).toMatchObject({ month: '2024-06-01', customersAtStart: 2, lost: 0 });
    expect(vip.cohorts.map((c) => c.cohort)).toEqual(['2023-05-01', '2023-09-01']);
    const bad = await clients.viewer.request('GET', '/api/metrics/churn?period=year');
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: 'invalid_query' });
  });
});

describe('GET /api/models', () => {
  it('lists the versions newest first and shows one in full', async () => {
    const listed = await clients.viewer.request('GET', '/api/models');
    expect(listed.status).toBe(200);
    const { models } = listed.body as {
      models: { version: number; status: string; metrics: { rocAuc: number } }[];
    };
    expect(models.map((m) => `${m.version} ${m.status} ${m.metrics.rocAuc}`)).toEqual([
      '2 champion 0.8',
      '1 retired 0.7',
    ]);
    const one = await clients.viewer.request('GET', '/api/models/2');
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({
      version: 2,
      kind: 'gbdt',
      testCutoff: '2024-12-01',
      trainCutoffs: ['2024-10-01', '2024-11-01'],
      report: {
        test: {
          roc: [
            [0, 0],
            [1, 1],
          ],
        },
      },
      // The test workspace holds no model files.
      importance: null,
    });
  });

  it('answers 404 for an unknown version and 400 for one that is not a number', async () => {
    const missing = await clients.viewer.request('GET', '/api/models/9');
    expect(missing.status).toBe(404);
    expect(errorOf(missing)).toMatchObject({ code: 'model_not_found', where: 'path version' });
    const bad = await clients.viewer.request('GET', '/api/models/latest');
    expect(bad.status).toBe(400);
    expect(errorOf(bad).where).toBe('path version');
  });
});

describe('GET /api/data', () => {
  it('is for the roles that set the data up: a viewer is refused', async () => {
    const response = await clients.viewer.request('GET', '/api/data/loads');
    expect(response.status).toBe(403);
  });

  it('lists the loads newest first', async () => {
    const response = await clients.analyst.request('GET', '/api/data/loads');
    expect(response.status).toBe(200);
    const { loads } = response.body as {
      loads: { loadId: number; rowsQuarantined: number; loadedAt: string }[];
    };
    expect(loads.map((l) => [l.loadId, l.rowsQuarantined])).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(loads[0]?.loadedAt).toBe('2025-01-05 08:00:01');
  });

  it('counts the quarantine per source and reason, with masked examples, filtered', async () => {
    const response = await clients.admin.request('GET', '/api/data/quarantine');
    expect(response.status, response.text).toBe(200);
    const body = response.body as {
      counts: { source: string; reason: string; rows: number }[];
      examples: { line: number; reason: string; raw: Record<string, unknown> }[];
    };
    expect(body.counts).toHaveLength(3);
    const testAccount = body.examples.find((e) => e.reason === 'test_account');
    expect(testAccount?.raw).toEqual({
      customer_id: 'test_01',
      name: '测***',
      phone: '138****0000',
      email: 'q***@example.com',
    });
    const filtered = await clients.analyst.request(
      'GET',
      '/api/data/quarantine?source=customers&reason=duplicate',
    );
    expect(filtered.body).toMatchObject({
      counts: [{ source: 'customers', reason: 'duplicate', rows: 1 }],
      examples: [{ line: 8, customerId: 'C001', detail: 'same id as line 2' }],
    });
    const bad = await clients.analyst.request('GET', '/api/data/quarantine?limit=1000');
    expect(errorOf(bad).where).toBe('query.limit');
  });

  it('serves the inactivity curve with the suggested horizon', async () => {
    const response = await clients.analyst.request('GET', '/api/data/inactivity');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      activity: 'transactions',
      computedAt: '2025-01-05 09:00:00',
      suggestedHorizonDays: 30,
    });
    expect((response.body as { points: unknown[] }).points).toHaveLength(4);
  });
});

describe('the OpenAPI document', () => {
  it('describes the read routes with their response schemas', async () => {
    const doc = (await clients.viewer.request('GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    for (const path of [
      '/api/customers',
      '/api/customers/{customerId}',
      '/api/segments',
      '/api/scores/tiers',
      '/api/scores/reasons',
      '/api/metrics/churn',
      '/api/models',
      '/api/models/{version}',
      '/api/data/loads',
      '/api/data/quarantine',
      '/api/data/inactivity',
    ]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(doc.components.schemas.CustomerListRow).toBeDefined();
    expect(doc.components.schemas.CustomerView).toBeDefined();
  });
});

// The write side of the API against a real server: batch appends checked row by row with the file ingest's
// reasons, idempotent re-posts, malformed and oversized bodies, the re-score of the touched customers within
// 5 s, and jobs run in the server with progress. The workspace is built here: 300 customers in SQL, a
// small champion trained and the population scored, before the server takes requests.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { standardFeatures } from '../src/features/standard-features.js';
import { scoreWorkspace } from '../src/scoring/score-workspace.js';
import { insertToken } from '../src/security/api-tokens.js';
import { listAudit } from '../src/security/audit-log.js';
import { errorOf, startTestServer, type TestServer } from '../src/server/testing/test-server.js';
import { trainWorkspace } from '../src/training/train-workspace.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';

let dir: string;
let server: TestServer;
let admin: string;

const CONFIG = `sources:
  customers: { path: data/customers.csv }
  events: { path: data/events.csv }
  transactions: { path: data/transactions.csv }
churn: { kind: non_contractual, horizon_days: 30, activity: [{ source: events }] }
test_accounts: { id_pattern: '^test_' }
`;

/** 300 customers over 2024; every fourth fades for a month and stops on a day of its own. */
async function insertCustomers(warehouse: Warehouse): Promise<void> {
  const id = `'k' || lpad(i::VARCHAR, 4, '0')`;
  const stop = 'CASE WHEN i % 4 = 0 THEN 90 + (i * 37) % 240 ELSE 9999 END';
  const rate = `CASE WHEN d >= ${stop} - 30 THEN 8 ELSE 35 + (i % 5) * 5 END`;
  const days = 'range(1, 301) AS c(i), range(0, 366) AS t(d)';
  const kept = `d < ${stop} AND hash(i * 1000 + d) % 100 <`;
  await warehouse.run(`INSERT INTO customers (customer_id, signup_at, segment, region, plan)
    SELECT ${id}, TIMESTAMP '2024-01-01' - to_days((i % 60)::INTEGER), 'regular', 'north', 'basic'
    FROM range(1, 301) AS c(i)
    UNION ALL SELECT 'test_1', TIMESTAMP '2024-01-01', NULL, NULL, NULL`);
  await warehouse.run(`INSERT INTO events (customer_id, ts, event_type)
    SELECT ${id}, TIMESTAMP '2024-01-01' + to_days(d::INTEGER) + to_hours((i % 12)::INTEGER), 'visit'
    FROM ${days} WHERE ${kept} ${rate}`);
  await warehouse.run(`INSERT INTO transactions (customer_id, ts, amount)
    SELECT ${id}, TIMESTAMP '2024-01-01' + to_days(d::INTEGER) + to_hours(13), 10 + i % 7
    FROM ${days} WHERE ${kept} ${rate} / 8`);
}

interface AppendBody {
  accepted: number;
  rejected: { index: number; reason: string; field: string | null; detail: string | null }[];
  customers: number;
}

interface ScoreBody {
  probability: number;
  tier: string;
  reasons: { en: string; 'zh-CN': string };
  scoredAt: string;
  modelVersion: number;
  updatedAt: string;
}

interface JobBody {
  id: string;
  kind: string;
  status: string;
  progress: { stage: string; done: number; total: number };
  result: Record<string, unknown> | null;
  error: string | null;
}

function post(path: string, json: unknown, token = admin) {
  return server.client().request('POST', path, { json, token });
}

function get(path: string, token = admin) {
  return server.client().request('GET', path, { token });
}

async function tokenOf(role: 'admin' | 'analyst' | 'operator' | 'viewer'): Promise<string> {
  const { secret } = await insertToken(
    server.warehouse,
    { name: `write-${role}-${Math.random()}`, role, createdBy: null, expiresAt: null },
    server.clock.now,
  );
  return secret;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'churnwatch-write-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'churnwatch.yaml'), CONFIG);
  // The test server's clock says 2025-01-06 09:00 UTC; the data ends on 2024-12-31.
  server = await startTestServer({ workspace: dir });
  await insertCustomers(server.warehouse);
  const config = loadConfig(join(dir, 'churnwatch.yaml'));
  await trainWorkspace(server.warehouse, {
    workspace: dir,
    config,
    features: standardFeatures,
    models: ['gbdt'],
    calibrate: 'platt',
    seed: 1,
    threads: 1,
    rounds: 30,
    earlyStopping: 10,
    forestTrees: 10,
    positiveWeight: 1,
  });
  await scoreWorkspace(server.warehouse, { workspace: dir, config });
  admin = await tokenOf('admin');
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/events, /api/transactions, /api/tickets', () => {
  const batch = [
    { customer_id: 'k0001', ts: '2025-01-02T10:00:00Z', event_type: 'login', properties: { app: 'ios' } },
    { customer_id: 'k0001', ts: '2025-01-02T10:00:00Z', event_type: 'login', properties: { app: 'ios' } },
    { customer_id: 'k0002', ts: '2 Jan 2025', event_type: 'visit' },
    { customer_id: 'k0002', ts: '2025-02-01T00:00:00Z', event_type: 'visit' },
    { customer_id: 'nobody', ts: '2025-01-02T10:00:00Z', event_type: 'visit' },
    { customer_id: 'test_1', ts: '2025-01-02T10:00:00Z', event_type: 'visit' },
    { customer_id: 'k0003', ts: '2025-01-02T10:00:00Z' },
    { customer_id: 'k0003', ts: '2025-01-03 08:00:00', event_type: 'visit' },
  ];

  it('stores the good rows and reports each bad one by index, reason and field, as the file ingest would', async () => {
    const response = await post('/api/events', { rows: batch });
    expect(response.status, response.text).toBe(200);
    const body = response.body as AppendBody;
    expect(body.accepted).toBe(2);
    expect(body.customers).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.reason, r.field])).toEqual([
      [1, 'duplicate', null],
      [2, 'bad_timestamp', 'ts'],
      [3, 'future_timestamp', 'ts'],
      [4, 'unknown_customer', 'customer_id'],
      [5, 'test_account', 'customer_id'],
      [6, 'missing_value', 'event_type'],
    ]);
    const quarantined = await server.warehouse.all<{ file: string; line: number; reason: string }>(
      "SELECT file, line, reason FROM quarantine WHERE file = 'api:events' ORDER BY line",
    );
    expect(quarantined.map((q) => q.line)).toEqual([1, 2, 3, 4, 5, 6]);
    const [stored] = await server.warehouse.all<{ properties: string }>(
      "SELECT properties FROM events WHERE customer_id = 'k0001' AND ts = TIMESTAMP '2025-01-02 10:00:00'",
    );
    expect(JSON.parse(stored.properties)).toEqual({ app: 'ios' });

    const money = await post('/api/transactions', {
      rows: [
        { customer_id: 'k0004', ts: '2025-01-03T12:00:00Z', amount: 25 },
        { customer_id: 'k0004', ts: '2025-01-03T13:00:00Z', amount: -5 },
        { customer_id: 'k0004', ts: '2025-01-03T14:00:00Z', amount: 'lots' },
      ],
    });
    expect((money.body as AppendBody).rejected.map((r) => [r.index, r.reason, r.field])).toEqual([
      [1, 'negative_amount', 'amount'],
      [2, 'bad_value', 'amount'],
    ]);
    const ticket = await post('/api/tickets', {
      rows: [{ customer_id: 'k0005', opened_at: '2025-01-04T09:00:00Z', category: 'billing' }],
    });
    expect(ticket.body).toMatchObject({ accepted: 1, rejected: [] });
  });

  it('adds nothing when the same batch is posted again', async () => {
    const count = async () =>
      (await server.warehouse.all<{ n: number }>('SELECT count(*) AS n FROM events'))[0].n;
    const before = await count();
    const again = (await post('/api/events', { rows: batch })).body as AppendBody;
    expect(again.accepted).toBe(0);
    expect(again.rejected.filter((r) => r.reason === 'already_loaded').map((r) => r.index)).toEqual([0, 7]);
    expect(await count()).toBe(before);
  });

  it('records every append in the audit log with who sent it and what came of it', async () => {
    const entries = (await listAudit(server.warehouse, { limit: 100 })).filter(
      (e) => e.action === 'data.append',
    );
    expect(entries.map((e) => e.target)).toEqual(expect.arrayContaining(['events', 'tickets']));
    expect(entries.every((e) => e.actor !== null)).toBe(true);
    expect(entries.find((e) => e.target === 'events')?.detail).toMatchObject({ loadId: expect.any(Number) });
  });

  it('answers 400 for a malformed body and stores nothing', async () => {
    const client = server.client();
    const broken = await client.request('POST', '/api/events', {
      raw: '{"rows": [',
      headers: { 'content-type': 'application/json' },
      token: admin,
    });
    expect(broken.status).toBe(400);
    expect(errorOf(broken)).toMatchObject({ code: 'malformed_json', where: 'body' });
    const notRows = await post('/api/events', { rows: [1, 2] });
    expect(notRows.status).toBe(400);
    expect(errorOf(notRows)).toMatchObject({ code: 'invalid_body', where: 'body.rows[0]' });
    expect((await post('/api/events', { rows: [] })).status).toBe(400);
    expect((await post('/api/events', { row: [] })).status).toBe(400);
    const badKey = await post('/api/events', { rows: [{ 'customer id': 'k0001' }] });
    expect(errorOf(badKey).code).toBe('invalid_body');
  });

  it('takes batches over the app-wide 1 MiB limit, answers 413 over its own, and keeps 1 MiB elsewhere', async () => {
    const padding = 'x'.repeat(200);
    const rows = Array.from({ length: 9000 }, (_, i) => ({
      customer_id: 'nobody',
      ts: '2025-01-02T10:00:00Z',
      event_type: 'visit',
      properties: `${i}${padding}`,
    }));
    const big = await post('/api/events', { rows });
    expect(JSON.stringify({ rows }).length).toBeGreaterThan(1024 * 1024);
    expect(big.status, big.text).toBe(200);
    expect((big.body as AppendBody).rejected).toHaveLength(9000);

    const huge = `{"rows": [${`"${'y'.repeat(1024 * 1024)}",`.repeat(9)}1]}`;
    const tooBig = await server.client().request('POST', '/api/events', {
      raw: huge,
      headers: { 'content-type': 'application/json' },
      token: admin,
    });
    expect(tooBig.status).toBe(413);
    expect(errorOf(tooBig).code).toBe('payload_too_large');
    const elsewhere = await post('/api/tokens', { name: 'z'.repeat(2 * 1024 * 1024), role: 'viewer' });
    expect(elsewhere.status).toBe(413);
  });
});

describe('the re-score after an append', () => {
  it("shows the customer's new score within 5 s", async () => {
    const customer = 'k0008'; // a churner: silent since the autumn
    const before = (await get(`/api/customers/${customer}/score`)).body as ScoreBody;
    expect(before.scoredAt).toBe('2025-01-01');
    const started = Date.now();
    const rows = Array.from({ length: 30 }, (_, i) => ({
      customer_id: customer,
      ts: new Date(Date.UTC(2025, 0, 5, 8, i)).toISOString(),
      event_type: 'visit',
    }));
    expect((await post('/api/events', { rows })).body).toMatchObject({ accepted: 30 });
    let after = before;
    while (after.updatedAt === before.updatedAt && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      after = (await get(`/api/customers/${customer}/score`)).body as ScoreBody;
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5000);
    expect(after.scoredAt).toBe('2025-01-06');
    expect(after.probability).not.toBeCloseTo(before.probability, 6);
    expect(after.reasons.en).toMatch(/risk/);
    expect(after.modelVersion).toBe(1);
  });

  it('answers 404 for a customer without a score', async () => {
    const missing = await get('/api/customers/nobody/score');
    expect(missing.status).toBe(404);
    expect(errorOf(missing)).toMatchObject({ code: 'score_not_found', where: 'path customerId' });
  });
});

describe('jobs', () => {
  async function finished(id: string): Promise<JobBody> {
    for (let i = 0; i < 400; i++) {
      const job = (await get(`/api/jobs/${id}`)).body as JobBody;
      if (job.status === 'done' || job.status === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${id} did not finish`);
  }

  it('runs a scoring job in the server and reports its progress and result', async () => {
    const started = await post('/api/jobs', { kind: 'score' });
    expect(started.status).toBe(201);
    const job = started.body as JobBody;
    expect(['queued', 'running']).toContain(job.status);
    const done = await finished(job.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.progress).toMatchObject({ stage: 'scoring' });
    expect(done.progress.done).toBe(done.progress.total);
    expect(done.result).toMatchObject({ modelVersion: 1, customers: expect.any(Number) });
    const list = (await get('/api/jobs')).body as { jobs: JobBody[] };
    expect(list.jobs[0].id).toBe(job.id);
    const audited = (await listAudit(server.warehouse, { limit: 100 })).find((e) => e.action === 'job.start');
    expect(audited).toMatchObject({ target: 'score', detail: { jobId: job.id } });
  });

  it('reports a failed job with its reason, and refuses kinds the role may not start', async () => {
    const ingest = (await post('/api/jobs', { kind: 'ingest' })).body as JobBody;
    const failed = await finished(ingest.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/customers\.csv/);
    const operator = await tokenOf('operator');
    expect((await post('/api/jobs', { kind: 'train' }, operator)).status).toBe(403);
    expect((await post('/api/jobs', { kind: 'lunch' })).status).toBe(400);
    expect((await get('/api/jobs/no-such-job')).status).toBe(404);
  });
});

// The read API's caches against a real server: a write through the API shows in the next list and 360°
// answer, cached answers are still audited, and a revoked token or an ended session is refused at once.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertToken } from '../../security/api-tokens.js';
import { addUser, errorOf, startTestServer, type TestServer } from '../testing/test-server.js';

const CONFIG = `sources:
  customers: { path: data/customers.csv }
  events: { path: data/events.csv }
  transactions: { path: data/transactions.csv }
churn: { kind: non_contractual, horizon_days: 30, activity: [{ source: events }] }
`;

interface ListBody {
  total: number;
  customers: { id: string; name: string | null; value: number; probability: number }[];
}

interface ViewBody {
  profile: { name: string | null };
  transactions: { at: string; amount: number }[];
  timeline: { at: string; kind: string; detail: string }[];
}

let dir: string;
let server: TestServer;

async function tokenOf(role: 'admin' | 'operator' | 'viewer'): Promise<{ id: string; secret: string }> {
  const { token, secret } = await insertToken(
    server.warehouse,
    { name: `${role}-${Math.random()}`, role, createdBy: null, expiresAt: null },
    server.clock.now,
  );
  return { id: token.id, secret };
}

function get(path: string, token: string) {
  return server.client().request('GET', path, { token });
}

async function auditCount(action: string): Promise<number> {
  const [row] = await server.warehouse.all<{ n: number }>(
    'SELECT count(*) AS n FROM audit_log WHERE action = ?',
    [action],
  );
  return Number(row?.n);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'churnwatch-read-cache-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'churnwatch.yaml'), CONFIG);
  server = await startTestServer({ workspace: dir });
  await server.warehouse.run(`INSERT INTO customers (customer_id, signup_at, segment, region, plan, name, phone)
    SELECT 'k' || i, TIMESTAMP '2024-01-01', 'smb', 'north', 'basic', 'Name ' || i, '1380000000' || i
    FROM range(1, 6) AS r(i)`);
  await server.warehouse.run(`INSERT INTO scores
      (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
    SELECT 'k' || i, DATE '2025-01-01', 1, i / 10, 'low', 'en', '中', '[{"feature":"visits_30d"}]'
    FROM range(1, 6) AS r(i)`);
  await server.warehouse.run(`INSERT INTO transactions (customer_id, ts, amount)
    SELECT 'k' || i, TIMESTAMP '2024-12-01', 10 FROM range(1, 6) AS r(i)`);
  await server.warehouse.run(`INSERT INTO events (customer_id, ts, event_type)
    SELECT 'k' || i, TIMESTAMP '2024-12-02', 'visit' FROM range(1, 6) AS r(i)`);
}, 30_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the read API after writes', () => {
  it('shows a purchase appended through the API in the next list and 360° answers', async () => {
    const operator = (await tokenOf('operator')).secret;
    const admin = (await tokenOf('admin')).secret;
    const listed = async () =>
      ((await get('/api/customers?search=k3', operator)).body as ListBody).customers[0]!.value;
    const viewed = async () => (await get('/api/customers/k3', operator)).body as ViewBody;
    expect(await listed()).toBe(10);
    expect((await viewed()).transactions).toEqual([
      { at: '2024-12-01 00:00:00', amount: 10, product: null, paymentMethod: null },
    ]);
    // Asked again: answered from the caches, still the same.
    expect(await listed()).toBe(10);
    const appended = await server.client().request('POST', '/api/transactions', {
      token: admin,
      json: { rows: [{ customer_id: 'k3', ts: '2024-12-20T08:00:00Z', amount: 32.5 }] },
    });
    expect(appended.status, appended.text).toBe(200);
    expect(await listed()).toBe(42.5);
    const view = await viewed();
    expect(view.transactions[0]).toEqual({
      at: '2024-12-20 08:00:00',
      amount: 32.5,
      product: null,
      paymentMethod: null,
    });
    expect(view.timeline[0]).toMatchObject({
      at: '2024-12-20 08:00:00',
      kind: 'purchase',
      detail: '32.50',
      facts: { amount: 32.5, product: null },
    });
  });

  it('audits every unmasked answer, cached or not', async () => {
    const operator = (await tokenOf('operator')).secret;
    const views = await auditCount('customer.read-unmasked');
    const lists = await auditCount('customers.list-unmasked');
    for (let k = 0; k < 3; k++) {
      const view = await get('/api/customers/k2', operator);
      expect((view.body as ViewBody).profile.name).toBe('Name 2');
      expect((await get('/api/customers?tier=low', operator)).status).toBe(200);
    }
    expect(await auditCount('customer.read-unmasked')).toBe(views + 3);
    expect(await auditCount('customers.list-unmasked')).toBe(lists + 3);
    const [entry] = await server.warehouse.all<{ actor: string; target: string; detail: string }>(
      `SELECT actor, target, detail FROM audit_log WHERE action = 'customer.read-unmasked'
       ORDER BY audit_id DESC LIMIT 1`,
    );
    expect(entry?.actor).toMatch(/^token:operator-/);
    expect(entry?.target).toBe('k2');
    expect(JSON.parse(entry!.detail)).toEqual({ customerIds: ['k2'] });
    // A masked role is not audited and sees masked names from the same cached view.
    const viewer = (await tokenOf('viewer')).secret;
    const masked = (await get('/api/customers/k2', viewer)).body as ViewBody;
    expect(masked.profile.name).not.toBe('Name 2');
    expect(await auditCount('customer.read-unmasked')).toBe(views + 3);
  });

  it('refuses a token as soon as it is revoked', async () => {
    await addUser(server.warehouse, 'keeper', 'admin', 'Keeper-password-1');
    const keeper = server.client();
    expect((await keeper.login('keeper', 'Keeper-password-1')).status).toBe(200);
    const { id, secret } = await tokenOf('operator');
    expect((await get('/api/customers', secret)).status).toBe(200);
    expect((await get('/api/customers', secret)).status).toBe(200);
    expect((await keeper.request('DELETE', `/api/tokens/${id}`)).status).toBe(204);
    const refused = await get('/api/customers', secret);
    expect(refused.status).toBe(401);
    expect(errorOf(refused).code).toBe('invalid_token');
  });

  it('refuses a session as soon as it is logged out', async () => {
    await addUser(server.warehouse, 'leaver', 'operator', 'Leaver-password-1');
    const leaver = server.client();
    expect((await leaver.login('leaver', 'Leaver-password-1')).status).toBe(200);
    expect((await leaver.request('GET', '/api/customers/k1')).status).toBe(200);
    const cookies = new Map(leaver.cookies);
    expect((await leaver.request('POST', '/api/auth/logout')).status).toBe(204);
    // The old cookie, sent again, no longer opens anything.
    for (const [name, value] of cookies) leaver.cookies.set(name, value);
    expect((await leaver.request('GET', '/api/customers/k1')).status).toBe(401);
  });
});

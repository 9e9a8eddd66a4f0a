import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, configSchema } from '../config/config-schema.js';
import { type AppendCell, appendRows } from './append-rows.js';
import { ingest } from './ingest.js';
import { openWarehouse, type Warehouse } from './warehouse.js';

const NOW = new Date('2025-03-01T00:00:00Z');
let dir: string;
let viaFile: Warehouse;
let viaApi: Warehouse;
let config: Config;

const customersCsv = 'customer_id,signup_at\nc1,2024-01-01\nc2,2024-02-01\ntest_9,2024-01-01\n';
/** The same events as a CSV file and as API rows; the comment says what each is. */
const events: [Record<string, AppendCell>, string][] = [
  [{ customer_id: 'c1', ts: '2025-01-01T10:00:00Z', event_type: 'visit' }, 'good'],
  [{ customer_id: 'c1', ts: '2025-01-01T10:00:00Z', event_type: 'visit' }, 'duplicate of 0'],
  [{ customer_id: 'c2', ts: 'yesterday', event_type: 'visit' }, 'bad_timestamp'],
  [{ customer_id: 'c2', ts: '2025-06-01 00:00:00', event_type: 'visit' }, 'future_timestamp'],
  [{ customer_id: 'nobody', ts: '2025-01-02 00:00:00', event_type: 'login' }, 'unknown_customer'],
  [{ customer_id: 'test_9', ts: '2025-01-02 00:00:00', event_type: 'login' }, 'test_account'],
  [{ customer_id: 'c2', ts: '2025-01-02 00:00:00', event_type: '' }, 'missing_value'],
  [{ customer_id: 'c2', ts: '2025-01-03 00:00:00', event_type: 'visit', properties: '{"page":"a"}' }, 'good'],
];

function csvCell(value: AppendCell | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'churnwatch-append-'));
  writeFileSync(join(dir, 'customers.csv'), customersCsv);
  const header = ['customer_id', 'ts', 'event_type', 'properties'];
  const lines = events.map(([row]) => header.map((h) => csvCell(row[h])).join(','));
  writeFileSync(join(dir, 'events.csv'), `${header.join(',')}\n${lines.join('\n')}\n`);
  config = configSchema.parse({
    sources: {
      customers: { path: join(dir, 'customers.csv') },
      events: { path: join(dir, 'events.csv') },
    },
    churn: { kind: 'non_contractual', horizon_days: 30 },
    test_accounts: { id_pattern: '^test_' },
  });
  viaFile = await openWarehouse(':memory:');
  viaApi = await openWarehouse(':memory:');
  await ingest(viaFile, config, { now: NOW });
  await ingest(viaApi, { ...config, sources: { customers: config.sources.customers } }, { now: NOW });
});

afterAll(() => {
  viaFile.close();
  viaApi.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('appendRows', () => {
  it('quarantines each row with the reason the file ingest gives it, and stores the rest', async () => {
    const result = await appendRows(viaApi, {
      kind: 'events',
      rows: events.map(([row]) => row),
      config,
      now: NOW,
    });
    const fileReasons = await viaFile.all<{ line: number; reason: string }>(
      "SELECT line - 2 AS line, reason FROM quarantine WHERE source = 'events' ORDER BY line",
    );
    expect(result.rejected.map((r) => ({ line: r.index, reason: r.reason }))).toEqual(fileReasons);
    expect(result.rejected.map((r) => [r.index, r.reason, r.field])).toEqual([
      [1, 'duplicate', null],
      [2, 'bad_timestamp', 'ts'],
      [3, 'future_timestamp', 'ts'],
      [4, 'unknown_customer', 'customer_id'],
      [5, 'test_account', 'customer_id'],
      [6, 'missing_value', 'event_type'],
    ]);
    expect(result.rejected[1].detail).toBe('ts: yesterday');
    expect(result.accepted).toBe(2);
    expect(result.customerIds).toEqual(['c1', 'c2']);
    const stored = 'SELECT customer_id, ts, event_type, properties FROM events ORDER BY ts';
    expect(await viaApi.all(stored)).toEqual(await viaFile.all(stored));
    const quarantined = await viaApi.all<{ file: string; line: number }>(
      "SELECT file, line FROM quarantine WHERE source = 'events' ORDER BY line",
    );
    expect(quarantined.map((q) => `${q.file}#${q.line}`)).toEqual(
      [1, 2, 3, 4, 5, 6].map((i) => `api:events#${i}`),
    );
  });

  it('adds nothing when the same batch comes again: its facts are already loaded', async () => {
    const again = await appendRows(viaApi, {
      kind: 'events',
      rows: events.map(([row]) => row),
      config,
      now: NOW,
    });
    expect(again.accepted).toBe(0);
    expect(again.rejected.filter((r) => r.reason === 'already_loaded').map((r) => r.index)).toEqual([0, 7]);
    const [{ n }] = await viaApi.all<{ n: number }>('SELECT count(*) AS n FROM events');
    expect(n).toBe(2);
  });

  it('checks transaction amounts and replaces a ticket sent again with its new state', async () => {
    const tx = await appendRows(viaApi, {
      kind: 'transactions',
      rows: [
        { customer_id: 'c1', ts: '2025-01-05 12:00:00', amount: 19.5 },
        { customer_id: 'c1', ts: '2025-01-05 13:00:00', amount: -3 },
        { customer_id: 'c1', ts: '2025-01-05 14:00:00', amount: 'ten' },
      ],
      config,
      now: NOW,
    });
    expect(tx.accepted).toBe(1);
    expect(tx.rejected.map((r) => [r.reason, r.field, r.detail])).toEqual([
      ['negative_amount', 'amount', 'amount: -3'],
      ['bad_value', 'amount', 'amount: ten'],
    ]);
    const ticket = { customer_id: 'c2', opened_at: '2025-01-06 09:00:00', category: 'billing' };
    await appendRows(viaApi, { kind: 'tickets', rows: [ticket], config, now: NOW });
    await appendRows(viaApi, {
      kind: 'tickets',
      rows: [{ ...ticket, resolved_at: '2025-01-07 09:00:00', satisfaction: 4 }],
      config,
      now: NOW,
    });
    const tickets = await viaApi.all<{ satisfaction: number | null }>('SELECT satisfaction FROM tickets');
    expect(tickets).toEqual([{ satisfaction: 4 }]);
  });
});

describe('appendRows without a customers source', () => {
  it('derives the customers of the stored rows, as ingest does', async () => {
    const warehouse = await openWarehouse(':memory:');
    try {
      const derived = configSchema.parse({
        sources: { transactions: { path: 'unused.csv' } },
        churn: { kind: 'non_contractual', horizon_days: 30 },
      });
      const result = await appendRows(warehouse, {
        kind: 'transactions',
        rows: [
          { customer_id: 'new1', ts: '2025-01-05 10:00:00', amount: 5 },
          { customer_id: 'new1', ts: '2025-01-02 10:00:00', amount: 7 },
        ],
        config: derived,
        now: NOW,
      });
      expect(result).toMatchObject({ accepted: 2, customersAdded: 1, customerIds: ['new1'] });
      const customers = await warehouse.all<{ customer_id: string; signup_at: Date }>(
        'SELECT customer_id, signup_at FROM customers',
      );
      expect(customers).toEqual([{ customer_id: 'new1', signup_at: new Date('2025-01-02T10:00:00Z') }]);
    } finally {
      warehouse.close();
    }
  });
});

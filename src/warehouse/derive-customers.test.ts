import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../config/config-schema.js';
import { parseConfig } from '../config/load-config.js';
import { InputError } from '../errors.js';
import { type IngestReport, ingest } from './ingest.js';
import { openWarehouse, type Warehouse } from './warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'churnwatch-derive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = new Date('2025-01-01T00:00:00Z');

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function config(sources: string, extra = ''): Config {
  return parseConfig(`churn: { kind: non_contractual, horizon_days: 90 }\nsources:\n${sources}${extra}`);
}

function reasons(report: IngestReport, source: string): Record<string, number> {
  const load = report.sources.find((s) => s.source === source)!;
  return Object.fromEntries(load.quarantined.map((q) => [q.reason, q.rows]));
}

async function withWarehouse(fn: (warehouse: Warehouse) => Promise<void>): Promise<void> {
  const warehouse = await openWarehouse(':memory:');
  try {
    await fn(warehouse);
  } finally {
    warehouse.close();
  }
}

const customerRows = (warehouse: Warehouse) =>
  warehouse.all('SELECT customer_id, signup_at, segment, region, plan FROM customers ORDER BY customer_id');

describe('ingest without a customers source', () => {
  it('derives one customer per id from the transactions, signed up at the first purchase', async () => {
    const tx = file(
      'tx.csv',
      'customer_id,date,number_of_cds,dollar_value\n' +
        'b,1997-01-03,1,12.00\n' +
        'a,1997-01-05,2,0\n' + // a purchase of value 0 loads
        'a,1997-01-01,1,11.77\n' +
        'zz,1997-02-01,1,-1\n' + // a negative amount is quarantined and adds no customer
        'b,soon,1,3\n',
    );
    await withWarehouse(async (warehouse) => {
      const report = await ingest(
        warehouse,
        config(`  transactions: { path: ${tx}, columns: { ts: date, amount: dollar_value } }\n`),
        { now },
      );
      expect(reasons(report, 'transactions')).toEqual({ negative_amount: 1, bad_timestamp: 1 });
      expect(report.rowsLoaded).toBe(3);
      expect(report.derivedCustomers).toEqual({
        sources: [{ source: 'transactions', added: 2 }],
        added: 2,
        total: 2,
      });
      expect(await customerRows(warehouse)).toEqual([
        {
          customer_id: 'a',
          signup_at: new Date('1997-01-01T00:00:00Z'),
          segment: null,
          region: null,
          plan: null,
        },
        {
          customer_id: 'b',
          signup_at: new Date('1997-01-03T00:00:00Z'),
          segment: null,
          region: null,
          plan: null,
        },
      ]);
    });
  });

  it('takes the first activity over every source of the run, whatever their load order', async () => {
    // Events load before transactions: c1's first event is later than its first purchase.
    const events = file(
      'ev.csv',
      'customer_id,ts,event_type\nc1,2024-03-10 00:00:00,visit\nc2,2024-03-01 00:00:00,visit\n',
    );
    const tx = file('tx2.csv', 'customer_id,ts,amount\nc1,2024-02-01 00:00:00,5\nc3,2024-04-01 00:00:00,5\n');
    const tickets = file('tk.csv', 'customer_id,opened_at\nc4,2024-01-15 08:00:00\nc2,2024-02-20 00:00:00\n');
    await withWarehouse(async (warehouse) => {
      const report = await ingest(
        warehouse,
        config(
          `  events: { path: ${events} }\n  transactions: { path: ${tx} }\n  tickets: { path: ${tickets} }\n`,
        ),
        { now },
      );
      expect(report.rowsQuarantined).toBe(0);
      expect(report.derivedCustomers).toEqual({
        sources: [
          { source: 'events', added: 2 },
          { source: 'transactions', added: 1 },
          { source: 'tickets', added: 1 },
        ],
        added: 4,
        total: 4,
      });
      expect(await warehouse.all('SELECT customer_id, signup_at FROM customers ORDER BY 1')).toEqual([
        { customer_id: 'c1', signup_at: new Date('2024-02-01T00:00:00Z') },
        { customer_id: 'c2', signup_at: new Date('2024-02-20T00:00:00Z') },
        { customer_id: 'c3', signup_at: new Date('2024-04-01T00:00:00Z') },
        { customer_id: 'c4', signup_at: new Date('2024-01-15T08:00:00Z') },
      ]);
    });
  });

  it('never duplicates a customer: a re-run adds nothing, a grown file adds only the new ids', async () => {
    const path = join(dir, 'grow.csv');
    writeFileSync(path, 'customer_id,ts,amount\nc1,2024-02-01,5\nc2,2024-02-02,5\n');
    const settings = config(`  transactions: { path: ${path} }\n`);
    await withWarehouse(async (warehouse) => {
      await ingest(warehouse, settings, { now });
      const again = await ingest(warehouse, settings, { now });
      expect(again.sources[0]!.files[0]!.status).toBe('unchanged');
      expect(again.derivedCustomers).toEqual({
        sources: [{ source: 'transactions', added: 0 }],
        added: 0,
        total: 2,
      });

      // The file grows: a new customer, and an older purchase of c1 that a later export revealed.
      writeFileSync(
        path,
        'customer_id,ts,amount\nc1,2024-02-01,5\nc2,2024-02-02,5\nc3,2024-02-03,5\nc1,2024-01-01,7\n',
      );
      const grown = await ingest(warehouse, settings, { now });
      expect(reasons(grown, 'transactions')).toEqual({ already_loaded: 2 });
      expect(grown.derivedCustomers).toEqual({
        sources: [{ source: 'transactions', added: 1 }],
        added: 1,
        total: 3,
      });
      // Customers already stored keep their row (as documented); only c3 is new.
      expect(await warehouse.all('SELECT customer_id, signup_at FROM customers ORDER BY 1')).toEqual([
        { customer_id: 'c1', signup_at: new Date('2024-02-01T00:00:00Z') },
        { customer_id: 'c2', signup_at: new Date('2024-02-02T00:00:00Z') },
        { customer_id: 'c3', signup_at: new Date('2024-02-03T00:00:00Z') },
      ]);
    });
  });

  it('keeps the profile rows stored before, and loads the rows of ids no profile named', async () => {
    const people = file('people.csv', 'customer_id,signup_at,segment\nc1,2023-06-01 00:00:00,gold\n');
    const tx = file('tx3.csv', 'customer_id,ts,amount\nc1,2023-01-01 00:00:00,5\nc9,2024-01-01 00:00:00,5\n');
    await withWarehouse(async (warehouse) => {
      const withProfile = await ingest(
        warehouse,
        config(`  customers: { path: ${people} }\n  transactions: { path: ${tx} }\n`),
        { now },
      );
      expect(reasons(withProfile, 'transactions')).toEqual({ unknown_customer: 1 });
      expect(withProfile.derivedCustomers).toBeNull();

      // The same transactions file without the customers source is read again (other rules apply to it).
      const without = await ingest(warehouse, config(`  transactions: { path: ${tx} }\n`), { now });
      expect(without.sources[0]!.files[0]!.status).toBe('loaded');
      expect(reasons(without, 'transactions')).toEqual({ already_loaded: 1 });
      expect(without.derivedCustomers?.added).toBe(1);
      expect(await warehouse.all('SELECT customer_id, signup_at, segment FROM customers ORDER BY 1')).toEqual(
        [
          { customer_id: 'c1', signup_at: new Date('2023-06-01T00:00:00Z'), segment: 'gold' },
          { customer_id: 'c9', signup_at: new Date('2024-01-01T00:00:00Z'), segment: null },
        ],
      );
      expect(await warehouse.all('SELECT count(*) AS n FROM transactions')).toEqual([{ n: 2 }]);
    });
  });

  it('derives no customer from rows of test accounts', async () => {
    const tx = file('tx4.csv', 'customer_id,ts,amount\ntest_1,2024-01-01,5\nc1,2024-01-02,5\n');
    await withWarehouse(async (warehouse) => {
      const report = await ingest(
        warehouse,
        config(`  transactions: { path: ${tx} }\n`, "test_accounts: { id_pattern: '^test_' }\n"),
        { now },
      );
      expect(reasons(report, 'transactions')).toEqual({ test_account: 1 });
      expect(await warehouse.all('SELECT customer_id FROM customers')).toEqual([{ customer_id: 'c1' }]);
    });
  });

  it('rolls the derived customers back with a failed load', async () => {
    const good = file('part-1.csv', 'customer_id,ts,amount\nc1,2024-01-01,5\n');
    file('part-2.csv', 'customer_id,when,amount\nc2,2024-01-02,5\n');
    const events = file('ev2.csv', 'customer_id,ts,event_type\nc0,2024-01-01,visit\n');
    await withWarehouse(async (warehouse) => {
      const failure = await ingest(
        warehouse,
        config(`  events: { path: ${events} }\n  transactions: { path: '${join(dir, 'part-[12].csv')}' }\n`),
        { now },
      ).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InputError);
      // The events committed with their customer; the transactions source (both files) left nothing.
      expect(await warehouse.all('SELECT customer_id FROM customers ORDER BY 1')).toEqual([
        { customer_id: 'c0' },
      ]);
      expect(await warehouse.all('SELECT count(*) AS n FROM transactions')).toEqual([{ n: 0 }]);
      expect(await warehouse.all('SELECT count(*) AS n FROM load_log WHERE file = ?', [good])).toEqual([
        { n: 0 },
      ]);
      // The next run works (the run's bookkeeping was cleaned up after the failure).
      const next = await ingest(warehouse, config(`  transactions: { path: ${good} }\n`), { now });
      expect(next.derivedCustomers?.added).toBe(1);
    });
  });

  it('refuses a configuration without any source, naming sources', async () => {
    const settings = config(`  transactions: { path: ${join(dir, 'tx.csv')} }\n`);
    await withWarehouse(async (warehouse) => {
      const failure = await ingest(warehouse, { ...settings, sources: {} }, { now }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(InputError);
      expect((failure as InputError).where).toEqual({ key: 'sources' });
      expect((failure as InputError).message).toMatch(/^no source configured/);
    });
  });
});

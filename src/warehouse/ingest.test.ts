import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../config/config-schema.js';
import { parseConfig } from '../config/load-config.js';
import { InputError } from '../errors.js';
import { type IngestProgress, type IngestReport, ingest } from './ingest.js';
import { openWarehouse, type Warehouse } from './warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'churnwatch-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = new Date('2025-01-01T00:00:00Z');

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function config(yaml: string): Config {
  return parseConfig(`churn: { kind: non_contractual, horizon_days: 90 }\n${yaml}`);
}

function reasons(report: IngestReport, source: string): Record<string, number> {
  const load = report.sources.find((s) => s.source === source)!;
  return Object.fromEntries(load.quarantined.map((q) => [q.reason, q.rows]));
}

const customers = file(
  'customers.csv',
  'id,joined,segment,is_test\n' +
    'c1,2024-01-01 00:00:00,gold,no\n' +
    'c2,2024-02-01 00:00:00,,\n' +
    'c2,2024-02-02 00:00:00,,\n' + // duplicate id
    'test_9,2024-01-01 00:00:00,,\n' + // test by id pattern
    'c3,2024-01-01 00:00:00,,yes\n' + // test by flag
    'c4,someday,,\n' + // bad timestamp
    ',2024-01-01 00:00:00,,\n' + // missing id
    'c5,2025-06-01 00:00:00,,\n', // future
);
const events = file(
  'events.csv',
  'customer_id,ts,event_type\n' +
    'c1,2024-03-01 10:00:00,visit\n' +
    'c1,2024-03-01 10:00:00,visit\n' + // duplicate row
    'c2,2024-03-02 10:00:00,login\n' +
    'zz,2024-03-02 10:00:00,login\n' + // unknown customer
    'c3,2024-03-02 10:00:00,login\n' + // event of a flagged test account
    'c1,2026-01-01 00:00:00,visit\n', // future
);
const transactions = file(
  'tx.csv',
  'customer_id,ts,amount\nc1,2024-03-01 10:00:00,10.5\nc1,2024-03-02 10:00:00,-3\nc2,2024-03-03 10:00:00,ten\n',
);
const sources = `
sources:
  customers: { path: ${customers}, columns: { customer_id: id, signup_at: joined } }
  events: { path: ${events} }
  transactions: { path: ${transactions} }
test_accounts: { id_pattern: '^test_', flag_column: is_test }
`;

describe('ingest', () => {
  let warehouse: Warehouse;
  let report: IngestReport;
  const progress: IngestProgress[] = [];

  beforeAll(async () => {
    warehouse = await openWarehouse(':memory:');
    report = await ingest(warehouse, config(sources), { now, onProgress: (p) => progress.push(p) });
  });
  afterAll(() => warehouse.close());

  it('loads the good rows and counts every bad one by reason', async () => {
    expect(reasons(report, 'customers')).toEqual({
      missing_value: 1,
      bad_timestamp: 1,
      future_timestamp: 1,
      test_account: 2,
      duplicate: 1,
    });
    expect(reasons(report, 'events')).toEqual({
      future_timestamp: 1,
      test_account: 1,
      unknown_customer: 1,
      duplicate: 1,
    });
    expect(reasons(report, 'transactions')).toEqual({ bad_value: 1, negative_amount: 1 });
    expect(await warehouse.all('SELECT customer_id, segment FROM customers ORDER BY 1')).toEqual([
      { customer_id: 'c1', segment: 'gold' },
      { customer_id: 'c2', segment: null },
    ]);
    expect(report.rowsLoaded).toBe(2 + 2 + 1);
    expect(report.rowsQuarantined).toBe(6 + 4 + 2);
    for (const source of report.sources)
      expect(source.rowsRead).toBe(source.rowsLoaded + source.rowsQuarantined);
  });

  it('keeps the bad rows with line, detail and raw text', async () => {
    const rows = await warehouse.all(
      "SELECT line, customer_id, reason, detail, raw FROM quarantine WHERE source = 'customers' ORDER BY line",
    );
    expect(rows[0]).toEqual({
      line: 4,
      customer_id: 'c2',
      reason: 'duplicate',
      detail: 'same customer_id as line 3',
      raw: '{"id":"c2","joined":"2024-02-02 00:00:00","segment":null,"is_test":null}',
    });
    expect(rows.map((r) => [r['line'], r['reason']])).toEqual([
      [4, 'duplicate'],
      [5, 'test_account'],
      [6, 'test_account'],
      [7, 'bad_timestamp'],
      [8, 'missing_value'],
      [9, 'future_timestamp'],
    ]);
    const bad = report.sources[0]!.quarantined.find((q) => q.reason === 'bad_timestamp')!;
    expect(bad.examples).toEqual([
      { file: customers, line: 7, detail: 'joined: someday', raw: expect.stringContaining('someday') },
    ]);
  });

  it('reports progress per file', () => {
    expect(progress.map((p) => [p.source, p.done, p.total])).toEqual([
      ['customers', 0, 3],
      ['events', 1, 3],
      ['transactions', 2, 3],
      ['transactions', 3, 3],
    ]);
  });

  it('skips a file loaded before, and quarantines rows of a changed file that are already stored', async () => {
    const again = await ingest(warehouse, config(sources), { now });
    expect(again.sources.map((s) => s.files[0]!.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.rowsLoaded + again.rowsQuarantined).toBe(0);

    const grown = file(
      'events-2.csv',
      'customer_id,ts,event_type\nc1,2024-03-01 10:00:00,visit\nc2,2024-04-01 00:00:00,visit\n',
    );
    const more = await ingest(
      warehouse,
      config(sources.replace(`events: { path: ${events} }`, `events: { path: ${grown} }`)),
      { now },
    );
    expect(reasons(more, 'events')).toEqual({ already_loaded: 1 });
    expect(more.sources.find((s) => s.source === 'events')!.rowsLoaded).toBe(1);
    const [{ n }] = (await warehouse.all<{ n: number }>('SELECT count(*) AS n FROM events')) as [
      { n: number },
    ];
    expect(n).toBe(3);
  });

  it('reads an unchanged file again when its settings change', async () => {
    const stamps = file('tx-dmy.csv', 'customer_id,ts,amount\nc2,05/03/2024,1\n');
    const plain = config(
      `sources:\n  customers: { path: ${customers}, columns: { customer_id: id, signup_at: joined } }\n  transactions: { path: ${stamps} }\ntest_accounts: { id_pattern: '^test_', flag_column: is_test }\n`,
    );
    const first = await ingest(warehouse, plain, { now });
    expect(reasons(first, 'transactions')).toEqual({ bad_timestamp: 1 });
    plain.sources.transactions!.timestamp_format = '%d/%m/%Y';
    const second = await ingest(warehouse, plain, { now });
    expect(second.sources.find((s) => s.source === 'customers')!.files[0]!.status).toBe('unchanged');
    expect(second.sources.find((s) => s.source === 'transactions')!.rowsLoaded).toBe(1);
    expect(
      await warehouse.all("SELECT ts FROM transactions WHERE customer_id = 'c2' AND amount = 1"),
    ).toEqual([{ ts: new Date('2024-03-05T00:00:00Z') }]);
  });

  it('replaces a changed profile instead of adding a second row', async () => {
    const updated = file('customers-2.csv', 'id,joined,segment,is_test\nc1,2024-01-01 00:00:00,silver,\n');
    await ingest(
      warehouse,
      config(
        sources.replace(`path: ${customers}`, `path: ${updated}`).replace(/ {2}events.*\n {2}trans.*\n/, ''),
      ),
      { now },
    );
    expect(await warehouse.all("SELECT segment FROM customers WHERE customer_id = 'c1'")).toEqual([
      { segment: 'silver' },
    ]);
  });

  it('fails a source whole, leaving its previous data, and names the file and column', async () => {
    const before = await warehouse.all('SELECT * FROM events ORDER BY ts');
    const good = file('events-3.csv', 'customer_id,ts,event_type\nc1,2024-05-01 00:00:00,visit\n');
    const broken = file('events-4.csv', 'customer_id,when,event_type\nc1,2024-05-02 00:00:00,visit\n');
    const failure = await ingest(
      warehouse,
      config(sources.replace(events, `'${join(dir, 'events-[34].csv')}'`)),
      {
        now,
      },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).where).toEqual({ file: broken, column: 'ts' });
    expect((failure as InputError).message).toMatch(/missing column "ts" needed for events.ts/);
    expect(await warehouse.all('SELECT * FROM events ORDER BY ts')).toEqual(before);
    expect(await warehouse.all('SELECT * FROM load_log WHERE file = ?', [good])).toEqual([]);
  });
});

describe('ingest: formats, time zones and timestamp formats', () => {
  it('reads NDJSON and Parquet, converts a time zone and a strptime format to UTC', async () => {
    const warehouse = await openWarehouse(':memory:');
    try {
      const people = file(
        'people.ndjson',
        '{"id":"a","since":"01/02/2024 08:00"}\n{"id":"b","since":"bad"}\n',
      );
      await warehouse.run(
        `COPY (SELECT 'a' AS customer_id, TIMESTAMP '2024-03-01 12:00:00' AS ts, 5.0 AS amount)
         TO '${join(dir, 'tx.parquet')}' (FORMAT parquet)`,
      );
      const report = await ingest(
        warehouse,
        config(`
sources:
  customers:
    path: ${people}
    format: ndjson
    columns: { customer_id: id, signup_at: since }
    timestamp_format: '%d/%m/%Y %H:%M'
    time_zone: Asia/Shanghai
  transactions: { path: ${join(dir, 'tx.parquet')}, format: parquet }
`),
        { now },
      );
      expect(reasons(report, 'customers')).toEqual({ bad_timestamp: 1 });
      expect(report.sources[0]!.quarantined[0]!.examples[0]!.line).toBe(2);
      expect(await warehouse.all('SELECT customer_id, signup_at FROM customers')).toEqual([
        { customer_id: 'a', signup_at: new Date('2024-02-01T00:00:00Z') },
      ]);
      expect(await warehouse.all('SELECT customer_id, ts, amount FROM transactions')).toEqual([
        { customer_id: 'a', ts: new Date('2024-03-01T12:00:00Z'), amount: 5 },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('honours UTC offsets in ISO timestamps, and leaves naive ones as wall time', async () => {
    const warehouse = await openWarehouse(':memory:');
    try {
      const people = file(
        'offsets.csv',
        'customer_id,signup_at\na,2024-01-02T08:00:00+08:00\nb,2024-01-02T08:00:00Z\nc,2024-01-02 08:00:00\n' +
          'd,2024-01-02\ne,2024-01-02T08:00:00.5-0130\n',
      );
      await ingest(warehouse, config(`sources:\n  customers: { path: ${people} }\n`), { now });
      expect(await warehouse.all('SELECT customer_id, signup_at FROM customers ORDER BY 1')).toEqual([
        { customer_id: 'a', signup_at: new Date('2024-01-02T00:00:00Z') },
        { customer_id: 'b', signup_at: new Date('2024-01-02T08:00:00Z') },
        { customer_id: 'c', signup_at: new Date('2024-01-02T08:00:00Z') },
        { customer_id: 'd', signup_at: new Date('2024-01-02T00:00:00Z') },
        { customer_id: 'e', signup_at: new Date('2024-01-02T09:30:00.500Z') },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('names a glob that matches nothing', async () => {
    const warehouse = await openWarehouse(':memory:');
    try {
      await expect(
        ingest(warehouse, config(`sources:\n  customers: { path: ${join(dir, 'none-*.csv')} }\n`)),
      ).rejects.toThrow(/no file matches/);
    } finally {
      warehouse.close();
    }
  });
});

describe('ingest: duplicate facts', () => {
  // CDNOW-like purchases: number_of_cds is a column no field maps.
  const header = 'customer_id,date,number_of_cds,dollar_value\n';
  const lines = [
    '7,1997-01-12,1,12.0', // line 2
    '7,1997-01-12,5,12.0', // line 3: same mapped fields, another number of CDs: another purchase
    '7,1997-01-12,1,12.0', // line 4: equal to line 2 in every column
    '8,1997-01-12,1,0', // line 5: value 0 loads
  ];
  const mapping = (path: string, extra = '') =>
    config(
      `sources:\n  transactions: { path: ${path}, columns: { ts: date, amount: dollar_value }${extra} }\n`,
    );

  it('by default quarantines a line equal to an earlier one in every column, and only that', async () => {
    const warehouse = await openWarehouse(':memory:');
    try {
      const path = file('cd-1.csv', header + lines.join('\n'));
      const report = await ingest(warehouse, mapping(path), { now });
      expect(report.rowsLoaded).toBe(3);
      const duplicate = report.sources[0]!.quarantined;
      expect(duplicate).toEqual([
        {
          reason: 'duplicate',
          rows: 1,
          examples: [
            {
              file: path,
              line: 4,
              detail: 'same values in every column as line 2',
              raw: '{"customer_id":"7","date":"1997-01-12","number_of_cds":"1","dollar_value":"12.0"}',
            },
          ],
        },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('with duplicates: keep loads every line; switching to it loads exactly the withheld copies', async () => {
    const warehouse = await openWarehouse(':memory:');
    try {
      const path = file('cd-2.csv', header + lines.join('\n'));
      await ingest(warehouse, mapping(path), { now });
      const kept = await ingest(warehouse, mapping(path, ', duplicates: keep'), { now });
      // Read again under the new setting: the three stored rows are already loaded, line 4 now loads.
      expect(kept.sources[0]!.files[0]!.status).toBe('loaded');
      expect(kept.rowsLoaded).toBe(1);
      expect(reasons(kept, 'transactions')).toEqual({ already_loaded: 3 });
      const count = async () =>
        (
          await warehouse.all<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE customer_id = '7'")
        )[0]!.n;
      expect(await count()).toBe(3);

      // The file grows by one more identical purchase: only that one is new.
      writeFileSync(path, `${header}${lines.join('\n')}\n7,1997-01-12,1,12.0\n`);
      const grown = await ingest(warehouse, mapping(path, ', duplicates: keep'), { now });
      expect(grown.rowsLoaded).toBe(1);
      expect(reasons(grown, 'transactions')).toEqual({ already_loaded: 4 });
      expect(await count()).toBe(4);
    } finally {
      warehouse.close();
    }
  });

  it('keeps a profile keyed by id whatever the setting of the facts', () => {
    expect(() => config('sources:\n  customers: { path: c.csv, duplicates: keep }\n')).toThrow(
      'unknown key "duplicates"',
    );
  });
});

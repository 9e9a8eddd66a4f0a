import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { loadCsv } from './load-csv.js';
import { openWarehouse, type Warehouse } from './warehouse.js';

let dir: string;
let warehouse: Warehouse;

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const eventCount = async () => (await warehouse.all<{ n: number }>('SELECT count(*) AS n FROM events'))[0]?.n;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'churnwatch-load-'));
  warehouse = await openWarehouse(dir);
});

afterAll(() => {
  warehouse.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loadCsv', () => {
  it('loads typed rows, mapping columns by header name and leaving absent optional columns NULL', async () => {
    const file = csv(
      'tickets.csv',
      '\ufeffcategory,customer_id,opened_at,resolved_at,satisfaction\n' +
        'billing,7,2024-01-02T04:14:48,2024-01-03T00:20:33,4\n' +
        'other,8,2024-01-05T10:00:00,,\n',
    );
    const report = await loadCsv(warehouse, 'tickets', file);
    expect(report).toEqual({ table: 'tickets', file, rows: 2, mode: 'append' });
    const rows = await warehouse.all('SELECT * FROM tickets ORDER BY customer_id');
    expect(rows).toEqual([
      {
        customer_id: '7',
        opened_at: new Date('2024-01-02T04:14:48Z'),
        resolved_at: new Date('2024-01-03T00:20:33Z'),
        category: 'billing',
        satisfaction: 4,
      },
      {
        customer_id: '8',
        opened_at: new Date('2024-01-05T10:00:00Z'),
        resolved_at: null,
        category: 'other',
        satisfaction: null,
      },
    ]);
  });

  it('maps differently named columns and reads other timestamp formats', async () => {
    const file = csv('cancel.csv', 'CustomerID,Date\nc9,15/03/2024 08:30\n');
    await loadCsv(warehouse, 'cancellations', file, {
      columnMap: { customer_id: 'CustomerID', cancelled_at: 'Date' },
      timestampFormat: '%d/%m/%Y %H:%M',
    });
    expect(await warehouse.all('SELECT customer_id, cancelled_at FROM cancellations')).toEqual([
      { customer_id: 'c9', cancelled_at: new Date('2024-03-15T08:30:00Z') },
    ]);
  });

  it('replaces the contents in replace mode, and a failed replace leaves the previous data intact', async () => {
    const good = csv(
      'events.csv',
      'customer_id,ts,event_type\n1,2024-01-01T01:10:11,visit\n2,2024-01-02T00:00:00,login\n',
    );
    await loadCsv(warehouse, 'events', good, { mode: 'replace' });
    await loadCsv(warehouse, 'events', good, { mode: 'replace' });
    expect(await eventCount()).toBe(2);

    const bad = csv(
      'bad.csv',
      'customer_id,ts,event_type\n3,2024-02-01T00:00:00,visit\n4,2024-02-0x,visit\n',
    );
    const failure = await loadCsv(warehouse, 'events', bad, { mode: 'replace' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).where).toEqual({ file: bad, row: 2, column: 'ts' });
    expect((failure as InputError).message).toMatch(/2024-02-0x/);
    expect(await warehouse.all('SELECT customer_id FROM events ORDER BY customer_id')).toEqual([
      { customer_id: '1' },
      { customer_id: '2' },
    ]);
  });

  it('rolls back a failed append: no row of the file stays', async () => {
    const before = await eventCount();
    const missingType = csv(
      'null.csv',
      'customer_id,ts,event_type\n5,2024-03-01T00:00:00,visit\n6,2024-03-02T00:00:00,\n',
    );
    const failure = await loadCsv(warehouse, 'events', missingType).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).where.column).toBe('event_type');
    expect(await eventCount()).toBe(before);
  });

  it('names a missing required column, a missing file and an unknown table', async () => {
    const noTime = csv('no-ts.csv', 'customer_id,event_type\n1,visit\n');
    await expect(loadCsv(warehouse, 'events', noTime)).rejects.toThrow(/missing column "ts"/);
    await expect(loadCsv(warehouse, 'events', join(dir, 'nope.csv'))).rejects.toThrow(/cannot open/);
    await expect(loadCsv(warehouse, 'nothing', noTime)).rejects.toThrow(/no table "nothing"/);
  });
});

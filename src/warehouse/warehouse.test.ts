import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrations, schemaVersion } from './migrations.js';
import { openWarehouse, type Warehouse } from './warehouse.js';

const opened: Warehouse[] = [];
const folders: string[] = [];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'churnwatch-warehouse-'));
  folders.push(dir);
  return dir;
}

async function open(dir: string): Promise<Warehouse> {
  const warehouse = await openWarehouse(dir);
  opened.push(warehouse);
  return warehouse;
}

afterEach(() => {
  for (const warehouse of opened.splice(0)) warehouse.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openWarehouse', () => {
  it('creates the file, applies every migration once and keeps data across reopen', async () => {
    const dir = workspace();
    const first = await open(dir);
    expect(first.path).toBe(join(dir, 'warehouse.duckdb'));
    expect(await schemaVersion(first)).toBe(migrations.length);
    await first.run(
      "INSERT INTO customers (customer_id, signup_at) VALUES ('a', TIMESTAMP '2024-01-01 00:00:00')",
    );
    first.close();

    const again = await open(dir);
    expect(await migrate(again)).toEqual([]);
    const applied = await again.all<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    expect(applied).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    expect(await again.all('SELECT customer_id FROM customers')).toEqual([{ customer_id: 'a' }]);
  });

  it('creates the source tables with typed columns', async () => {
    const warehouse = await open(':memory:');
    const columns = await warehouse.all<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM duckdb_columns()
       WHERE table_name IN ('customers', 'events', 'transactions', 'tickets', 'cancellations')
       ORDER BY table_name, column_index`,
    );
    const typeOf = (table: string, column: string) =>
      columns.find((c) => c.table_name === table && c.column_name === column)?.data_type;
    expect(typeOf('customers', 'customer_id')).toBe('VARCHAR');
    expect(typeOf('customers', 'signup_at')).toBe('TIMESTAMP');
    expect(typeOf('events', 'ts')).toBe('TIMESTAMP');
    expect(typeOf('transactions', 'amount')).toBe('DOUBLE');
    expect(typeOf('tickets', 'resolved_at')).toBe('TIMESTAMP');
    expect(typeOf('tickets', 'satisfaction')).toBe('DOUBLE');
    expect(typeOf('cancellations', 'cancelled_at')).toBe('TIMESTAMP');
  });

  it('refuses a database whose schema is newer than the migrations it knows', async () => {
    const warehouse = await open(':memory:');
    await expect(migrate(warehouse, migrations.slice(0, 0))).rejects.toThrow(/newer than this churnwatch/);
  });

  it('rejects migrations listed out of order', async () => {
    const warehouse = await open(':memory:');
    const wrong = [{ version: 2, name: 'skips one', statements: [] }];
    await expect(migrate(warehouse, wrong)).rejects.toThrow(/expected 1/);
  });
});

describe('Warehouse', () => {
  it('binds parameters and returns BIGINT as number, TIMESTAMP as Date', async () => {
    const warehouse = await open(':memory:');
    const rows = await warehouse.all<{ n: number; t: Date; s: string }>(
      "SELECT CAST(? AS BIGINT) AS n, TIMESTAMP '2024-03-01 12:00:00' AS t, ? AS s",
      [41, 'x'],
    );
    expect(rows).toEqual([{ n: 41, t: new Date('2024-03-01T12:00:00Z'), s: 'x' }]);
    const [big] = await warehouse.all<{ n: bigint }>('SELECT CAST(9007199254740993 AS BIGINT) AS n');
    expect(big?.n).toBe(9007199254740993n);
  });

  it('commits a transaction, and rolls back all of it when the callback throws', async () => {
    const warehouse = await open(':memory:');
    const insert =
      "INSERT INTO customers (customer_id, signup_at) VALUES (?, TIMESTAMP '2024-01-01 00:00:00')";
    await warehouse.transaction(async (tx) => {
      await tx.run(insert, ['kept']);
    });
    await expect(
      warehouse.transaction(async (tx) => {
        await tx.run(insert, ['lost']);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await warehouse.all('SELECT customer_id FROM customers')).toEqual([{ customer_id: 'kept' }]);
  });

  it('keeps statements of other callers out of a running transaction', async () => {
    const warehouse = await open(':memory:');
    const insert =
      "INSERT INTO customers (customer_id, signup_at) VALUES (?, TIMESTAMP '2024-01-01 00:00:00')";
    const failing = warehouse.transaction(async (tx) => {
      await tx.run(insert, ['inside']);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('rollback');
    });
    const outside = warehouse.run(insert, ['outside']); // queued behind the transaction, not inside it
    await expect(failing).rejects.toThrow('rollback');
    expect(await outside).toBe(1);
    expect(await warehouse.all('SELECT customer_id FROM customers')).toEqual([{ customer_id: 'outside' }]);
  });

  it('opens with the default settings, which options can override', async () => {
    const setting = (w: Warehouse) =>
      w
        .all<{ v: boolean }>("SELECT current_setting('preserve_insertion_order') AS v")
        .then((rows) => rows[0]?.v);
    expect(await setting(await open(':memory:'))).toBe(false);
    const ordered = await openWarehouse(':memory:', { settings: { preserve_insertion_order: 'true' } });
    opened.push(ordered);
    expect(await setting(ordered)).toBe(true);
  });

  it('fails calls after close', async () => {
    const warehouse = await openWarehouse(':memory:');
    warehouse.close();
    await expect(warehouse.all('SELECT 1')).rejects.toThrow(/closed/);
  });
});

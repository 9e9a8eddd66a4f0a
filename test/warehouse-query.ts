// Looking into a workspace's warehouse file after the CLI has exited, read-only, as another tool would.

import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Runs `sql` on WORKSPACE/warehouse.duckdb opened read-only; BIGINTs come back as numbers. Closes it after. */
export async function queryWarehouse(
  workspace: string,
  sql: string,
): Promise<Record<string, string | number | boolean | null>[]> {
  const instance = await DuckDBInstance.create(join(workspace, 'warehouse.duckdb'), {
    access_mode: 'READ_ONLY',
  });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, string | number | boolean | null> = {};
      for (const [key, value] of Object.entries(row)) {
        out[key] =
          typeof value === 'bigint'
            ? Number(value)
            : value instanceof Date
              ? value.toISOString()
              : (value as string | number | boolean | null);
      }
      return out;
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Rows per table: the four source tables, the quarantine and the load log. */
export async function tableCounts(workspace: string): Promise<Record<string, number>> {
  const tables = ['customers', 'events', 'transactions', 'tickets', 'quarantine', 'load_log'];
  const sql = tables.map((t) => `SELECT '${t}' AS name, count(*) AS n FROM ${t}`).join(' UNION ALL ');
  const rows = await queryWarehouse(workspace, sql);
  return Object.fromEntries(rows.map((row) => [row.name as string, row.n as number]));
}

/** Quarantined rows per source and reason: `{ events: { duplicate: 1, … }, … }`. */
export async function quarantineCounts(workspace: string): Promise<Record<string, Record<string, number>>> {
  const rows = await queryWarehouse(
    workspace,
    'SELECT source, reason, count(*) AS n FROM quarantine GROUP BY source, reason',
  );
  const out: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const source = row.source as string;
    out[source] ??= {};
    out[source][row.reason as string] = row.n as number;
  }
  return out;
}

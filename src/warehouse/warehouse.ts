// The embedded warehouse: one DuckDB file per workspace behind a small typed wrapper.
// Every statement goes through one queue, so a transaction never interleaves with other callers' SQL.

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { migrate } from './migrations.js';

/** A value bound to a `?` placeholder. */
export type SqlParam = string | number | boolean | bigint | null;

/** A cell as `all` returns it: BIGINT becomes a number when it is a safe integer, TIMESTAMP a Date (UTC wall time). */
export type SqlCell = string | number | boolean | bigint | Date | null;

/** Statements on one connection; what a transaction callback receives. */
export interface SqlRunner {
  /** Runs one statement; returns the number of rows it changed (0 for DDL and queries). */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** Runs a query and returns its rows as objects keyed by column name. */
  all<T extends object = Record<string, SqlCell>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
}

/** A query result by column: cheaper than row objects for wide, long results such as training tables. */
export interface SqlColumns {
  names: string[];
  /** DuckDB type names (`DOUBLE`, `VARCHAR`, `DATE` …), one per column. */
  types: string[];
  columns: SqlCell[][];
}

export interface Warehouse extends SqlRunner {
  /** Absolute path of the database file (`:memory:` for an in-memory warehouse). */
  readonly path: string;
  /** Runs `fn` inside BEGIN … COMMIT; rolls back and rethrows if it throws. Not re-entrant. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs a query and returns its result by column (BIGINT as number when safe, as in `all`). */
  columns(sql: string, params?: readonly SqlParam[]): Promise<SqlColumns>;
  /** Closes the connection and the database; later calls fail. */
  close(): void;
}

export interface OpenWarehouseOptions {
  /** File name inside the workspace folder (default `warehouse.duckdb`). */
  fileName?: string;
  /** DuckDB settings passed at open, e.g. `{ threads: '2', memory_limit: '2GB' }`; added to `defaultSettings`. */
  settings?: Record<string, string>;
}

/**
 * Settings every warehouse opens with. Row order in a table means nothing to churnwatch (every query that
 * needs an order says ORDER BY), and letting DuckDB drop it keeps large loads parallel and lower in memory.
 */
export const defaultSettings: Readonly<Record<string, string>> = { preserve_insertion_order: 'false' };

/** File name of the warehouse inside a workspace folder. */
export const WAREHOUSE_FILE = 'warehouse.duckdb';

/** Opens (creating if needed) the warehouse in workspace folder `dir` and brings its schema up to date. */
export async function openWarehouse(dir: string, options: OpenWarehouseOptions = {}): Promise<Warehouse> {
  let path = ':memory:';
  if (dir !== ':memory:') {
    mkdirSync(dir, { recursive: true });
    path = resolve(join(dir, options.fileName ?? WAREHOUSE_FILE));
  }
  const instance = await DuckDBInstance.create(path, { ...defaultSettings, ...options.settings });
  const connection = await instance.connect();
  const warehouse = new DuckDBWarehouse(path, instance, connection);
  try {
    await migrate(warehouse);
  } catch (error) {
    warehouse.close();
    throw error;
  }
  return warehouse;
}

class DuckDBWarehouse implements Warehouse {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly direct: SqlRunner;

  constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {
    this.direct = {
      run: (sql, params) => this.runNow(sql, params),
      all: (sql, params) => this.allNow(sql, params),
    };
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.enqueue(() => this.runNow(sql, params));
  }

  all<T extends object = Record<string, SqlCell>>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.enqueue(() => this.allNow<T>(sql, params));
  }

  columns(sql: string, params?: readonly SqlParam[]): Promise<SqlColumns> {
    return this.enqueue(async () => {
      const reader = await this.connection.runAndReadAll(sql, params ? [...params] : undefined);
      const columns = reader.getColumnsJS() as SqlCell[][];
      for (const column of columns) {
        for (let i = 0; i < column.length; i++) column[i] = safeNumber(column[i]);
      }
      return { names: reader.columnNames(), types: reader.columnTypes().map(String), columns };
    });
  }

  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.runNow('BEGIN TRANSACTION');
      let result: T;
      try {
        result = await fn(this.direct);
      } catch (error) {
        await this.runNow('ROLLBACK');
        throw error;
      }
      await this.runNow('COMMIT');
      return result;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`warehouse ${this.path} is closed`));
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(sql: string, params?: readonly SqlParam[]): Promise<number> {
    const result = await this.connection.run(sql, params ? [...params] : undefined);
    return Number(result.rowsChanged);
  }

  private async allNow<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params ? [...params] : undefined);
    const rows = reader.getRowObjectsJS() as Record<string, SqlCell>[];
    for (const row of rows) {
      for (const key in row) row[key] = safeNumber(row[key]);
    }
    return rows as T[];
  }
}

/** A BIGINT that fits a double exactly becomes a number; everything else is returned as is. */
function safeNumber(value: SqlCell): SqlCell {
  return typeof value === 'bigint' && value <= Number.MAX_SAFE_INTEGER && value >= Number.MIN_SAFE_INTEGER
    ? Number(value)
    : value;
}

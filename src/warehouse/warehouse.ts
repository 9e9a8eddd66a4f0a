// The embedded warehouse: one DuckDB file per workspace behind a small typed wrapper.
// Every statement goes through one queue, so a transaction never interleaves with other callers' SQL.
// Every statement that may change data advances a write generation per table it writes (all tables when
// that cannot be told from its text), so in-process read caches know when what they hold is stale.

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement } from '@duckdb/node-api';
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
  /**
   * A number that changes whenever a statement through this warehouse may have changed one of `tables`
   * (lower-case names). Only this process writes while it holds the file, so a value read before a query and
   * unchanged now means the query's answer still holds.
   */
  generation(tables: readonly string[]): number;
  /** Closes the connection and the database; later calls fail. */
  close(): void;
}

/** True when `db` is a warehouse, not a transaction's runner (whose reads may see uncommitted rows). */
export function isWarehouse(db: SqlRunner): db is Warehouse {
  return 'generation' in db && typeof db.generation === 'function';
}

/** The write generation of `tables` when `db` is a warehouse; null for a transaction's runner (not cached). */
export function generationOf(db: SqlRunner, tables: readonly string[]): number | null {
  return isWarehouse(db) ? db.generation(tables) : null;
}

/** What a statement may change: nothing, the named tables (lower case, unqualified), or anything at all. */
export type WrittenTables = 'none' | 'all' | string[];

const NAME = String.raw`(?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))*`;
const WRITES_ONE: readonly RegExp[] = [
  new RegExp(String.raw`^insert\s+(?:or\s+(?:replace|ignore)\s+)?into\s+(${NAME})`, 'i'),
  new RegExp(String.raw`^update\s+(${NAME})`, 'i'),
  new RegExp(String.raw`^delete\s+from\s+(${NAME})`, 'i'),
  new RegExp(String.raw`^truncate\s+(?:table\s+)?(${NAME})`, 'i'),
  new RegExp(
    String.raw`^create\s+(?:or\s+replace\s+)?(?:(?:temp|temporary)\s+)?table\s+(?:if\s+not\s+exists\s+)?(${NAME})`,
    'i',
  ),
  // An index changes no rows; it is counted as a write of its table all the same.
  new RegExp(
    String.raw`^create\s+(?:unique\s+)?index\s+(?:if\s+not\s+exists\s+)?(?:${NAME}\s+)?on\s+(${NAME})`,
    'i',
  ),
  new RegExp(String.raw`^drop\s+table\s+(?:if\s+exists\s+)?(${NAME})`, 'i'),
  new RegExp(String.raw`^copy\s+(${NAME})\s+from\b`, 'i'),
];

/**
 * Which tables statement `sql` may write, read from its text. It errs towards 'all': a statement it does not
 * recognise, several statements in one string, or a WITH that names a write all count as writing everything.
 */
export function writtenTables(sql: string): WrittenTables {
  const text = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)+/, '');
  if (/;\s*\S/.test(text)) return 'all';
  if (
    /^(?:select|from|values|describe|show|summarize|begin|start\s+transaction|commit|end|checkpoint)\b/i.test(
      text,
    )
  ) {
    return 'none';
  }
  if (/^(?:with|explain)\b/i.test(text)) {
    return /\b(?:insert|update|delete|merge|create|drop|alter|copy|truncate)\b/i.test(text) ? 'all' : 'none';
  }
  for (const pattern of WRITES_ONE) {
    const match = pattern.exec(text);
    if (match) return [tableName(match[1]!)];
  }
  return 'all';
}

/** `main."Scores"` → `scores`: the last part of a qualified name, unquoted, lower case. */
function tableName(qualified: string): string {
  const parts = qualified.split('.');
  return parts[parts.length - 1]!.trim().replace(/^"|"$/g, '').toLowerCase();
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

/** Prepared statements kept per warehouse (see DuckDBWarehouse.prepared). */
const PREPARED_STATEMENTS = 64;

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
  /** Advanced by every write; a table's entry (or `everything`) holds the tick of its latest write. */
  private ticks = 0;
  private everything = 0;
  private readonly lastWrite = new Map<string, number>();
  /**
   * Statements with parameters, prepared once per SQL text (the least recently used goes first). Parsing
   * and planning run on the JavaScript thread, and for the point lookups and single-row inserts the API
   * makes per request they cost more than executing; DuckDB binds a prepared statement again by itself when
   * the schema has changed. Statements that may be several (classified 'all') are not prepared.
   */
  private readonly prepared = new Map<string, DuckDBPreparedStatement>();
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
      this.noteWrites(sql);
      const reader = await this.connection.runAndReadAll(sql, params ? [...params] : undefined);
      const columns = reader.getColumnsJS() as SqlCell[][];
      for (const column of columns) {
        for (let i = 0; i < column.length; i++) column[i] = safeNumber(column[i]);
      }
      return { names: reader.columnNames(), types: reader.columnTypes().map(String), columns };
    });
  }

  generation(tables: readonly string[]): number {
    let latest = this.everything;
    for (const table of tables) latest = Math.max(latest, this.lastWrite.get(table) ?? 0);
    return latest;
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
    for (const statement of this.prepared.values()) statement.destroySync();
    this.prepared.clear();
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`warehouse ${this.path} is closed`));
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Advances the generation of what `sql` may write, before it runs: a reader that noted the generation
   * earlier then never keeps an answer the write may have changed. ROLLBACK is not recognised, so it counts as
   * writing everything, as it should: a transaction's own reads saw rows that are gone.
   */
  private noteWrites(sql: string): WrittenTables {
    const written = writtenTables(sql);
    if (written === 'none') return written;
    this.ticks++;
    if (written === 'all') this.everything = this.ticks;
    else for (const table of written) this.lastWrite.set(table, this.ticks);
    return written;
  }

  /** The prepared form of `sql`, made on first use; at most PREPARED_STATEMENTS are kept. */
  private async preparedStatement(sql: string): Promise<DuckDBPreparedStatement> {
    let statement = this.prepared.get(sql);
    if (statement !== undefined) {
      this.prepared.delete(sql);
    } else {
      statement = await this.connection.prepare(sql);
      if (this.prepared.size >= PREPARED_STATEMENTS) {
        const [oldestSql, oldest] = this.prepared.entries().next().value as [string, DuckDBPreparedStatement];
        this.prepared.delete(oldestSql);
        oldest.destroySync();
      }
    }
    this.prepared.set(sql, statement);
    return statement;
  }

  private async runNow(sql: string, params?: readonly SqlParam[]): Promise<number> {
    const written = this.noteWrites(sql);
    if (written !== 'all' && params && params.length > 0) {
      const statement = await this.preparedStatement(sql);
      statement.bind([...params]);
      return Number((await statement.run()).rowsChanged);
    }
    const result = await this.connection.run(sql, params ? [...params] : undefined);
    return Number(result.rowsChanged);
  }

  private async allNow<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    const written = this.noteWrites(sql);
    let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
    if (written !== 'all' && params && params.length > 0) {
      const statement = await this.preparedStatement(sql);
      statement.bind([...params]);
      reader = await statement.runAndReadAll();
    } else {
      reader = await this.connection.runAndReadAll(sql, params ? [...params] : undefined);
    }
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

// Loading a CSV file into a source table in one transaction, with DuckDB's own reader and the table's
// declared column types: a failed load rolls back and leaves the previous data as it was.

import { closeSync, openSync, readSync } from 'node:fs';
import { InputError, type Where } from '../errors.js';
import { quoteIdentifier, quoteString } from './sql-text.js';
import type { SqlRunner, Warehouse } from './warehouse.js';

export interface LoadCsvOptions {
  /** `append` (default) adds the rows; `replace` swaps the table's contents for the file's. */
  mode?: 'append' | 'replace';
  /** Header name in the file for a table column, where they differ: `{ customer_id: 'CustomerID' }`. */
  columnMap?: Readonly<Record<string, string>>;
  /** strptime format for TIMESTAMP columns when they are not ISO 8601, e.g. `%d/%m/%Y %H:%M`. */
  timestampFormat?: string;
}

export interface LoadReport {
  table: string;
  file: string;
  rows: number;
  mode: 'append' | 'replace';
}

interface TableColumn {
  name: string;
  type: string;
  nullable: boolean;
}

/** Loads `file` (UTF-8 CSV with a header row) into `table`, all or nothing. Errors name file, row and column. */
export async function loadCsv(
  warehouse: Warehouse,
  table: string,
  file: string,
  options: LoadCsvOptions = {},
): Promise<LoadReport> {
  const mode = options.mode ?? 'append';
  const header = readHeader(file);
  return warehouse.transaction(async (tx) => {
    const columns = await tableColumns(tx, table);
    if (columns.length === 0) throw new InputError(`no table "${table}" in the warehouse`, { file });
    const sql = insertFromCsvSql(table, file, header, columns, options);
    if (mode === 'replace') await tx.run(`DELETE FROM ${quoteIdentifier(table)}`);
    let rows: number;
    try {
      rows = await tx.run(sql);
    } catch (error) {
      throw csvError(error, file);
    }
    return { table, file, rows, mode };
  });
}

async function tableColumns(tx: SqlRunner, table: string): Promise<TableColumn[]> {
  const rows = await tx.all<{ column_name: string; data_type: string; is_nullable: boolean }>(
    `SELECT column_name, data_type, is_nullable FROM duckdb_columns()
     WHERE table_name = ? AND schema_name = current_schema() ORDER BY column_index`,
    [table],
  );
  return rows.map((row) => ({ name: row.column_name, type: row.data_type, nullable: row.is_nullable }));
}

/** The INSERT … SELECT … FROM read_csv(…) that maps the file's columns onto the table's by name. */
function insertFromCsvSql(
  table: string,
  file: string,
  header: string[],
  columns: TableColumn[],
  options: LoadCsvOptions,
): string {
  const fileTypes = new Map<string, string>(header.map((name) => [name, 'VARCHAR']));
  const targets: string[] = [];
  const values: string[] = [];
  for (const column of columns) {
    const source = options.columnMap?.[column.name] ?? column.name;
    if (fileTypes.has(source)) {
      fileTypes.set(source, column.type);
      values.push(quoteIdentifier(source));
    } else if (column.nullable) {
      values.push('NULL');
    } else {
      throw new InputError(`missing column "${source}" (needed for ${table}.${column.name})`, {
        file,
        row: 0,
        column: source,
      });
    }
    targets.push(quoteIdentifier(column.name));
  }
  const columnSpec = [...fileTypes].map(([name, type]) => `${quoteString(name)}: ${quoteString(type)}`);
  const settings = [
    'header = true',
    'auto_detect = false',
    "delim = ','",
    `quote = '"'`,
    `escape = '"'`,
    `columns = {${columnSpec.join(', ')}}`,
  ];
  if (options.timestampFormat) settings.push(`timestampformat = ${quoteString(options.timestampFormat)}`);
  return (
    `INSERT INTO ${quoteIdentifier(table)} (${targets.join(', ')}) ` +
    `SELECT ${values.join(', ')} FROM read_csv(${quoteString(file)}, ${settings.join(', ')})`
  );
}

/** The header row's names (BOM stripped, quotes removed). */
function readHeader(file: string): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new InputError(`cannot open ${file}`, { file }, { cause: error });
  }
  const buffer = Buffer.alloc(64 * 1024);
  let length: number;
  try {
    length = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  let text = buffer.subarray(0, length).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const end = text.search(/\r?\n/);
  const line = end < 0 ? text : text.slice(0, end);
  if (line.trim() === '') throw new InputError('empty file: no header row', { file, row: 0 });
  return line.split(',').map((name) =>
    name
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replaceAll('""', '"'),
  );
}

/** DuckDB's CSV and constraint errors as an InputError that says where. */
function csvError(error: unknown, file: string): InputError {
  const message = error instanceof Error ? error.message : String(error);
  const where: Where = { file };
  const line = /CSV Error on Line: (\d+)/.exec(message);
  if (line) where.row = Number(line[1]) - 1; // file line 1 is the header
  const column =
    /converting column "([^"]*)"/.exec(message) ?? /constraint failed: [^.\s]+\.(\S+)/.exec(message);
  if (column) where.column = column[1];
  const firstLines = message.split('\n').filter((text) => text.trim() !== '');
  const summary =
    firstLines.find((text) => text.startsWith('Error when converting')) ?? firstLines[0] ?? message;
  return new InputError(`cannot load: ${summary.trim()}`, where, { cause: error });
}

// Appending rows that arrive through the API (R1 real-time path) with the file ingest's rules: the batch is
// staged as a text table, exactly as a file is, and classified by the same SQL (classify-rows.ts), so a row
// the CSV path would quarantine is quarantined here with the same reason. Good rows are stored, bad ones go
// to the quarantine under a pseudo-file (`api:events`) with their index in the batch as the line, all in one
// transaction. Re-sending a batch adds nothing: its fact rows are `already_loaded` the second time.

import { createHash } from 'node:crypto';
import type { Config, SourceConfig, SourceKind } from '../config/config-schema.js';
import { sourceFields } from '../config/config-schema.js';
import {
  CLASSIFIED,
  classifySql,
  insertGoodRowsSql,
  insertQuarantineSql,
  type QuarantineReason,
  STAGING,
} from './classify-rows.js';
import { deriveCustomers, endDerivation, startDerivation } from './derive-customers.js';
import { quoteIdentifier as id } from './sql-text.js';
import type { SqlRunner, Warehouse } from './warehouse.js';

/** The sources the API appends to. */
export const APPEND_KINDS = ['events', 'transactions', 'tickets'] as const;
export type AppendKind = (typeof APPEND_KINDS)[number];

/** A cell as a client sends it; objects and arrays are kept as JSON text (an event's `properties`). */
export type AppendCell = string | number | boolean | null | object;

export interface AppendRowsOptions {
  kind: AppendKind;
  /** Rows keyed by field name (`customer_id`, `ts`, …); keys other than the source's fields are kept as
   *  extra columns, which (as in a file) count when telling duplicates apart. */
  rows: readonly Readonly<Record<string, AppendCell>>[];
  config: Config;
  /** Timestamps after this are `future_timestamp` (default: the current time). */
  now?: Date;
  /** The quarantine's and load log's file name (default `api:<kind>`). */
  file?: string;
}

/** A row that was not stored: its index in the batch, why, and the field at fault (null: the whole row). */
export interface RejectedRow {
  index: number;
  reason: QuarantineReason;
  field: string | null;
  detail: string | null;
}

export interface AppendRowsResult {
  /** The load_log / quarantine id of this batch. */
  loadId: number;
  accepted: number;
  rejected: RejectedRow[];
  /** Customers with at least one stored row, sorted: the ones whose scores the batch changes. */
  customerIds: string[];
  /** Customers added because no customers source is configured (derived from the activity, as ingest does). */
  customersAdded: number;
}

/** Stores the good rows of a batch and quarantines the others, in one transaction. */
export async function appendRows(
  warehouse: Warehouse,
  options: AppendRowsOptions,
): Promise<AppendRowsResult> {
  const { kind, config } = options;
  const file = options.file ?? `api:${kind}`;
  // To the millisecond: an event stamped just before the request is not in the future.
  const now = (options.now ?? new Date()).toISOString().slice(0, 23).replace('T', ' ');
  const columns = batchColumns(kind, options.rows);
  const document = JSON.stringify(options.rows.map((row) => textRow(row, columns)));
  const configured = config.sources[kind];
  const source = {
    path: file,
    format: 'ndjson',
    columns: {},
    ...(configured && 'duplicates' in configured && configured.duplicates
      ? { duplicates: configured.duplicates }
      : {}),
  } as SourceConfig;
  const customersSource = config.sources.customers !== undefined;
  return warehouse.transaction(async (tx) => {
    await stageBatch(tx, columns, document);
    await tx.run(
      classifySql({
        kind,
        source,
        fileColumns: columns,
        now,
        firstLine: 0,
        testAccounts: config.test_accounts,
        customersSource,
      }),
    );
    const [{ load_id: loadId }] = (await tx.all<{ load_id: number }>(
      'SELECT coalesce(max(load_id), 0) + 1 AS load_id FROM load_log',
    )) as [{ load_id: number }];
    const rejectedRows = await tx.run(insertQuarantineSql, [loadId, kind, file]);
    let accepted = 0;
    for (const statement of insertGoodRowsSql(kind)) {
      const changed = await tx.run(statement);
      if (statement.startsWith('INSERT')) accepted = changed;
    }
    let customersAdded = 0;
    if (!customersSource) {
      await startDerivation(tx);
      customersAdded = await deriveCustomers(tx, kind);
      await endDerivation(tx);
    }
    const rejected = await tx.all<{ line: number; reason: QuarantineReason; detail: string | null }>(
      `SELECT line, cw_reason AS reason, cw_detail AS detail FROM ${CLASSIFIED} WHERE cw_reason IS NOT NULL ORDER BY line`,
    );
    const customers = await tx.all<{ customer_id: string }>(
      `SELECT DISTINCT customer_id FROM ${CLASSIFIED} WHERE cw_reason IS NULL ORDER BY customer_id`,
    );
    const hash = createHash('sha256').update(document).digest('hex');
    await tx.run(
      `INSERT INTO load_log (load_id, source, file, file_hash, settings_hash, rows_read, rows_loaded,
        rows_quarantined) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [loadId, kind, file, hash, 'api', accepted + rejectedRows, accepted, rejectedRows],
    );
    await tx.run(`DROP TABLE ${CLASSIFIED}`);
    await tx.run(`DROP TABLE ${STAGING}`);
    return {
      loadId,
      accepted,
      rejected: rejected.map((row) => ({
        index: Number(row.line),
        reason: row.reason,
        field: faultyField(row.reason, row.detail),
        detail: row.detail,
      })),
      customerIds: customers.map((row) => row.customer_id),
      customersAdded,
    };
  });
}

/** The source's fields first (absent ones become empty columns), then the other keys in first-seen order. */
function batchColumns(kind: SourceKind, rows: AppendRowsOptions['rows']): string[] {
  const columns = [...sourceFields[kind].required, ...sourceFields[kind].optional] as string[];
  const seen = new Set(columns);
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return columns;
}

/** The row as text cells, as a file would hold them. */
function textRow(row: Readonly<Record<string, AppendCell>>, columns: readonly string[]): (string | null)[] {
  return columns.map((column) => {
    const value = row[column];
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  });
}

/** The batch as the staging table, every column VARCHAR, in batch order (rowid = index). */
async function stageBatch(tx: SqlRunner, columns: readonly string[], document: string): Promise<void> {
  const [setting] = await tx.all<{ value: boolean }>(
    "SELECT current_setting('preserve_insertion_order') AS value",
  );
  await tx.run('SET preserve_insertion_order = true');
  const cells = columns.map((column, i) => `json_extract_string(r.row, '$[${i}]') AS ${id(column)}`);
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGING} AS
     SELECT ${cells.join(', ')}
     FROM (SELECT unnest(rows) AS row, generate_subscripts(rows, 1) AS i
           FROM (SELECT json_extract(CAST(? AS JSON), '$[*]') AS rows)) AS r
     ORDER BY r.i`,
    [document],
  );
  await tx.run(`SET preserve_insertion_order = ${setting?.value === false ? 'false' : 'true'}`);
}

/** The field a reason's detail names (`ts: 2025-13-01` → `ts`); null where the whole row is at fault. */
function faultyField(reason: QuarantineReason, detail: string | null): string | null {
  switch (reason) {
    case 'missing_value':
      return detail?.replace(/ is empty$/, '') ?? null;
    case 'bad_timestamp':
    case 'bad_value':
    case 'negative_amount':
    case 'future_timestamp':
      return detail?.split(': ')[0] ?? null;
    case 'test_account':
    case 'unknown_customer':
      return 'customer_id';
    default:
      return null;
  }
}

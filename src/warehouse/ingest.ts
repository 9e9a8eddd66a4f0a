// `ingest`: loads every configured source into the warehouse, each source in one transaction (a failure
// leaves its previous data as it was). Bad rows go to the quarantine table with their reason; a file whose
// content hash was loaded before is skipped, so loading the same file twice adds nothing. Without a
// customers source the customers are derived from the activity, in the same transactions
// (derive-customers.ts), and no row can be recognised as `unknown_customer`.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type Config, SOURCE_KINDS, type SourceConfig, type SourceKind } from '../config/config-schema.js';
import { InputError } from '../errors.js';
import {
  CLASSIFIED,
  classifySql,
  fieldSources,
  insertGoodRowsSql,
  insertQuarantineSql,
  QUARANTINE_REASONS,
  type QuarantineReason,
  STAGING,
  stagingSql,
} from './classify-rows.js';
import { readCsvHeader } from './csv-header.js';
import { deriveCustomers, endDerivation, startDerivation } from './derive-customers.js';
import { recordStartLines } from './record-lines.js';
import type { SqlRunner, Warehouse } from './warehouse.js';

export interface IngestProgress {
  source: SourceKind;
  file: string;
  /** Files finished so far, over all sources, and how many there are. */
  done: number;
  total: number;
}

export interface IngestOptions {
  /** Timestamps after this are quarantined as `future_timestamp`. Default: the current time. */
  now?: Date;
  /** Called before each file and once at the end. */
  onProgress?: (progress: IngestProgress) => void;
  /** Example rows kept per reason in the report (default 3). */
  examplesPerReason?: number;
}

export interface QuarantineExample {
  file: string;
  line: number;
  detail: string | null;
  raw: string;
}

export interface FileLoad {
  file: string;
  /** sha256 of the file's bytes. */
  hash: string;
  /** `unchanged`: this content was loaded before with the same settings; nothing was read. */
  status: 'loaded' | 'unchanged';
  /** The load_log / quarantine id of this load; null when unchanged. */
  loadId: number | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
}

export interface SourceLoad {
  source: SourceKind;
  files: FileLoad[];
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** Only reasons that occurred, in the order of QUARANTINE_REASONS. */
  quarantined: { reason: QuarantineReason; rows: number; examples: QuarantineExample[] }[];
}

/** The customers ingest derived because no customers source is configured. */
export interface DerivedCustomers {
  /** New customers, per activity source loaded, in load order (each counted where it was first seen). */
  sources: { source: SourceKind; added: number }[];
  /** New customers in all: ids seen in the loaded rows that the warehouse did not hold. */
  added: number;
  /** Customers in the warehouse after the load. */
  total: number;
}

export interface IngestReport {
  sources: SourceLoad[];
  /** Rows of the files: loaded + quarantined = read. Derived customers are not counted here. */
  rowsLoaded: number;
  rowsQuarantined: number;
  /** Null when a customers source is configured. */
  derivedCustomers: DerivedCustomers | null;
}

/**
 * Loads the configured sources (customers first); throws InputError naming the file when a source fails.
 * Without a customers source, every file load also adds the customers first seen in it.
 */
export async function ingest(
  warehouse: Warehouse,
  config: Config,
  options: IngestOptions = {},
): Promise<IngestReport> {
  const now = (options.now ?? new Date()).toISOString().slice(0, 19).replace('T', ' ');
  const plan: { kind: SourceKind; source: SourceConfig; files: string[] }[] = [];
  for (const kind of SOURCE_KINDS) {
    const source = config.sources[kind];
    if (source) plan.push({ kind, source, files: await matchingFiles(warehouse, source.path) });
  }
  if (plan.length === 0) {
    throw new InputError(`no source configured: name at least one of ${SOURCE_KINDS.join(', ')}`, {
      key: 'sources',
    });
  }
  const customersSource = config.sources.customers !== undefined;
  const total = plan.reduce((sum, item) => sum + item.files.length, 0);
  let done = 0;
  const sources: SourceLoad[] = [];
  const derived: DerivedCustomers['sources'] = [];
  if (!customersSource) await startDerivation(warehouse);
  try {
    for (const { kind, source, files } of plan) {
      const loads = await warehouse.transaction(async (tx) => {
        const result: { load: FileLoad; customersAdded: number }[] = [];
        for (const file of files) {
          options.onProgress?.({ source: kind, file, done, total });
          const task = { kind, source, file, now, testAccounts: config.test_accounts, customersSource };
          result.push(await loadFile(tx, task));
          done++;
        }
        return result;
      });
      const fileLoads = loads.map((l) => l.load);
      sources.push(await summarize(warehouse, kind, fileLoads, options.examplesPerReason ?? 3));
      if (!customersSource) {
        derived.push({ source: kind, added: loads.reduce((sum, l) => sum + l.customersAdded, 0) });
      }
    }
  } finally {
    if (!customersSource) await endDerivation(warehouse);
  }
  const last = plan.at(-1);
  if (last) options.onProgress?.({ source: last.kind, file: last.files.at(-1) ?? '', done, total });
  return {
    sources,
    rowsLoaded: sources.reduce((sum, s) => sum + s.rowsLoaded, 0),
    rowsQuarantined: sources.reduce((sum, s) => sum + s.rowsQuarantined, 0),
    derivedCustomers: customersSource ? null : await derivedSummary(warehouse, derived),
  };
}

async function derivedSummary(
  warehouse: Warehouse,
  sources: DerivedCustomers['sources'],
): Promise<DerivedCustomers> {
  const [row] = await warehouse.all<{ n: number }>('SELECT count(*) AS n FROM customers');
  return { sources, added: sources.reduce((sum, s) => sum + s.added, 0), total: row?.n ?? 0 };
}

/** The files a path or glob names, sorted; an InputError when there are none. */
async function matchingFiles(warehouse: Warehouse, pattern: string): Promise<string[]> {
  const rows = await warehouse.all<{ file: string }>('SELECT file FROM glob(?) ORDER BY file', [pattern]);
  if (rows.length === 0) throw new InputError(`no file matches ${pattern}`, { file: pattern });
  return rows.map((row) => row.file);
}

interface FileTask {
  kind: SourceKind;
  source: SourceConfig;
  file: string;
  now: string;
  testAccounts: Config['test_accounts'];
  /** False: customers are derived from this activity, and the unknown_customer rule cannot apply. */
  customersSource: boolean;
}

async function loadFile(tx: SqlRunner, task: FileTask): Promise<{ load: FileLoad; customersAdded: number }> {
  const { kind, source, file } = task;
  const hash = await fileHash(file);
  const settings = settingsHash(task);
  const [seen] = await tx.all<{ n: number }>(
    'SELECT count(*) AS n FROM load_log WHERE source = ? AND file_hash = ? AND settings_hash = ?',
    [kind, hash, settings],
  );
  if ((seen?.n ?? 0) > 0) {
    const load: FileLoad = {
      file,
      hash,
      status: 'unchanged',
      loadId: null,
      rowsRead: 0,
      rowsLoaded: 0,
      rowsQuarantined: 0,
    };
    return { load, customersAdded: 0 };
  }
  await stage(tx, file, source.format);
  const fileColumns = (await tx.all<{ column_name: string }>(`DESCRIBE ${STAGING}`)).map(
    (r) => r.column_name,
  );
  checkColumns(task, fileColumns);
  await tx.run(
    classifySql({
      kind,
      source,
      fileColumns,
      now: task.now,
      firstLine: source.format === 'csv' ? 2 : 1,
      testAccounts: task.testAccounts,
      customersSource: task.customersSource,
    }),
  );
  const [{ load_id: loadId }] = (await tx.all<{ load_id: number }>(
    'SELECT coalesce(max(load_id), 0) + 1 AS load_id FROM load_log',
  )) as [{ load_id: number }];
  const rowsQuarantined = await tx.run(insertQuarantineSql, [loadId, kind, file]);
  if (rowsQuarantined > 0 && source.format === 'csv') await fixQuarantineLines(tx, loadId, file);
  let rowsLoaded = 0;
  for (const statement of insertGoodRowsSql(kind)) {
    const changed = await tx.run(statement);
    if (statement.startsWith('INSERT')) rowsLoaded = changed;
  }
  const customersAdded = kind === 'customers' || task.customersSource ? 0 : await deriveCustomers(tx, kind);
  const rowsRead = rowsLoaded + rowsQuarantined;
  await tx.run(
    `INSERT INTO load_log (load_id, source, file, file_hash, settings_hash, rows_read, rows_loaded,
      rows_quarantined) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [loadId, kind, file, hash, settings, rowsRead, rowsLoaded, rowsQuarantined],
  );
  await tx.run(`DROP TABLE ${CLASSIFIED}`);
  await tx.run(`DROP TABLE ${STAGING}`);
  return {
    load: { file, hash, status: 'loaded', loadId, rowsRead, rowsLoaded, rowsQuarantined },
    customersAdded,
  };
}

/**
 * Quarantined rows were numbered as if every record took one line; where blank lines or quoted line breaks
 * make that wrong, they get the line their record really starts on.
 */
async function fixQuarantineLines(tx: SqlRunner, loadId: number, file: string): Promise<void> {
  const starts = recordStartLines(file);
  if (!starts) return;
  const rows = await tx.all<{ line: number }>('SELECT DISTINCT line FROM quarantine WHERE load_id = ?', [
    loadId,
  ]);
  // All pairs first, then one UPDATE: updating chunk by chunk could move a row twice.
  await tx.run('CREATE OR REPLACE TEMP TABLE line_map (record_line BIGINT, real_line BIGINT)');
  for (let at = 0; at < rows.length; at += 1000) {
    const pairs = rows
      .slice(at, at + 1000)
      .map(({ line }) => `(${Number(line)}, ${starts[Number(line) - 2] ?? Number(line)})`)
      .join(', ');
    await tx.run(`INSERT INTO line_map VALUES ${pairs}`);
  }
  await tx.run(
    `UPDATE quarantine SET line = m.real_line FROM line_map AS m
      WHERE quarantine.load_id = ? AND quarantine.line = m.record_line`,
    [loadId],
  );
  await tx.run('DROP TABLE line_map');
}

/** Reads the file into the staging table in file order (rowid then counts lines). */
async function stage(tx: SqlRunner, file: string, format: SourceConfig['format']): Promise<void> {
  const [setting] = await tx.all<{ value: boolean }>(
    "SELECT current_setting('preserve_insertion_order') AS value",
  );
  await tx.run('SET preserve_insertion_order = true');
  const header = format === 'csv' ? readCsvHeader(file) : [];
  try {
    await tx.run(stagingSql(file, format, header));
  } catch (error) {
    // The failed read has aborted the transaction: nothing more can run in it (not even restoring the
    // setting, a speed knob only), so the clear error goes out as it is and the caller rolls back.
    const text = error instanceof Error ? error.message : String(error);
    const line = /Line: (\d+)/.exec(text);
    const where = line ? { file, row: Number(line[1]) } : { file };
    const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
    const message = fields
      ? `a row has ${fields[2]} fields, the header has ${fields[1]}`
      : `cannot read ${format}: ${text.split('\n')[0]}`;
    throw new InputError(message, where, { cause: error });
  }
  await tx.run(`SET preserve_insertion_order = ${setting?.value === false ? 'false' : 'true'}`);
}

/** Required fields (and the test-account flag) must be columns of the file. */
function checkColumns(task: FileTask, fileColumns: readonly string[]): void {
  for (const { field, column, required } of fieldSources(task.kind, task.source, fileColumns)) {
    if (required && column === undefined) {
      const wanted = (task.source.columns as Record<string, string | undefined>)[field] ?? field;
      const mapped = wanted === field ? ` (or map it: sources.${task.kind}.columns.${field})` : '';
      throw new InputError(`missing column "${wanted}" needed for ${task.kind}.${field}${mapped}`, {
        file: task.file,
        column: wanted,
      });
    }
  }
  const flag = task.testAccounts.flag_column;
  if (task.kind === 'customers' && flag && !fileColumns.includes(flag)) {
    throw new InputError(`missing column "${flag}" named by test_accounts.flag_column`, {
      file: task.file,
      column: flag,
      key: 'test_accounts.flag_column',
    });
  }
}

async function summarize(
  warehouse: Warehouse,
  source: SourceKind,
  files: FileLoad[],
  examplesPerReason: number,
): Promise<SourceLoad> {
  const loadIds = files.flatMap((f) => (f.loadId === null ? [] : [f.loadId]));
  const quarantined: SourceLoad['quarantined'] = [];
  if (loadIds.length > 0) {
    const scope = `load_id IN (${loadIds.join(', ')})`;
    const counts = await warehouse.all<{ reason: QuarantineReason; rows: number }>(
      `SELECT reason, count(*) AS rows FROM quarantine WHERE ${scope} GROUP BY reason`,
    );
    const examples = await warehouse.all<QuarantineExample & { reason: QuarantineReason }>(
      `SELECT reason, file, line, detail, raw FROM quarantine WHERE ${scope}
       QUALIFY row_number() OVER (PARTITION BY reason ORDER BY file, line) <= ${examplesPerReason}
       ORDER BY reason, file, line`,
    );
    for (const reason of QUARANTINE_REASONS) {
      const count = counts.find((c) => c.reason === reason);
      if (!count) continue;
      quarantined.push({
        reason,
        rows: count.rows,
        examples: examples
          .filter((e) => e.reason === reason)
          .map(({ file, line, detail, raw }) => ({ file, line, detail, raw })),
      });
    }
  }
  return {
    source,
    files,
    rowsRead: files.reduce((sum, f) => sum + f.rowsRead, 0),
    rowsLoaded: files.reduce((sum, f) => sum + f.rowsLoaded, 0),
    rowsQuarantined: files.reduce((sum, f) => sum + f.rowsQuarantined, 0),
    quarantined,
  };
}

/**
 * What decides how a file's rows are read and classified, besides its bytes (and `now`). Settings at their
 * default are left out (JSON drops undefined), so files loaded before such a setting existed stay unchanged.
 */
function settingsHash(task: FileTask): string {
  const { format, columns, timestamp_format, time_zone, duplicates } = task.source;
  const settings = {
    format,
    columns,
    timestamp_format,
    time_zone,
    test_accounts: task.testAccounts,
    duplicates: duplicates === 'keep' ? duplicates : undefined,
    // Without a customers source rows of unknown ids load (and add customers) instead of being quarantined.
    customers: task.kind !== 'customers' && !task.customersSource ? 'derived' : undefined,
  };
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex');
}

function fileHash(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', (error) => reject(new InputError(`cannot read ${file}`, { file }, { cause: error })));
  });
}

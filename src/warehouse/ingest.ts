// `ingest`: loads every configured source into the warehouse, each source in one transaction (a failure
// leaves its previous data as it was). Bad rows go to the quarantine table with their reason; a file whose
// content hash was loaded before is skipped, so loading the same file twice adds nothing.

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

export interface IngestReport {
  sources: SourceLoad[];
  rowsLoaded: number;
  rowsQuarantined: number;
}

/** Loads the configured sources (customers first); throws InputError naming the file when a source fails. */
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
  const total = plan.reduce((sum, item) => sum + item.files.length, 0);
  let done = 0;
  const sources: SourceLoad[] = [];
  for (const { kind, source, files } of plan) {
    const loads = await warehouse.transaction(async (tx) => {
      const result: FileLoad[] = [];
      for (const file of files) {
        options.onProgress?.({ source: kind, file, done, total });
        result.push(await loadFile(tx, { kind, source, file, now, testAccounts: config.test_accounts }));
        done++;
      }
      return result;
    });
    sources.push(await summarize(warehouse, kind, loads, options.examplesPerReason ?? 3));
  }
  const last = plan.at(-1);
  if (last) options.onProgress?.({ source: last.kind, file: last.files.at(-1) ?? '', done, total });
  return {
    sources,
    rowsLoaded: sources.reduce((sum, s) => sum + s.rowsLoaded, 0),
    rowsQuarantined: sources.reduce((sum, s) => sum + s.rowsQuarantined, 0),
  };
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
}

async function loadFile(tx: SqlRunner, task: FileTask): Promise<FileLoad> {
  const { kind, source, file } = task;
  const hash = await fileHash(file);
  const settings = settingsHash(task);
  const [seen] = await tx.all<{ n: number }>(
    'SELECT count(*) AS n FROM load_log WHERE source = ? AND file_hash = ? AND settings_hash = ?',
    [kind, hash, settings],
  );
  if ((seen?.n ?? 0) > 0) {
    return { file, hash, status: 'unchanged', loadId: null, rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0 };
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
  const rowsRead = rowsLoaded + rowsQuarantined;
  await tx.run(
    `INSERT INTO load_log (load_id, source, file, file_hash, settings_hash, rows_read, rows_loaded,
      rows_quarantined) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [loadId, kind, file, hash, settings, rowsRead, rowsLoaded, rowsQuarantined],
  );
  await tx.run(`DROP TABLE ${CLASSIFIED}`);
  await tx.run(`DROP TABLE ${STAGING}`);
  return { file, hash, status: 'loaded', loadId, rowsRead, rowsLoaded, rowsQuarantined };
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

/** What decides how a file's rows are read and classified, besides its bytes (and `now`). */
function settingsHash(task: FileTask): string {
  const { format, columns, timestamp_format, time_zone } = task.source;
  const settings = { format, columns, timestamp_format, time_zone, test_accounts: task.testAccounts };
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

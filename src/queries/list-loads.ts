// The file loads of the workspace, newest first (the dashboard's "last loads").

import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';

export interface LoadEntry {
  loadId: number;
  source: string;
  file: string;
  loadedAt: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
}

/** The newest `limit` loads. */
export async function listLoads(db: SqlRunner, limit: number): Promise<LoadEntry[]> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT load_id, source, file, strftime(loaded_at, '%Y-%m-%d %H:%M:%S') AS loaded_at, rows_read, rows_loaded,
       rows_quarantined FROM load_log ORDER BY load_id DESC LIMIT ?`,
    [limit],
  );
  return rows.map((row) => ({
    loadId: Number(row.load_id),
    source: String(row.source),
    file: String(row.file),
    loadedAt: String(row.loaded_at),
    rowsRead: Number(row.rows_read),
    rowsLoaded: Number(row.rows_loaded),
    rowsQuarantined: Number(row.rows_quarantined),
  }));
}

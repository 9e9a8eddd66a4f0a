// The quarantine at a glance (R2): rows per source × reason, and the newest examples with file and line.

import type { SqlCell, SqlParam, SqlRunner } from '../warehouse/warehouse.js';

export interface QuarantineCount {
  source: string;
  reason: string;
  rows: number;
}

export interface QuarantineExample {
  loadId: number;
  source: string;
  file: string;
  line: number;
  customerId: string | null;
  reason: string;
  detail: string | null;
  /** The row as read, keyed by the file's columns. */
  raw: Record<string, unknown>;
}

export interface QuarantineSummary {
  counts: QuarantineCount[];
  examples: QuarantineExample[];
}

/** Counts (all matching rows) and up to `limit` examples, filtered by source and reason. */
export async function getQuarantineSummary(
  db: SqlRunner,
  options: { source?: string; reason?: string; limit: number },
): Promise<QuarantineSummary> {
  const where: string[] = [];
  const values: SqlParam[] = [];
  if (options.source !== undefined) {
    where.push('source = ?');
    values.push(options.source);
  }
  if (options.reason !== undefined) {
    where.push('reason = ?');
    values.push(options.reason);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const counts = await db.all<Record<string, SqlCell>>(
    `SELECT source, reason, count(*) AS rows FROM quarantine ${filter}
     GROUP BY source, reason ORDER BY rows DESC, source, reason`,
    values,
  );
  const examples = await db.all<Record<string, SqlCell>>(
    `SELECT load_id, source, file, line, customer_id, reason, detail, raw FROM quarantine ${filter}
     ORDER BY load_id DESC, line LIMIT ?`,
    [...values, options.limit],
  );
  return {
    counts: counts.map((row) => ({
      source: String(row.source),
      reason: String(row.reason),
      rows: Number(row.rows),
    })),
    examples: examples.map((row) => ({
      loadId: Number(row.load_id),
      source: String(row.source),
      file: String(row.file),
      line: Number(row.line),
      customerId: row.customer_id === null ? null : String(row.customer_id),
      reason: String(row.reason),
      detail: row.detail === null ? null : String(row.detail),
      raw: parseRaw(row.raw),
    })),
  };
}

function parseRaw(value: SqlCell): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(String(value));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON: shown as one text cell below.
  }
  return { text: String(value) };
}
